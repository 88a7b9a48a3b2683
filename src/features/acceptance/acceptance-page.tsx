import { memo, useCallback } from 'react';
import { IntervalBarChart } from '../../components/charts';
import { DataTable } from '../../components/data-table';
import { count, percent, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { formatPlain } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { MIN_FEEDBACK } from '../../domain/verdict';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { useViewQuery } from '../../hooks/use-view-query';
import type { DecisionCell } from '../../db/decisions';
import { acceptanceIntervals } from './acceptance-chart-data';
import { DecisionsSection } from './decisions-section';
import { loadDecisionsQuery } from './decisions-data';
import { familyVerdicts, verdictSentences } from './verdict-data';

export function AcceptancePage() {
  const cells = useViewQuery(loadDecisionsQuery);
  const { report, rates, frame } = useReportFrame(cells);
  const figures = useSettled(frame.status, report && cells.data && rates ? { report, rates, cells: cells.data } : undefined);
  return (
    <ViewFrame
      id="acceptance"
      title="Acceptance"
      intro="Which images people kept, per model and job type, from priced requests with feedback. If Pro isn't accepted at a higher rate than Flash in a workflow, stop paying for Pro there."
      {...frame}
    >
      {figures ? <AcceptanceView report={figures.report} rates={figures.rates} cells={figures.cells} /> : null}
    </ViewFrame>
  );
}

type AcceptanceRow = Report['acceptance'][number];

/** Memoised: the page hands it the same figures while new ones load (`useSettled`). */
const AcceptanceView = memo(function AcceptanceView({ report, rates, cells }: { report: Report; rates: ActiveRates; cells: DecisionCell[] }) {
  const label = (model: string) => rates.models.get(model)?.label ?? model;
  const familyOf = useCallback((m: string) => rates.models.get(m)?.family, [rates]);
  const verdicts = familyVerdicts(report.acceptance, familyOf);
  const breakEven = (jobType: string) => {
    const v = verdicts.find((x) => x.jobType === jobType);
    return v ? verdictSentences(v.verdict, usdUnit).breakEven : null;
  };
  const withFeedback = report.acceptance.reduce((n, a) => n + a.withFeedback, 0);
  const accepted = report.acceptance.reduce((n, a) => n + a.accepted, 0);
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Acceptance rate" value={withFeedback ? percent(accepted / withFeedback) : '—'} testId="acceptance-rate" hint={`${count(accepted)} of ${count(withFeedback)} with feedback`} />
        <StatCard label="Pro-vs-Flash verdicts" value={count(verdicts.length)} testId="verdict-count" hint="job types where both families ran" />
      </div>

      <h3>Pro against Flash, per job type</h3>
      <DecisionsSection cells={cells} familyOf={familyOf} label={label} breakEven={breakEven} />

      <h3>Acceptance by model and job type</h3>
      <div className="chart-and-table">
        <IntervalBarChart data={acceptanceIntervals(report.acceptance, label)} title="Acceptance rate with its 95% interval, by job type and model" />
        <DataTable<AcceptanceRow>
          caption="Acceptance by model and job type (95% Wilson interval)"
          testId="acceptance-table"
          rows={report.acceptance}
          rowKey={(r) => `${r.model}|${r.jobType}`}
          columns={[
            { key: 'model', header: 'Model', value: (r) => r.model, cell: (r) => <span title={r.model}>{label(r.model)}</span> },
            { key: 'job', header: 'Job type', value: (r) => r.jobType },
            { key: 'feedback', header: 'With feedback', value: (r) => r.withFeedback, cell: (r) => count(r.withFeedback), numeric: true },
            { key: 'accepted', header: 'Accepted', value: (r) => r.accepted, cell: (r) => count(r.accepted), numeric: true },
            { key: 'rate', header: 'Rate', value: (r) => r.acceptanceRate.toFixed(4), cell: (r) => percent(r.acceptanceRate), numeric: true },
            { key: 'ci', header: '95% interval', value: (r) => `${r.ciLow.toFixed(4)}–${r.ciHigh.toFixed(4)}`, cell: (r) => `${percent(r.ciLow)} – ${percent(r.ciHigh)}`, numeric: true },
            { key: 'cpa', header: 'Per accepted (USD)', value: (r) => (r.costPerAccepted === null ? '' : formatPlain(r.costPerAccepted)), cell: (r) => (r.costPerAccepted === null ? '—' : usdUnit(r.costPerAccepted)), numeric: true },
            { key: 'sample', header: 'Sample', value: (r) => (r.withFeedback < MIN_FEEDBACK ? 'small' : 'ok'), cell: (r) => (r.withFeedback < MIN_FEEDBACK ? <span className="muted">small (&lt; {MIN_FEEDBACK})</span> : 'ok') },
          ]}
        />
      </div>
    </>
  );
});
