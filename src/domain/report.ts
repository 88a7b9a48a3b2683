import { toUsdNumber, type Pico } from './money';
import type { UnpricedReason } from './pricing';
import { reconciliationToJson, type Reconciliation } from './reconcile';

/** Job types that can usually wait up to 24 h for the batch lane (reference guide 000). */
export const DEFAULT_BATCH_ELIGIBLE = ['draft', 'variant', 'thumbnail'];

export interface GroupFigures {
  requests: number;
  images: number;
  cost: Pico;
  unpricedRequests: number;
}

export interface Report {
  requests: number;
  rejectedRows: number;
  attempts: number;
  billedAttempts: number;
  images: number;
  pricedRequests: number;
  unpricedRequests: number;
  unpriced: { model: string; imageSize: string; lane: string; reason: UnpricedReason; requests: number }[];
  totalCost: Pico;
  byModel: ({ model: string } & GroupFigures)[];
  byResolution: ({ imageSize: string } & GroupFigures)[];
  byModelResolution: ({ model: string; imageSize: string } & GroupFigures)[];
  byProvider: ({ provider: string } & GroupFigures)[];
  byLane: ({ lane: string } & GroupFigures)[];
  byJobType: ({ jobType: string } & GroupFigures)[];
  byMonth: ({ month: string } & GroupFigures)[];
  batch: {
    batchRequests: number;
    batchCost: Pico;
    batchStandardEquivalent: Pico;
    realizedSavings: Pico;
    potentialSavingsAll: Pico;
    potentialSavingsEligible: Pico;
    eligibleJobTypes: string[];
  };
  retry: {
    retryCost: Pico;
    retryShare: number;
    byModel: { model: string; retryCost: Pico; retryRate: number }[];
  };
  acceptance: {
    model: string;
    jobType: string;
    withFeedback: number;
    accepted: number;
    acceptanceRate: number;
    ciLow: number;
    ciHigh: number;
    cost: Pico;
    costPerAccepted: Pico | null;
  }[];
  duplicates: { duplicateRequests: number; duplicateCost: Pico };
  reconciliation: Reconciliation;
}

const usd = toUsdNumber;

function group<K extends Record<string, string>>(rows: (K & GroupFigures)[], keys: Record<keyof K, string>) {
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [from, to] of Object.entries(keys)) out[to as string] = r[from as keyof K];
    return { ...out, requests: r.requests, images: r.images, cost: usd(r.cost), unpriced_requests: r.unpricedRequests };
  });
}

/**
 * The report's JSON contract (docs/report-json.md): snake_case keys, money in USD as
 * numbers (converted once, here, from exact picodollar sums), canonical model ids.
 */
export function reportToJson(report: Report) {
  return {
    requests: report.requests,
    rejected_rows: report.rejectedRows,
    attempts: report.attempts,
    billed_attempts: report.billedAttempts,
    images: report.images,
    priced_requests: report.pricedRequests,
    unpriced_requests: report.unpricedRequests,
    unpriced: report.unpriced.map((u) => ({ model: u.model, image_size: u.imageSize, lane: u.lane, reason: u.reason, requests: u.requests })),
    total_cost: usd(report.totalCost),
    by_model: group(report.byModel, { model: 'model' }),
    by_resolution: group(report.byResolution, { imageSize: 'image_size' }),
    by_model_resolution: group(report.byModelResolution, { model: 'model', imageSize: 'image_size' }),
    by_provider: group(report.byProvider, { provider: 'provider' }),
    by_lane: group(report.byLane, { lane: 'lane' }),
    by_job_type: group(report.byJobType, { jobType: 'job_type' }),
    by_month: group(report.byMonth, { month: 'month' }),
    batch: {
      batch_requests: report.batch.batchRequests,
      batch_cost: usd(report.batch.batchCost),
      batch_standard_equivalent: usd(report.batch.batchStandardEquivalent),
      realized_savings: usd(report.batch.realizedSavings),
      potential_savings_all: usd(report.batch.potentialSavingsAll),
      potential_savings_eligible: usd(report.batch.potentialSavingsEligible),
      eligible_job_types: report.batch.eligibleJobTypes,
    },
    retry: {
      retry_cost: usd(report.retry.retryCost),
      retry_share: report.retry.retryShare,
      by_model: report.retry.byModel.map((r) => ({ model: r.model, retry_cost: usd(r.retryCost), retry_rate: r.retryRate })),
    },
    acceptance: report.acceptance.map((a) => ({
      model: a.model,
      job_type: a.jobType,
      with_feedback: a.withFeedback,
      accepted: a.accepted,
      acceptance_rate: a.acceptanceRate,
      ci_low: a.ciLow,
      ci_high: a.ciHigh,
      cost: usd(a.cost),
      cost_per_accepted: a.costPerAccepted === null ? null : usd(a.costPerAccepted),
    })),
    duplicates: { duplicate_requests: report.duplicates.duplicateRequests, duplicate_cost: usd(report.duplicates.duplicateCost) },
    reconciliation: reconciliationToJson(report.reconciliation),
  };
}

export type ReportJson = ReturnType<typeof reportToJson>;
