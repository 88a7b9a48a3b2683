import type { SqlParam } from '../engine';
import { andWhere, type Where } from './filters';

/**
 * SQL builders for the report over `priced_cube` (one row per usage cell, `requests` of them
 * in it). Each returns SQL and its bound parameters; money leaves as exact VARCHAR
 * (DECIMAL(38,12)) and is parsed by the caller.
 */
export interface Query {
  sql: string;
  params: SqlParam[];
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;
/** How many requests the cells stand for (in all, or those meeting a condition). */
export const REQUESTS = 'COALESCE(sum(requests), 0)::BIGINT';
export const requestsWhere = (condition: string) => `COALESCE(sum(requests) FILTER (WHERE ${condition}), 0)::BIGINT`;

/** Totals over every filtered request; cost covers priced ones. */
export function totalsQuery(where: Where): Query {
  return {
    sql: `SELECT ${REQUESTS} AS requests,
        COALESCE(sum(attempt_count * requests), 0)::BIGINT AS attempts,
        COALESCE(sum(billed_attempts * requests), 0)::BIGINT AS billed_attempts,
        COALESCE(sum(images), 0)::BIGINT AS images,
        ${requestsWhere('unpriced_reason IS NULL')} AS priced_requests,
        ${requestsWhere('unpriced_reason IS NOT NULL')} AS unpriced_requests,
        ${money('sum(cost)')} AS total_cost,
        ${money('sum(retry_cost)')} AS retry_cost
      FROM priced_cube ${where.sql}`,
    params: where.params,
  };
}

export function unpricedQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NOT NULL');
  return {
    sql: `SELECT model_key AS model, image_size, lane, unpriced_reason AS reason, ${REQUESTS} AS requests
      FROM priced_cube ${w.sql} GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2, 3, 4`,
    params: w.params,
  };
}

/** Requests, images and cost of priced requests per group, with unpriced counts beside them. */
export function groupQuery(where: Where, keys: Record<string, string>): Query {
  const select = Object.entries(keys).map(([alias, expr]) => `${expr} AS ${alias}`);
  const aliases = Object.keys(keys);
  return {
    sql: `SELECT ${select.join(', ')},
        ${requestsWhere('unpriced_reason IS NULL')} AS requests,
        COALESCE(sum(images) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS images,
        ${money('sum(cost)')} AS cost,
        ${requestsWhere('unpriced_reason IS NOT NULL')} AS unpriced_requests
      FROM priced_cube ${where.sql}
      GROUP BY ${aliases.map((_, i) => i + 1).join(', ')} ORDER BY ${aliases.map((_, i) => i + 1).join(', ')}`,
    params: where.params,
  };
}

export const MONTH_SQL = `strftime(day, '%Y-%m')`;

/** What batch saved and what standard work would have saved on the batch lane. */
export function batchQuery(where: Where, eligibleJobTypes: readonly string[]): Query {
  const eligible = eligibleJobTypes.length ? eligibleJobTypes.map(() => '?').join(', ') : 'NULL';
  return {
    sql: `SELECT
        ${requestsWhere(`lane = 'batch'`)} AS batch_requests,
        ${money(`sum(cost) FILTER (WHERE lane = 'batch')`)} AS batch_cost,
        ${money(`sum(cost_standard) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`)} AS batch_standard_equivalent,
        ${money(`sum(cost_standard - cost) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`)} AS realized_savings,
        ${money(`sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL)`)} AS potential_savings_all,
        ${money(`sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL AND job_type IN (${eligible}))`)} AS potential_savings_eligible
      FROM priced_cube ${andWhere(where, 'unpriced_reason IS NULL').sql}`,
    params: [...eligibleJobTypes, ...where.params],
  };
}

/** Standard requests' potential batch savings per job type. */
export function batchByJobTypeQuery(where: Where): Query {
  const w = andWhere(where, `unpriced_reason IS NULL AND lane = 'standard'`);
  return {
    sql: `SELECT job_type, ${REQUESTS} AS requests,
        ${requestsWhere('cost_batch IS NOT NULL')} AS batchable_requests,
        ${money('sum(cost)')} AS cost,
        ${money('sum(cost - cost_batch) FILTER (WHERE cost_batch IS NOT NULL)')} AS potential_savings
      FROM priced_cube ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export function retryByModelQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  return {
    sql: `SELECT model_key AS model, ${money('sum(retry_cost)')} AS retry_cost,
        (${requestsWhere('attempt_count > 1')})::DOUBLE / sum(requests) AS retry_rate
      FROM priced_cube ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export function acceptanceQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL AND accepted IS NOT NULL');
  return {
    sql: `SELECT model_key AS model, job_type, ${REQUESTS} AS with_feedback,
        ${requestsWhere('accepted')} AS accepted, ${money('sum(cost)')} AS cost
      FROM priced_cube ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    params: w.params,
  };
}

/**
 * Priced requests whose non-empty prompt hash appeared earlier in the log (by timestamp,
 * then request id): marked once per load, so a filter keeps the log-wide first occurrence.
 */
export function duplicatesQuery(where: Where): Query {
  const w = andWhere(where, 'is_repeat AND unpriced_reason IS NULL');
  return {
    sql: `SELECT ${REQUESTS} AS duplicate_requests, ${money('sum(cost)')} AS duplicate_cost FROM priced_cube ${w.sql}`,
    params: w.params,
  };
}

export function rejectedRowsQuery(): Query {
  return { sql: `SELECT COALESCE(sum(rows_rejected), 0)::BIGINT AS rejected FROM load_files`, params: [] };
}
