import { memo } from 'react';
import { MoneyBarChart } from '../../components/money-bar-chart';
import { DataTable } from '../../components/data-table';
import { count, percent, usd, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { loadRetryBreakdown, type AttemptBucket, type RetryBreakdown } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { formatPlain } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { attemptBars, attemptComparison, attemptCostRatio, overallRetryRate, proRetries, retryBars, retryRows, type RetryRow } from './retry-chart-data';

const load = (engine: Engine, { filters }: QueryInputs) => loadRetryBreakdown(engine, filters);

export function RetryPage() {
  const breakdown = useViewQuery(load);
  const { report, rates, frame } = useReportFrame(breakdown);
  const figures = useSettled(frame.status, report && breakdown.data && rates ? { report, rates, breakdown: breakdown.data } : undefined);
  return (
    <ViewFrame
      id="retry"
      title="Retry tax"
      intro="Every billed attempt after the first is paid again. The retry tax is what those repeats cost (priced requests)."
      {...frame}
    >
      {figures ? <RetryView report={figures.report} breakdown={figures.breakdown} rates={figures.rates} /> : null}
    </ViewFrame>
  );
}

function RetryTable(props: { title: string; id: string; keyHeader: string; rows: RetryRow[] }) {
  return (
    <>
      <h3>{props.title}</h3>
      <div className="chart-and-table">
        <MoneyBarChart horizontal data={retryBars(props.rows)} title={props.title} />
        <DataTable<RetryRow>
          caption={props.title}
          testId={`retry-${props.id}-table`}
          rows={props.rows}
          rowKey={(r) => r.key}
          columns={[
            { key: 'key', header: props.keyHeader, value: (r) => r.key, cell: (r) => <span title={r.key}>{r.label}</span> },
            { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
            { key: 'retried', header: 'Retried', value: (r) => r.retried, cell: (r) => count(r.retried), numeric: true },
            { key: 'rate', header: 'Retry rate', value: (r) => r.retryRate.toFixed(4), cell: (r) => percent(r.retryRate), numeric: true },
            { key: 'retry-cost', header: 'Retry tax (USD)', value: (r) => formatPlain(r.retryCost), cell: (r) => usd(r.retryCost), numeric: true },
            { key: 'share', header: 'Of its spend', value: (r) => r.retryShare.toFixed(4), cell: (r) => percent(r.retryShare), numeric: true },
          ]}
        />
      </div>
    </>
  );
}

/** Memoised: the page hands it the same figures while new ones load (`useSettled`). */
const RetryView = memo(function RetryView({ report, breakdown, rates }: { report: Report; breakdown: RetryBreakdown; rates: ActiveRates }) {
  const label = (model: string) => rates.models.get(model)?.label ?? model;
  const overall = overallRetryRate(breakdown.byModel);
  const pro = proRetries(breakdown.byModel, (m) => rates.models.get(m)?.family === 'pro');
  const perAttempt = attemptCostRatio(breakdown.byModel, (m) => rates.models.get(m)?.family);
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Retry tax" value={usd(report.retry.retryCost)} testId="retry-cost" tone={report.retry.retryCost > 0n ? 'warn' : 'default'} />
        <StatCard label="Share of spend" value={percent(report.retry.retryShare)} testId="retry-share" />
        <StatCard label="Retry rate" value={percent(overall.rate)} testId="retry-rate" hint={`${count(overall.retried)} of ${count(overall.requests)} priced requests retried`} />
        <StatCard label="Pro retry tax" value={usd(pro.retryCost)} testId="pro-retry-cost" tone={pro.retried > 0 ? 'warn' : 'good'} hint={`${count(pro.retried)} Pro requests retried`} />
      </div>
      {pro.retried > 0 ? (
        <p className="callout" data-testid="pro-retry-callout">
          <strong>Don't silently retry Pro.</strong> {count(pro.retried)} requests to {pro.models.map(label).join(', ')} were retried, costing{' '}
          {usd(pro.retryCost)} in repeats. <span data-testid="pro-flash-ratio">{attemptComparison(perAttempt)}</span>
          {perAttempt ? ` (${usdUnit(perAttempt.pro)} vs ${usdUnit(perAttempt.flash)} per billed attempt at the active prices)` : ''}: surface failures to a
          person, or fall back to Flash, instead of retrying Pro automatically.
        </p>
      ) : (
        <p className="callout callout--good">No Pro request in this selection was retried.</p>
      )}
      <RetryTable title="Retry tax by model" id="model" keyHeader="Model" rows={retryRows(breakdown.byModel, label)} />
      <RetryTable title="Retry tax by resolution" id="resolution" keyHeader="Resolution" rows={retryRows(breakdown.byResolution)} />
      <RetryTable title="Retry tax by job type" id="job-type" keyHeader="Job type" rows={retryRows(breakdown.byJobType)} />
      <h3>Attempts per request</h3>
      <div className="chart-and-table">
        <AttemptChart buckets={breakdown.attempts} />
        <DataTable<AttemptBucket>
          caption="Requests by attempt count"
          testId="retry-attempts-table"
          rows={breakdown.attempts}
          rowKey={(r) => String(r.attempts)}
          columns={[
            { key: 'attempts', header: 'Attempts', value: (r) => r.attempts, numeric: true },
            { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
            { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
            { key: 'retry-cost', header: 'Retry tax (USD)', value: (r) => formatPlain(r.retryCost), cell: (r) => usd(r.retryCost), numeric: true },
          ]}
        />
      </div>
    </>
  );
});

function AttemptChart({ buckets }: { buckets: AttemptBucket[] }) {
  return <MoneyBarChart data={attemptBars(buckets)} title="Requests by attempt count" unit="count" />;
}
