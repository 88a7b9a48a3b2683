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

/**
 * The groupings of the report, each a grouping set of one query (`reportFiguresQuery`): the cells
 * are read once, not once per table. `reportSetId` gives a set's `grouping_id`.
 */
export const REPORT_SETS = {
  totals: [],
  model: ['model_key'],
  image_size: ['image_size'],
  model_image_size: ['model_key', 'image_size'],
  provider: ['provider'],
  lane: ['lane'],
  job_type: ['job_type'],
  month: ['month'],
  model_job_type: ['model_key', 'job_type'],
  unpriced: ['model_key', 'image_size', 'lane', 'unpriced_reason'],
} as const satisfies Record<string, readonly string[]>;
export type ReportSet = keyof typeof REPORT_SETS;

/** The columns a report groups or filters by that are not the month (`REPORT_KEYS` and the figures' conditions). */
const MONTHLY_KEYS = ['model_key', 'image_size', 'provider', 'lane', 'job_type', 'unpriced_reason', 'accepted', 'attempt_count', 'billed_attempts', 'is_repeat'];

/**
 * Rebuilds `priced_months`: the priced cube summed over the days of each month, on the columns a
 * report reads (its keys, filter columns and sums; where the lanes compared for batch savings are
 * priced stays a key, as their sums need it). A report without a date range reads it instead of the
 * cube: 9,451 rows for the 186,569 cells of a generated 1M-row log. Rebuilt with `priced_cube`.
 */
export function buildPricedMonthsSql(): string {
  return `
    CREATE OR REPLACE TEMP TABLE priced_months AS
    SELECT ${MONTHLY_KEYS.join(', ')}, strftime(start, '%Y-%m') AS month, requests, images, cost, retry_cost, cost_standard, cost_batch
    FROM (
      SELECT ${MONTHLY_KEYS.join(', ')}, date_trunc('month', day) AS start,
        sum(requests)::BIGINT AS requests, sum(images)::BIGINT AS images,
        sum(cost) AS cost, sum(retry_cost) AS retry_cost, sum(cost_standard) AS cost_standard, sum(cost_batch) AS cost_batch
      FROM priced_cube
      GROUP BY ${MONTHLY_KEYS.join(', ')}, start, cost_standard IS NULL, cost_batch IS NULL)`;
}

/** The grouping columns, in the order every set's rows are sorted by. */
const REPORT_KEYS = ['model_key', 'image_size', 'provider', 'lane', 'job_type', 'month', 'unpriced_reason'] as const;

/** `grouping_id` of a set: DuckDB sets a key's bit (first key highest) when the key is not grouped. */
export function reportSetId(set: ReportSet): number {
  const grouped = new Set<string>(REPORT_SETS[set]);
  return REPORT_KEYS.reduce((id, key, i) => id | (grouped.has(key) ? 0 : 1 << (REPORT_KEYS.length - 1 - i)), 0);
}

/**
 * Every figure of the report but reconciliation, over the filtered cells, in one pass: a row per
 * group of each set in `REPORT_SETS` (`grouping_id` says which), sorted by the set's keys (the
 * unpriced set by requests, most first). Cost covers priced requests; batch figures compare the
 * same work on the standard and batch lanes where both are priced. `byDay`: the filters bound the
 * days, so the cube's cells are read; otherwise its monthly sums (`priced_months`).
 */
export function reportFiguresQuery(where: Where, eligibleJobTypes: readonly string[], byDay: boolean): Query {
  const eligible = eligibleJobTypes.length ? eligibleJobTypes.map(() => '?').join(', ') : 'NULL';
  const priced = 'unpriced_reason IS NULL';
  const count = (condition?: string) => `sum(requests)${condition ? ` FILTER (WHERE ${condition})` : ''}`;
  // Each measure: its name, whether it is money, and its sum over the cells.
  const measures: [string, boolean, string][] = [
    ['all_requests', false, count()],
    ['attempts', false, 'sum(attempt_count * requests)'],
    ['billed_attempts', false, 'sum(billed_attempts * requests)'],
    ['all_images', false, 'sum(images)'],
    ['requests', false, count(priced)],
    ['unpriced_requests', false, count('unpriced_reason IS NOT NULL')],
    ['images', false, `sum(images) FILTER (WHERE ${priced})`],
    ['cost', true, 'sum(cost)'],
    ['retry_cost', true, 'sum(retry_cost)'],
    ['retried_requests', false, count(`${priced} AND attempt_count > 1`)],
    ['with_feedback', false, count(`${priced} AND accepted IS NOT NULL`)],
    ['accepted', false, count(`${priced} AND accepted`)],
    ['feedback_cost', true, 'sum(cost) FILTER (WHERE accepted IS NOT NULL)'],
    ['duplicate_requests', false, count(`${priced} AND is_repeat`)],
    ['duplicate_cost', true, 'sum(cost) FILTER (WHERE is_repeat)'],
    ['batch_requests', false, count(`${priced} AND lane = 'batch'`)],
    ['batch_cost', true, `sum(cost) FILTER (WHERE lane = 'batch')`],
    ['batch_standard_equivalent', true, `sum(cost_standard) FILTER (WHERE ${priced} AND lane = 'batch' AND cost_standard IS NOT NULL)`],
    ['realized_savings', true, `sum(cost_standard - cost) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`],
    ['potential_savings_all', true, `sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL)`],
    ['potential_savings_eligible', true, `sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL AND job_type IN (${eligible}))`],
  ];
  const sets = Object.values(REPORT_SETS).map((keys) => `(${keys.join(', ')})`);
  // The cells are summed once to the report's finest keys; the sets then sum those few rows.
  return {
    sql: `SELECT grouping(${REPORT_KEYS.join(', ')}) AS grouping_id, ${REPORT_KEYS.join(', ')},
        ${measures.map(([name, isMoney]) => (isMoney ? `${money(`sum(m_${name})`)} AS ${name}` : `COALESCE(sum(m_${name}), 0)::BIGINT AS ${name}`)).join(',\n        ')}
      FROM (
        SELECT ${REPORT_KEYS.join(', ')}, ${measures.map(([name, , sum]) => `${sum} AS m_${name}`).join(', ')}
        FROM (${byDay ? `SELECT *, strftime(day, '%Y-%m') AS month FROM priced_cube` : 'SELECT * FROM priced_months'} ${where.sql})
        GROUP BY ALL)
      GROUP BY GROUPING SETS (${sets.join(', ')})
      ORDER BY grouping_id, CASE WHEN grouping_id = ${reportSetId('unpriced')} THEN all_requests END DESC NULLS LAST,
        ${REPORT_KEYS.join(', ')}`,
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

export function rejectedRowsQuery(): Query {
  return { sql: `SELECT COALESCE(sum(rows_rejected), 0)::BIGINT AS rejected FROM load_files`, params: [] };
}
