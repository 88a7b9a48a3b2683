import { andWhere, type Where } from './filters';
import { pricedRowsSql } from './pricing';
import { REQUESTS, type Query } from './report';

/**
 * SQL builders for the dashboard views over `priced_cube`, its sums per day and month
 * (`priced_days`, `priced_months`) and, for per-prompt figures, the row-level `priced` view. Every
 * user value arrives in `where` as bound parameters; column names and buckets come only from the
 * whitelists below.
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

/**
 * The distinct values of every filter dimension over all loaded requests, in one pass over
 * `priced_months` (each dimension is one of its keys): a row per value (`dimension` names its
 * dimension), most requests first.
 */
export function filterOptionsQuery(): Query {
  const each = perDimension(FILTER_COLUMNS);
  return {
    sql: `SELECT * FROM (
        SELECT ${each.dimension} AS dimension, ${each.value} AS value, COALESCE(sum(m_all_requests), 0)::BIGINT AS requests
        FROM priced_months GROUP BY ${each.sets})
      WHERE value IS NOT NULL ORDER BY dimension, requests DESC, value`,
    params: [],
  };
}

/**
 * A grouping set per dimension (`columns`: its name → its column), and for each row the name of
 * its set's dimension and that column's value: several dimensions' groups in one pass.
 */
function perDimension(columns: Record<string, string>): { dimension: string; value: string; sets: string } {
  const entries = Object.entries(columns);
  const pick = (value: (name: string, column: string) => string) =>
    `CASE ${entries.map(([name, column]) => `WHEN grouping(${column}) = 0 THEN ${value(name, column)}`).join(' ')} END`;
  return {
    dimension: pick((name) => `'${name}'`),
    value: pick((_, column) => column),
    sets: `GROUPING SETS (${entries.map(([, column]) => `(${column})`).join(', ')})`,
  };
}

/** First and last UTC day in the loaded log (NULL when empty). */
export function dateRangeQuery(): Query {
  return {
    sql: `SELECT strftime(min(day), '%Y-%m-%d') AS first_day, strftime(max(day), '%Y-%m-%d') AS last_day FROM priced_days`,
    params: [],
  };
}

export type TimeGrain = 'day' | 'week' | 'month';

/** Bucket start; weeks start on Monday (ISO). TIMESTAMP only, so no ICU is needed. */
const GRAIN_SQL: Record<TimeGrain, string> = {
  day: 'day',
  week: `date_trunc('week', day)`,
  month: `date_trunc('month', day)`,
};

/**
 * Spend, requests and images of priced requests per day, week or month (bucket start as YYYY-MM-DD),
 * from `priced_days`: every filter is on one of its keys. The bucket is written as text once per
 * bucket, not once per row: half the query's time unfiltered.
 */
export function spendOverTimeQuery(where: Where, grain: TimeGrain): Query {
  return {
    sql: `SELECT strftime(start, '%Y-%m-%d') AS bucket, * EXCLUDE (start) FROM (
        SELECT ${GRAIN_SQL[grain]} AS start,
          COALESCE(sum(m_requests), 0)::BIGINT AS requests,
          COALESCE(sum(m_images), 0)::BIGINT AS images,
          ${money('sum(m_cost)')} AS cost,
          ${money('sum(m_retry_cost)')} AS retry_cost
        FROM priced_days ${where.sql} GROUP BY 1)
      ORDER BY 1`,
    params: where.params,
  };
}

export const RETRY_DIMENSIONS = { model: 'model_key', image_size: 'image_size', job_type: 'job_type' } as const;
export type RetryDimension = keyof typeof RETRY_DIMENSIONS;

/**
 * Retry cost, retry rate and attempts of priced requests per model, size and job type, from
 * `priced_days`: a row per value of each dimension (`dimension` names it), sorted by dimension and key.
 */
export function retryByQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  const each = perDimension(RETRY_DIMENSIONS);
  return {
    sql: `SELECT ${each.dimension} AS dimension, ${each.value} AS key,
        COALESCE(sum(m_requests), 0)::BIGINT AS requests,
        COALESCE(sum(m_retried_requests), 0)::BIGINT AS retried,
        COALESCE(sum(m_attempts), 0)::BIGINT AS attempts,
        COALESCE(sum(m_billed_attempts), 0)::BIGINT AS billed_attempts,
        ${money('sum(m_cost)')} AS cost,
        ${money('sum(m_retry_cost)')} AS retry_cost
      FROM priced_days ${w.sql} GROUP BY ${each.sets}
      ORDER BY 1, 2`,
    params: w.params,
  };
}

/** How many requests took 1, 2, 3 … attempts, with their cost and retry cost (priced only). */
export function attemptDistributionQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  return {
    sql: `SELECT attempt_count AS attempts, ${REQUESTS} AS requests,
        ${money('sum(cost)')} AS cost, ${money('sum(retry_cost)')} AS retry_cost
      FROM priced_cube ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

/**
 * Batch figures per job type, from `priced_days`: standard requests' cost and potential batch
 * savings (where the batch lane is priced), and batch requests' cost and realised savings against
 * the standard lane.
 */
export function batchByJobTypeQuery(where: Where): Query {
  const w = andWhere(where, `unpriced_reason IS NULL AND lane IN ('standard', 'batch')`);
  const on = (lane: string, sum: string) => `${sum} FILTER (WHERE lane = '${lane}')`;
  return {
    sql: `SELECT job_type,
        COALESCE(${on('standard', 'sum(m_requests)')}, 0)::BIGINT AS standard_requests,
        COALESCE(${on('standard', 'sum(m_batchable_requests)')}, 0)::BIGINT AS batchable_requests,
        ${money(on('standard', 'sum(m_cost)'))} AS standard_cost,
        ${money(on('standard', 'sum(m_potential_savings_all)'))} AS potential_savings,
        COALESCE(${on('batch', 'sum(m_requests)')}, 0)::BIGINT AS batch_requests,
        ${money(on('batch', 'sum(m_cost)'))} AS batch_cost,
        ${money(on('batch', 'sum(m_realized_savings)'))} AS realized_savings
      FROM priced_days ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

/**
 * Requests per non-empty prompt hash (`prompt_hash`, `n`) under the filters; with none, only the
 * hashes the log repeats, counted once per load (`shared_prompts`).
 */
function hashCounts(where: Where): string {
  if (where.sql === '') return 'SELECT prompt_hash, requests AS n FROM shared_prompts';
  return `SELECT prompt_hash, count(*) AS n FROM request_dims ${andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`).sql} GROUP BY 1`;
}

/** Summary of repeated prompt hashes: how many hashes repeat and what the repeats cost. */
export function duplicateSummaryQuery(where: Where): Query {
  const w = andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`);
  // Without a filter the hashes seen once are not listed: each is one of the hashed requests not in a repeat.
  const distinct = where.sql === ''
    ? `(SELECT count(*) FROM requests ${w.sql}) - COALESCE(sum(n), 0) + count(*)`
    : 'count(*)';
  return {
    sql: `WITH hashes AS (${hashCounts(where)})
      SELECT count(*) FILTER (WHERE n > 1) AS repeated_hashes,
        COALESCE(sum(n) FILTER (WHERE n > 1), 0)::BIGINT AS requests_in_repeats,
        (${distinct})::BIGINT AS distinct_hashes
      FROM hashes`,
    params: w.params,
  };
}

/**
 * The most repeated prompt hashes: occurrences, the cost of all of them and of every
 * occurrence after the log-wide first (by time, then request id): the re-generation cost.
 */
export function topDuplicatesQuery(where: Where, limit: number): Query {
  const w = andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`);
  const top = Math.max(1, Math.floor(limit));
  // Only the hashes that can make the list are priced: those counted at least as often as the
  // limit-th most repeated one (ties kept, their regeneration cost orders them).
  const candidates = `(SELECT * FROM requests WHERE prompt_hash IN (
      SELECT prompt_hash FROM counted WHERE n >= (SELECT COALESCE(min(n), 2) FROM (SELECT n FROM counted ORDER BY n DESC LIMIT ?))))`;
  return {
    sql: `WITH counted AS (SELECT * FROM (${hashCounts(where)}) WHERE n > 1),
      priced AS (${pricedRowsSql(candidates)})
      SELECT prompt_hash, count(*) AS requests,
        string_agg(DISTINCT model_key, ', ' ORDER BY model_key) AS models,
        string_agg(DISTINCT job_type, ', ' ORDER BY job_type) AS job_types,
        strftime(min(ts), '%Y-%m-%d') AS first_day, strftime(max(ts), '%Y-%m-%d') AS last_day,
        ${money('sum(cost)')} AS cost,
        ${money('sum(cost) FILTER (WHERE is_repeat)')} AS regen_cost
      FROM priced ${w.sql}
      GROUP BY 1 HAVING count(*) > 1
      ORDER BY 2 DESC, sum(cost) FILTER (WHERE is_repeat) DESC NULLS LAST, 1
      LIMIT ?`,
    params: [...w.params, top, ...w.params, top],
  };
}
