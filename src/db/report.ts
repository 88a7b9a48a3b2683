import { divideRounded, parseUsd, ratio } from '../domain/money';
import type { Filters } from '../domain/filters';
import type { UnpricedReason } from '../domain/pricing';
import { DEFAULT_BATCH_ELIGIBLE, type GroupFigures, type Report } from '../domain/report';
import { wilsonInterval } from '../domain/stats';
import type { Engine, Row } from './engine';
import { filterWhere } from './sql/filters';
import * as q from './sql/report';
import { loadReconciliation } from './reconcile';
import { RECONCILE_DIMENSIONS } from './sql/reconcile';
import type { Pico } from '../domain/money';

export interface ReportOptions {
  filters?: Filters;
  batchEligibleJobTypes?: readonly string[];
  /** Reconciliation: |billed − computed| per request above this is a difference (default $0.000001). */
  tolerance?: Pico;
  /** false: reconciliation totals only (the app's report; its Reconcile view loads the rest). */
  reconcileDetail?: boolean;
}

/** The report's reconciliation groups: model × provider × lane × size, the ten largest differences. */
const RECONCILE_REPORT_GROUPS = {
  model: RECONCILE_DIMENSIONS.model, provider: RECONCILE_DIMENSIONS.provider, lane: RECONCILE_DIMENSIONS.lane, image_size: RECONCILE_DIMENSIONS.image_size,
};

type MoneyRow = { cost: string; requests: number; images: number; unpriced_requests: number };

/** A row of `reportFiguresQuery`: one group of one of its sets (keys not in the set are NULL). */
interface FigureRow extends MoneyRow {
  grouping_id: number;
  model_key: string | null;
  image_size: string | null;
  provider: string | null;
  lane: string | null;
  job_type: string | null;
  month: string | null;
  unpriced_reason: UnpricedReason | null;
  all_requests: number;
  attempts: number;
  billed_attempts: number;
  all_images: number;
  retry_cost: string;
  retried_requests: number;
  with_feedback: number;
  accepted: number;
  feedback_cost: string;
  duplicate_requests: number;
  duplicate_cost: string;
  batch_requests: number;
  batch_cost: string;
  batch_standard_equivalent: string;
  realized_savings: string;
  potential_savings_all: string;
  potential_savings_eligible: string;
}

async function run<T = Row>(engine: Engine, query: q.Query): Promise<T[]> {
  return engine.query<T>(query.sql, query.params);
}

function figures(r: MoneyRow): GroupFigures {
  return { requests: r.requests, images: r.images, cost: parseUsd(r.cost), unpricedRequests: r.unpriced_requests };
}

/** The whole report over `priced`: the figures the CLI prints and the app shows. */
export async function buildReport(engine: Engine, options: ReportOptions = {}): Promise<Report> {
  const filters = options.filters ?? {};
  const where = filterWhere(filters);
  const eligible = [...(options.batchEligibleJobTypes ?? DEFAULT_BATCH_ELIGIBLE)];
  // Sent together: the browser's engine runs them back to back, with no wait for this thread between them.
  const [rows, [rejected], reconciliation] = await Promise.all([
    run<FigureRow>(engine, q.reportFiguresQuery(where, eligible, Boolean(filters.from || filters.to))),
    run<{ rejected: number }>(engine, q.rejectedRowsQuery()),
    loadReconciliation(engine, {
      filters, groupBy: RECONCILE_REPORT_GROUPS, limit: 10, detail: options.reconcileDetail !== false,
      ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    }),
  ]);
  const set = (name: q.ReportSet) => rows.filter((r) => r.grouping_id === q.reportSetId(name));
  const grouped = <K extends string>(name: q.ReportSet, keys: Record<K, keyof FigureRow>) =>
    set(name).map((r) => ({ ...(Object.fromEntries(Object.entries(keys).map(([k, c]) => [k, r[c as keyof FigureRow]])) as Record<K, string>), ...figures(r) }));
  const totals = set('totals')[0]!;
  const byModelRaw = grouped('model', { model: 'model_key' });
  const byResolution = grouped('image_size', { image_size: 'image_size' });
  const byModelResolution = grouped('model_image_size', { model: 'model_key', image_size: 'image_size' });
  const byProvider = grouped('provider', { provider: 'provider' });
  const byLane = grouped('lane', { lane: 'lane' });
  const byJobType = grouped('job_type', { job_type: 'job_type' });
  const byMonth = grouped('month', { month: 'month' });
  const retryByModel = set('model').filter((r) => r.requests > 0)
    .map((r) => ({ model: r.model_key!, retry_cost: r.retry_cost, retry_rate: r.retried_requests / r.requests }));
  const acceptance = set('model_job_type').filter((r) => r.with_feedback > 0)
    .map((r) => ({ model: r.model_key!, job_type: r.job_type!, with_feedback: r.with_feedback, accepted: r.accepted, cost: r.feedback_cost }));
  const unpriced = set('unpriced').filter((r) => r.unpriced_reason !== null)
    .map((r) => ({ model: r.model_key!, image_size: r.image_size!, lane: r.lane!, reason: r.unpriced_reason!, requests: r.all_requests }));

  const totalCost = parseUsd(totals.cost);
  const retryCost = parseUsd(totals.retry_cost);
  return {
    requests: totals.all_requests,
    rejectedRows: rejected!.rejected,
    attempts: totals.attempts,
    billedAttempts: totals.billed_attempts,
    images: totals.all_images,
    pricedRequests: totals.requests,
    unpricedRequests: totals.unpriced_requests,
    unpriced: unpriced.map((u) => ({ model: u.model, imageSize: u.image_size, lane: u.lane, reason: u.reason, requests: u.requests })),
    totalCost,
    byModel: byModelRaw,
    byResolution: byResolution.map(({ image_size, ...rest }) => ({ imageSize: image_size, ...rest })),
    byModelResolution: byModelResolution.map(({ image_size, ...rest }) => ({ imageSize: image_size, ...rest })),
    byProvider,
    byLane,
    byJobType: byJobType.map(({ job_type, ...rest }) => ({ jobType: job_type, ...rest })),
    byMonth,
    batch: {
      batchRequests: totals.batch_requests,
      batchCost: parseUsd(totals.batch_cost),
      batchStandardEquivalent: parseUsd(totals.batch_standard_equivalent),
      realizedSavings: parseUsd(totals.realized_savings),
      potentialSavingsAll: parseUsd(totals.potential_savings_all),
      potentialSavingsEligible: parseUsd(totals.potential_savings_eligible),
      eligibleJobTypes: eligible,
    },
    retry: {
      retryCost,
      retryShare: ratio(retryCost, totalCost),
      byModel: retryByModel.map((r) => ({ model: r.model, retryCost: parseUsd(r.retry_cost), retryRate: r.retry_rate })),
    },
    acceptance: acceptance.map((a) => {
      const cost = parseUsd(a.cost);
      const ci = wilsonInterval(a.accepted, a.with_feedback);
      return {
        model: a.model,
        jobType: a.job_type,
        withFeedback: a.with_feedback,
        accepted: a.accepted,
        acceptanceRate: a.accepted / a.with_feedback,
        ciLow: ci.low,
        ciHigh: ci.high,
        cost,
        costPerAccepted: a.accepted === 0 ? null : divideRounded(cost, a.accepted),
      };
    }),
    duplicates: { duplicateRequests: totals.duplicate_requests, duplicateCost: parseUsd(totals.duplicate_cost) },
    reconciliation,
  };
}
