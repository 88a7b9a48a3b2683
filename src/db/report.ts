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

async function run<T = Row>(engine: Engine, query: q.Query): Promise<T[]> {
  return engine.query<T>(query.sql, query.params);
}

function figures(r: MoneyRow): GroupFigures {
  return { requests: r.requests, images: r.images, cost: parseUsd(r.cost), unpricedRequests: r.unpriced_requests };
}

/** The whole report over `priced`: the figures the CLI prints and the app shows. */
export async function buildReport(engine: Engine, options: ReportOptions = {}): Promise<Report> {
  const where = filterWhere(options.filters ?? {});
  const eligible = [...(options.batchEligibleJobTypes ?? DEFAULT_BATCH_ELIGIBLE)];
  const [totals] = await run<{
    requests: number; attempts: number; billed_attempts: number; images: number;
    priced_requests: number; unpriced_requests: number; total_cost: string; retry_cost: string;
  }>(engine, q.totalsQuery(where));
  const [rejected] = await run<{ rejected: number }>(engine, q.rejectedRowsQuery());
  const grouped = async <K extends string>(keys: Record<K, string>) =>
    (await run<MoneyRow & Record<K, string>>(engine, q.groupQuery(where, keys))).map((r) => {
      const keyValues = Object.fromEntries(Object.keys(keys).map((k) => [k, r[k as K]])) as unknown as Record<K, string>;
      return { ...keyValues, ...figures(r) };
    });

  const byModelRaw = await grouped({ model: 'model_key' });
  const byResolution = await grouped({ image_size: 'image_size' });
  const byModelResolution = await grouped({ model: 'model_key', image_size: 'image_size' });
  const byProvider = await grouped({ provider: 'provider' });
  const byLane = await grouped({ lane: 'lane' });
  const byJobType = await grouped({ job_type: 'job_type' });
  const byMonth = await grouped({ month: q.MONTH_SQL });

  const [batch] = await run<Record<string, string | number>>(engine, q.batchQuery(where, eligible));
  const retryByModel = await run<{ model: string; retry_cost: string; retry_rate: number }>(engine, q.retryByModelQuery(where));
  const acceptance = await run<{ model: string; job_type: string; with_feedback: number; accepted: number; cost: string }>(
    engine,
    q.acceptanceQuery(where),
  );
  const [dup] = await run<{ duplicate_requests: number; duplicate_cost: string }>(engine, q.duplicatesQuery(where));
  const unpriced = await run<{ model: string; image_size: string; lane: string; reason: UnpricedReason; requests: number }>(
    engine,
    q.unpricedQuery(where),
  );

  const reconciliation = await loadReconciliation(engine, {
    filters: options.filters ?? {}, groupBy: RECONCILE_REPORT_GROUPS, limit: 10, detail: options.reconcileDetail !== false,
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
  });

  const totalCost = parseUsd(totals!.total_cost);
  const retryCost = parseUsd(totals!.retry_cost);
  return {
    requests: totals!.requests,
    rejectedRows: rejected!.rejected,
    attempts: totals!.attempts,
    billedAttempts: totals!.billed_attempts,
    images: totals!.images,
    pricedRequests: totals!.priced_requests,
    unpricedRequests: totals!.unpriced_requests,
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
      batchRequests: Number(batch!.batch_requests),
      batchCost: parseUsd(String(batch!.batch_cost)),
      batchStandardEquivalent: parseUsd(String(batch!.batch_standard_equivalent)),
      realizedSavings: parseUsd(String(batch!.realized_savings)),
      potentialSavingsAll: parseUsd(String(batch!.potential_savings_all)),
      potentialSavingsEligible: parseUsd(String(batch!.potential_savings_eligible)),
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
    duplicates: { duplicateRequests: dup!.duplicate_requests, duplicateCost: parseUsd(dup!.duplicate_cost) },
    reconciliation,
  };
}
