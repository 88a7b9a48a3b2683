import { fromCSV, op, type ColumnTable } from 'arquero';

/** The dimensions the baseline sums requests by, as the report groups them (the month from the day). */
export const BASELINE_DIMENSIONS = ['model', 'image_size', 'provider', 'lane', 'job_type', 'month'] as const;
export type BaselineDimension = (typeof BASELINE_DIMENSIONS)[number];

export interface BaselineTotals {
  requests: number;
  images: number;
  attempts: number;
  billedAttempts: number;
  withFeedback: number;
  accepted: number;
}

export interface Baseline {
  rows: number;
  totals: BaselineTotals;
  /** Requests per value of each dimension. */
  requestsBy: Record<BaselineDimension, Map<string, number>>;
  parseMs: number;
  aggregateMs: number;
}

/** The canonical log's columns the baseline reads (`generate-sample.mts` writes them all). */
const BASELINE_COLUMNS = ['timestamp', 'model', 'provider', 'lane', 'image_size', 'job_type', 'images', 'attempt_count', 'billed_attempts', 'accepted_by_user'];

/** The columns the baseline reads that the header of a CSV (its text, or its first line at least) lacks. */
export function missingColumns(text: string): string[] {
  const end = text.indexOf('\n');
  const header = (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '').trim().split(',');
  return BASELINE_COLUMNS.filter((c) => !header.includes(c));
}

const SUMS = {
  requests: 'd => op.sum(d.requests)',
  images: 'd => op.sum(d.images)',
  attempts: 'd => op.sum(d.attempts)',
  billed_attempts: 'd => op.sum(d.billed_attempts)',
  with_feedback: 'd => op.sum(d.with_feedback)',
  accepted: 'd => op.sum(d.accepted)',
};

/**
 * The core aggregates of a canonical request log in Arquero, a plain-JavaScript data-frame library,
 * as `bench:compare --arquero` times them against the app's engines: the CSV parsed with Arquero's
 * type inference, summed per UTC day and key (model as logged, provider, lane, size, job type) the
 * way the usage cube is, then per model, size, provider, lane, job type and month from those sums.
 * Neither validated nor priced, and the day is the timestamp's first ten characters, which holds
 * for the ISO timestamps in UTC that `generate-sample.mts` writes and not for every form a log may use.
 */
export function arqueroBaseline(text: string): Baseline {
  const t0 = performance.now();
  const missing = missingColumns(text);
  if (missing.length > 0) throw new Error(`the Arquero baseline reads the canonical log's columns; this file has no ${missing.join(', ')}`);
  const rows = fromCSV(text, { parse: { timestamp: String, request_id: String, prompt_hash: String } });
  const t1 = performance.now();
  const cube = rows
    .derive({
      day: 'd => op.substring(d.timestamp, 0, 10)',
      with_feedback: 'd => d.accepted_by_user == null ? 0 : 1',
      accepted: 'd => d.accepted_by_user === true ? 1 : 0',
    })
    .groupby('day', 'model', 'provider', 'lane', 'image_size', 'job_type')
    .rollup({
      requests: op.count(),
      images: 'd => op.sum(d.images)',
      attempts: 'd => op.sum(d.attempt_count)',
      billed_attempts: 'd => op.sum(d.billed_attempts)',
      with_feedback: 'd => op.sum(d.with_feedback)',
      accepted: 'd => op.sum(d.accepted)',
    })
    .derive({ month: 'd => op.substring(d.day, 0, 7)' });
  const total = cube.rollup(SUMS).object() as Record<keyof typeof SUMS, number>;
  const requestsBy = Object.fromEntries(
    BASELINE_DIMENSIONS.map((dimension) => [dimension, requestsPer(cube, dimension)]),
  ) as Record<BaselineDimension, Map<string, number>>;
  const t2 = performance.now();
  return {
    rows: rows.numRows(),
    totals: {
      requests: total.requests,
      images: total.images,
      attempts: total.attempts,
      billedAttempts: total.billed_attempts,
      withFeedback: total.with_feedback,
      accepted: total.accepted,
    },
    requestsBy,
    parseMs: t1 - t0,
    aggregateMs: t2 - t1,
  };
}

function requestsPer(cube: ColumnTable, dimension: BaselineDimension): Map<string, number> {
  const groups = cube.groupby(dimension).rollup(SUMS).objects() as Record<string, unknown>[];
  return new Map(groups.map((g) => [String(g[dimension]), Number(g.requests)]));
}
