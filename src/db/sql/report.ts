import type { SqlParam } from '../engine';
import { andWhere, type Where } from './filters';

/**
 * SQL builders for the report over `priced`. Each returns SQL and its bound parameters;
 * money leaves as exact VARCHAR (DECIMAL(38,12)) and is parsed by the caller.
 */
export interface Query {
  sql: string;
  params: SqlParam[];
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;

/** Totals over every filtered request; cost covers priced ones. */
export function totalsQuery(where: Where): Query {
  return {
    sql: `SELECT count(*) AS requests,
        COALESCE(sum(attempt_count), 0)::BIGINT AS attempts,
        COALESCE(sum(billed_attempts), 0)::BIGINT AS billed_attempts,
        COALESCE(sum(images), 0)::BIGINT AS images,
        count(*) FILTER (WHERE unpriced_reason IS NULL) AS priced_requests,
        count(*) FILTER (WHERE unpriced_reason IS NOT NULL) AS unpriced_requests,
        ${money('sum(cost)')} AS total_cost,
        ${money('sum(retry_cost)')} AS retry_cost
      FROM priced ${where.sql}`,
    params: where.params,
  };
}

export function unpricedQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NOT NULL');
  return {
    sql: `SELECT model_key AS model, image_size, lane, unpriced_reason AS reason, count(*) AS requests
      FROM priced ${w.sql} GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2, 3, 4`,
    params: w.params,
  };
}

/** Requests, images and cost of priced requests per group, with unpriced counts beside them. */
export function groupQuery(where: Where, keys: Record<string, string>): Query {
  const select = Object.entries(keys).map(([alias, expr]) => `${expr} AS ${alias}`);
  const aliases = Object.keys(keys);
  return {
    sql: `SELECT ${select.join(', ')},
        count(*) FILTER (WHERE unpriced_reason IS NULL) AS requests,
        COALESCE(sum(images) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS images,
        ${money('sum(cost)')} AS cost,
        count(*) FILTER (WHERE unpriced_reason IS NOT NULL) AS unpriced_requests
      FROM priced ${where.sql}
      GROUP BY ${aliases.map((_, i) => i + 1).join(', ')} ORDER BY ${aliases.map((_, i) => i + 1).join(', ')}`,
    params: where.params,
  };
}

export const MONTH_SQL = `strftime(ts, '%Y-%m')`;

/** What batch saved and what standard work would have saved on the batch lane. */
export function batchQuery(where: Where, eligibleJobTypes: readonly string[]): Query {
  const eligible = eligibleJobTypes.length ? eligibleJobTypes.map(() => '?').join(', ') : 'NULL';
  return {
    sql: `SELECT
        count(*) FILTER (WHERE lane = 'batch') AS batch_requests,
        ${money(`sum(cost) FILTER (WHERE lane = 'batch')`)} AS batch_cost,
        ${money(`sum(cost_standard) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`)} AS batch_standard_equivalent,
        ${money(`sum(cost_standard - cost) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`)} AS realized_savings,
        ${money(`sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL)`)} AS potential_savings_all,
        ${money(`sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL AND job_type IN (${eligible}))`)} AS potential_savings_eligible
      FROM priced ${andWhere(where, 'unpriced_reason IS NULL').sql}`,
    params: [...eligibleJobTypes, ...where.params],
  };
}

/** Standard requests' potential batch savings per job type. */
export function batchByJobTypeQuery(where: Where): Query {
  const w = andWhere(where, `unpriced_reason IS NULL AND lane = 'standard'`);
  return {
    sql: `SELECT job_type, count(*) AS requests,
        count(*) FILTER (WHERE cost_batch IS NOT NULL) AS batchable_requests,
        ${money('sum(cost)')} AS cost,
        ${money('sum(cost - cost_batch) FILTER (WHERE cost_batch IS NOT NULL)')} AS potential_savings
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export function retryByModelQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL');
  return {
    sql: `SELECT model_key AS model, ${money('sum(retry_cost)')} AS retry_cost,
        (count(*) FILTER (WHERE attempt_count > 1))::DOUBLE / count(*) AS retry_rate
      FROM priced ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export function acceptanceQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL AND accepted IS NOT NULL');
  return {
    sql: `SELECT model_key AS model, job_type, count(*) AS with_feedback,
        count(*) FILTER (WHERE accepted) AS accepted, ${money('sum(cost)')} AS cost
      FROM priced ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    params: w.params,
  };
}

/** Priced requests whose non-empty prompt hash appeared earlier (by timestamp, then request id). */
export function duplicatesQuery(where: Where): Query {
  const w = andWhere(where, `prompt_hash IS NOT NULL AND prompt_hash <> ''`);
  return {
    sql: `WITH ordered AS (
        SELECT unpriced_reason, cost,
          row_number() OVER (PARTITION BY prompt_hash ORDER BY ts, request_id, row_id) AS occurrence
        FROM priced ${w.sql})
      SELECT count(*) AS duplicate_requests, ${money('sum(cost)')} AS duplicate_cost
      FROM ordered WHERE occurrence > 1 AND unpriced_reason IS NULL`,
    params: w.params,
  };
}

export function rejectedRowsQuery(): Query {
  return { sql: `SELECT COALESCE(sum(rows_rejected), 0)::BIGINT AS rejected FROM load_files`, params: [] };
}
