import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MoneyBarChart } from '../../components/money-bar-chart';
import { DataTable } from '../../components/data-table';
import { count, usd } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { loadBatchByJobType, type BatchJobType } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { formatPlain } from '../../domain/money';
import { DEFAULT_BATCH_ELIGIBLE, type Report } from '../../domain/report';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { useAppStore } from '../../state/store';
import { batchRows, missedBars, type BatchRow } from './batch-chart-data';

const load = (engine: Engine, { filters }: QueryInputs) => loadBatchByJobType(engine, filters);

export function BatchPage() {
  const byJobType = useViewQuery(load);
  const { report, frame } = useReportFrame(byJobType);
  const figures = useSettled(frame.status, report && byJobType.data ? { report, byJobType: byJobType.data } : undefined);
  const { eligible, setEligible } = useAppStore(useShallow((s) => ({ eligible: s.batchEligibleJobTypes, setEligible: s.setBatchEligibleJobTypes })));
  return (
    <ViewFrame
      id="batch"
      title="Batch"
      intro="The batch lane costs half of standard and answers within 24 hours. Work that can wait (drafts, variants, thumbnails) belongs there."
      {...frame}
    >
      {figures ? <BatchView report={figures.report} byJobType={figures.byJobType} eligible={eligible} onEligible={setEligible} /> : null}
    </ViewFrame>
  );
}

/** Memoised: the page hands it the same figures while new ones load (`useSettled`). */
const BatchView = memo(function BatchView(props: { report: Report; byJobType: BatchJobType[]; eligible: string[]; onEligible: (jobTypes: string[]) => void }) {
  const { report, eligible } = props;
  const rows = batchRows(props.byJobType, eligible);
  const jobTypes = [...new Set([...rows.map((r) => r.jobType), ...eligible])].sort();
  const toggle = (jobType: string, on: boolean) => props.onEligible(on ? [...eligible, jobType].sort() : eligible.filter((j) => j !== jobType));
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Batch saved" value={usd(report.batch.realizedSavings)} testId="batch-realized" tone="good" hint={`${count(report.batch.batchRequests)} batch requests cost ${usd(report.batch.batchCost)} instead of ${usd(report.batch.batchStandardEquivalent)}`} />
        <StatCard label="Missed on eligible job types" value={usd(report.batch.potentialSavingsEligible)} testId="batch-missed" tone={report.batch.potentialSavingsEligible > 0n ? 'warn' : 'default'} hint="standard requests that could have waited" />
        <StatCard label="Missed on all standard work" value={usd(report.batch.potentialSavingsAll)} testId="batch-missed-all" hint="if every standard request had gone to batch" />
      </div>

      <h3 id="batch-eligible">Batch-eligible job types</h3>
      <fieldset className="checks" data-testid="batch-eligible">
        <legend className="sr-only">Job types that can wait for the batch lane</legend>
        {jobTypes.map((j) => (
          <label key={j}>
            <input type="checkbox" checked={eligible.includes(j)} onChange={(e) => toggle(j, e.target.checked)} data-testid={`eligible-${j}`} />
            {j}
          </label>
        ))}
        <button type="button" className="link-button" onClick={() => props.onEligible([...DEFAULT_BATCH_ELIGIBLE])}>
          Reset to default ({DEFAULT_BATCH_ELIGIBLE.join(', ')})
        </button>
      </fieldset>

      <h3>What standard requests would have saved on batch</h3>
      <div className="chart-and-table">
        <MoneyBarChart horizontal data={missedBars(rows)} title="Missed batch savings by job type" />
        <DataTable<BatchRow>
          caption="Batch savings by job type"
          testId="batch-table"
          rows={rows}
          rowKey={(r) => r.jobType}
          columns={[
            { key: 'job', header: 'Job type', value: (r) => r.jobType },
            { key: 'eligible', header: 'Eligible', value: (r) => (r.eligible ? 'yes' : 'no') },
            { key: 'standard', header: 'Standard requests', value: (r) => r.standardRequests, cell: (r) => count(r.standardRequests), numeric: true },
            { key: 'missed', header: 'Would save (USD)', value: (r) => formatPlain(r.potentialSavings), cell: (r) => usd(r.potentialSavings), numeric: true },
            { key: 'batch', header: 'Batch requests', value: (r) => r.batchRequests, cell: (r) => count(r.batchRequests), numeric: true },
            { key: 'saved', header: 'Saved (USD)', value: (r) => formatPlain(r.realizedSavings), cell: (r) => usd(r.realizedSavings), numeric: true },
          ]}
        />
      </div>
    </>
  );
});
