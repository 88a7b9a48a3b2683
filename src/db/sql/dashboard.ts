import { andWhere, type Where } from './filters';
import type { Query } from './report';

/**
 * SQL builders for the dashboard views over `priced`. Every user value arrives in `where`
 * as bound parameters; column names and buckets come only from the whitelists below.
 * Money leaves as exact VARCHAR and is parsed with parseUsd by the caller.
 */

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;

/** The filterable dimensions and the `priced` column behind each. */
export const FILTER_COLUMNS = {
  models: 'model_key',
  providers: 'provider',
  lanes: 'lane',
  jobTypes: 'job_type',
  sizes: 'image_size',
} as const;
export type FilterDimension = keyof typeof FILTER_COLUMNS;

/** Distinct values of one filter dimension over all loaded requests, most requests first. */
export function filterOptionsQuery(dimension: FilterDimension): Query {
  const column = FILTER_COLUMNS[dimension];
  return {
    sql: `SELECT ${column} AS value, count(*) AS requests FROM priced
      WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
    params: [],
  };
}

/** First and last UTC day in the loaded log (NULL when empty). */
export function dateRangeQuery(): Query {
  return {
    sql: `SELECT strftime(min(ts), '%Y-%m-%d') AS first_day, strftime(max(ts), '%Y-%m-%d') AS last_day FROM priced`,
    params: [],
  };
}

export type TimeGrain = 'day' | 'week' | 'month';

/** Bucket start as YYYY-MM-DD; weeks start on Monday (ISO). TIMESTAMP only, so no ICU is needed. */
export const GRAIN_SQL: Record<TimeGrain, string> = {
  day: `strftime(ts, '%Y-%m-%d')`,
  week: `strftime(date_trunc('week', ts), '%Y-%m-%d')`,
  month: `strftime(date_trunc('month', ts), '%Y-%m-%d')`,
};

/** Spend, requests and images of priced requests per day, week or month. */
export function spendOverTimeQuery(where: Where, grain: TimeGrain): Query {
  const w = andWhere(where, 'ts IS NOT NULL');
  return {
    sql: `SELECT ${GRAIN_SQL[grain]} AS bucket,
        count(*) FILTER (WHERE unpriced_reason IS NULL) AS requests,
        COALESCE(sum(images) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS images,
        ${money('sum(cost)')} AS cost,
        ${money('sum(retry_cost)')} AS retry_cost
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export const RETRY_DIMENSIONS = { model: 'model_key', image_size: 'image_size', job_type: 'job_type' } as const;
export type RetryDimension = keyof typeof RETRY_DIMENSIONS;

/** Retry cost, retry rate and attempts of priced requests per model, size or job type. */
export function retryByQuery(where: Where, dimension: RetryDimension): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  return {
    sql: `SELECT ${RETRY_DIMENSIONS[dimension]} AS key, count(*) AS requests,
        count(*) FILTER (WHERE attempt_count > 1) AS retried,
        COALESCE(sum(attempt_count), 0)::BIGINT AS attempts,
        COALESCE(sum(billed_attempts), 0)::BIGINT AS billed_attempts,
        ${money('sum(cost)')} AS cost,
        ${money('sum(retry_cost)')} AS retry_cost
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

/** How many requests took 1, 2, 3 … attempts, with their cost and retry cost (priced only). */
export function attemptDistributionQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  return {
    sql: `SELECT attempt_count AS attempts, count(*) AS requests,
        ${money('sum(cost)')} AS cost, ${money('sum(retry_cost)')} AS retry_cost
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

/** Realised batch savings per job type: batch requests against the standard lane. */
export function batchRealizedByJobTypeQuery(where: Where): Query {
  const w = andWhere(where, `unpriced_reason IS NULL AND lane = 'batch'`);
  return {
    sql: `SELECT job_type, count(*) AS requests, ${money('sum(cost)')} AS cost,
        ${money('sum(cost_standard - cost) FILTER (WHERE cost_standard IS NOT NULL)')} AS realized_savings
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

/** Summary of repeated prompt hashes: how many hashes repeat and what the repeats cost. */
export function duplicateSummaryQuery(where: Where): Query {
  const w = andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`);
  return {
    sql: `WITH hashes AS (SELECT prompt_hash, count(*) AS n FROM priced ${w.sql} GROUP BY 1)
      SELECT count(*) FILTER (WHERE n > 1) AS repeated_hashes,
        COALESCE(sum(n) FILTER (WHERE n > 1), 0)::BIGINT AS requests_in_repeats,
        count(*) AS distinct_hashes
      FROM hashes`,
    params: w.params,
  };
}

/**
 * The most repeated prompt hashes: occurrences, the cost of all of them and of every
 * occurrence after the first (by time, then request id), which is the re-generation cost.
 */
export function topDuplicatesQuery(where: Where, limit: number): Query {
  const w = andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`);
  return {
    sql: `WITH ordered AS (
        SELECT prompt_hash, model_key, job_type, ts, unpriced_reason, cost,
          row_number() OVER (PARTITION BY prompt_hash ORDER BY ts, request_id, row_id) AS occurrence,
          count(*) OVER (PARTITION BY prompt_hash) AS n
        FROM priced ${w.sql})
      SELECT prompt_hash, max(n) AS requests,
        string_agg(DISTINCT model_key, ', ' ORDER BY model_key) AS models,
        string_agg(DISTINCT job_type, ', ' ORDER BY job_type) AS job_types,
        strftime(min(ts), '%Y-%m-%d') AS first_day, strftime(max(ts), '%Y-%m-%d') AS last_day,
        ${money('sum(cost)')} AS cost,
        ${money('sum(cost) FILTER (WHERE occurrence > 1)')} AS regen_cost
      FROM ordered WHERE n > 1
      GROUP BY 1 ORDER BY 2 DESC, sum(cost) FILTER (WHERE occurrence > 1) DESC NULLS LAST, 1
      LIMIT ?`,
    params: [...w.params, Math.max(1, Math.floor(limit))],
  };
}
