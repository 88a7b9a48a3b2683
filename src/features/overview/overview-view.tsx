import { memo } from 'react';
import { MoneyBarChart } from '../../components/money-bar-chart';
import { DataTable } from '../../components/data-table';
import { count, percent, usd, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import type { TimeBucket } from '../../db/dashboard';
import { divideRounded, formatPlain, ZERO } from '../../domain/money';
import { UNPRICED_LABELS } from '../../domain/pricing';
import type { ActiveRates } from '../../domain/rate-card';
import type { Reconciliation } from '../../domain/reconcile';
import type { Report } from '../../domain/report';
import { byModelBars, type ModelBar } from './by-model-chart-data';
import { costPerAccepted, timeBars, type Grain } from './overview-figures';

const GRAINS: Grain[] = ['day', 'week', 'month'];

/** Memoised: the page hands it the same figures while new ones load, and it is not drawn again for that. */
export const OverviewView = memo(function OverviewView(props: { report: Report; rates: ActiveRates; overTime: TimeBucket[]; grain: Grain; onGrain: (g: Grain) => void }) {
  const { report, rates } = props;
  const bars = byModelBars(report, rates.models);
  const images = pricedImages(report);
  const perImage = images > 0 ? divideRounded(report.totalCost, images) : ZERO;
  const accepted = costPerAccepted(report);
  const perAccepted = accepted.accepted > 0 ? divideRounded(accepted.cost, accepted.accepted) : null;
  const time = timeBars(props.overTime, props.grain);
  const missedOther = report.batch.potentialSavingsAll - report.batch.potentialSavingsEligible;
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Total spend" value={usd(report.totalCost)} testId="total-cost" hint={`${count(report.pricedRequests)} priced requests`} />
        <StatCard label="Requests" value={count(report.requests)} testId="requests" hint={`${count(report.attempts)} attempts`} />
        <StatCard label="Images" value={count(report.images)} testId="images" />
        <StatCard label="Average cost per image" value={usdUnit(perImage)} testId="cost-per-image" hint="priced requests" />
        <StatCard
          label="Retry tax"
          value={usd(report.retry.retryCost)}
          testId="retry-cost"
          tone={report.retry.retryCost > 0n ? 'warn' : 'default'}
          hint={`${percent(report.retry.retryShare)} of spend went to repeated attempts`}
        />
        <StatCard label="Batch savings realised" value={usd(report.batch.realizedSavings)} testId="batch-realized" tone="good" hint={`${count(report.batch.batchRequests)} batch requests`} />
        <StatCard
          label="Batch savings missed"
          value={usd(report.batch.potentialSavingsEligible)}
          testId="batch-missed"
          tone={report.batch.potentialSavingsEligible > 0n ? 'warn' : 'default'}
          hint={`eligible job types (${report.batch.eligibleJobTypes.join(', ') || 'none'}); ${usd(missedOther as typeof ZERO)} more on the rest`}
        />
        <StatCard
          label="Cost per accepted image"
          value={perAccepted === null ? '—' : usdUnit(perAccepted)}
          testId="cost-per-accepted"
          hint={`${count(accepted.accepted)} accepted of ${count(accepted.withFeedback)} with feedback`}
        />
        <StatCard
          label="Unpriced requests"
          value={count(report.unpricedRequests)}
          testId="unpriced-requests"
          tone={report.unpricedRequests > 0 ? 'warn' : 'default'}
          hint={report.unpricedRequests > 0 ? <a href="#unpriced">not in the total: see why</a> : 'every request has a price'}
        />
        {report.reconciliation.requestsWithBilledCost > 0 ? <BilledVsComputedCard rec={report.reconciliation} /> : null}
      </div>

      <div className="section-head">
        <h3 id="over-time">Spend over time</h3>
        <div className="segmented" role="group" aria-label="Time bucket">
          {GRAINS.map((g) => (
            <button key={g} type="button" aria-pressed={props.grain === g} onClick={() => props.onGrain(g)} data-testid={`grain-${g}`}>
              {g === 'day' ? 'Day' : g === 'week' ? 'Week' : 'Month'}
            </button>
          ))}
        </div>
      </div>
      <div className="chart-and-table">
        <MoneyBarChart time data={time} title={`Spend per ${props.grain}`} />
        <div className="scroll-table">
          <DataTable<TimeBucket>
            caption={`Spend per ${props.grain} (UTC${props.grain === 'week' ? ', weeks start Monday' : ''})`}
            testId="over-time-table"
            rows={props.overTime}
            rowKey={(r) => r.bucket}
            columns={[
              { key: 'bucket', header: props.grain === 'day' ? 'Day' : props.grain === 'week' ? 'Week of' : 'Month', value: (r) => (props.grain === 'month' ? r.bucket.slice(0, 7) : r.bucket) },
              { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
              { key: 'images', header: 'Images', value: (r) => r.images, cell: (r) => count(r.images), numeric: true },
              { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
              { key: 'retry', header: 'Retry tax (USD)', value: (r) => formatPlain(r.retryCost), cell: (r) => usd(r.retryCost), numeric: true },
            ]}
          />
        </div>
      </div>

      <h3>Spend by model</h3>
      <div className="chart-and-table">
        <MoneyBarChart horizontal data={bars.map((b) => ({ key: b.model, label: b.label, value: b.cost, exact: `$${formatPlain(b.exact)}` }))} title="Spend by model" />
        <DataTable<ModelBar>
          caption="Spend by model (priced requests)"
          testId="by-model-table"
          rows={bars}
          rowKey={(r) => r.model}
          columns={[
            { key: 'model', header: 'Model', value: (r) => r.model, cell: (r) => <span title={r.model}>{r.label}</span> },
            { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
            { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.exact), cell: (r) => usd(r.cost), numeric: true },
            { key: 'unpriced', header: 'Unpriced', value: (r) => r.unpriced, cell: (r) => (r.unpriced ? count(r.unpriced) : '—'), numeric: true },
          ]}
        />
      </div>

      <h3 id="unpriced" tabIndex={-1}>Why some requests are unpriced</h3>
      {report.unpriced.length > 0 ? (
        <>
          <p className="muted">Unpriced requests are never guessed: add a price on the Rate card screen to include them.</p>
          <DataTable
            caption="Unpriced requests by reason"
            testId="unpriced-table"
            rows={report.unpriced}
            rowKey={(u) => `${u.model}|${u.imageSize}|${u.lane}|${u.reason}`}
            columns={[
              { key: 'reason', header: 'Reason', value: (u) => UNPRICED_LABELS[u.reason] },
              { key: 'model', header: 'Model', value: (u) => u.model },
              { key: 'size', header: 'Size', value: (u) => u.imageSize },
              { key: 'lane', header: 'Lane', value: (u) => u.lane },
              { key: 'requests', header: 'Requests', value: (u) => u.requests, cell: (u) => count(u.requests), numeric: true },
            ]}
          />
        </>
      ) : (
        <p className="muted">Every request in this selection has a price.</p>
      )}
    </>
  );
});

/** Shown only when the log carries billed cost; the Reconcile view explains the difference. */
function BilledVsComputedCard({ rec }: { rec: Reconciliation }) {
  return (
    <StatCard
      label="Billed vs computed"
      value={usdUnit(rec.difference)}
      testId="billed-vs-computed"
      tone={rec.difference === 0n ? 'good' : 'warn'}
      hint={
        <>
          billed {usd(rec.billed)} − computed {usd(rec.computed)} over {count(rec.pricedRequests)} requests with billed cost
          {rec.unpricedRequests > 0 ? `; ${usd(rec.unpricedBilled)} billed on ${count(rec.unpricedRequests)} unpriced` : ''}
        </>
      }
    />
  );
}

function pricedImages(report: Report): number {
  return report.byModel.reduce((sum, m) => sum + m.images, 0);
}
