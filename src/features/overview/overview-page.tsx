import { useState } from 'react';
import { combineStatus, ViewFrame } from '../../components/view-frame';
import { loadSpendOverTime } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { useActiveRates } from '../../hooks/use-active-rates';
import { useReport } from '../../hooks/use-report';
import { useViewActions } from '../../hooks/use-view-actions';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import type { Grain } from './overview-figures';
import { OverviewView } from './overview-view';

const loaders: Record<Grain, (engine: Engine, inputs: QueryInputs) => ReturnType<typeof loadSpendOverTime>> = {
  day: (engine, { filters }) => loadSpendOverTime(engine, filters, 'day'),
  week: (engine, { filters }) => loadSpendOverTime(engine, filters, 'week'),
  month: (engine, { filters }) => loadSpendOverTime(engine, filters, 'month'),
};

export function OverviewPage() {
  const [grain, setGrain] = useState<Grain>('day');
  const report = useReport();
  const overTime = useViewQuery(loaders[grain]);
  const { rates } = useActiveRates();
  const actions = useViewActions();
  const status = combineStatus(report.status, overTime.status);
  const empty = report.data && report.data.requests === 0 ? (actions.hasFilters ? 'no-match' : 'no-data') : null;
  return (
    <ViewFrame
      id="overview"
      title="Overview"
      status={status}
      hasData={Boolean(report.data && overTime.data && rates)}
      error={report.error ?? overTime.error}
      empty={empty}
      {...actions}
    >
      {report.data && overTime.data && rates ? (
        <OverviewView report={report.data} rates={rates} overTime={overTime.data} grain={grain} onGrain={setGrain} />
      ) : null}
    </ViewFrame>
  );
}
