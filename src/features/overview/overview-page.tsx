import { useState } from 'react';
import { ViewFrame } from '../../components/view-frame';
import { loadSpendOverTime } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { isFirstFigures, useFirstFigures } from '../../hooks/use-first-figures';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { BudgetCard } from './budget-card';
import type { Grain } from './overview-figures';
import { OverviewView } from './overview-view';

const loaders: Record<Grain, (engine: Engine, inputs: QueryInputs) => ReturnType<typeof loadSpendOverTime>> = {
  day: (engine, { filters }) => loadSpendOverTime(engine, filters, 'day'),
  week: (engine, { filters }) => loadSpendOverTime(engine, filters, 'week'),
  month: (engine, { filters }) => loadSpendOverTime(engine, filters, 'month'),
};

export function OverviewPage() {
  const [grain, setGrain] = useState<Grain>('day');
  const first = useFirstFigures();
  const overTime = useViewQuery(loaders[grain], null, grain === 'day' ? first?.spendByDay : undefined);
  const { report, rates, frame } = useReportFrame(overTime);
  const figures = useSettled(frame.status, report && overTime.data && rates ? { report, rates, overTime: overTime.data, grain } : undefined);
  return (
    <ViewFrame id="overview" title="Overview" {...frame} fromFirstFigures={figures !== undefined && (isFirstFigures(figures.report) || isFirstFigures(figures.overTime))}>
      {report ? <BudgetCard /> : null}
      {figures ? (
        <OverviewView report={figures.report} rates={figures.rates} overTime={figures.overTime} grain={figures.grain} onGrain={setGrain} />
      ) : null}
    </ViewFrame>
  );
}
