import type { SqlParam } from '../engine';
import type { Where } from './filters';
import { PRICE_KEY_COLUMNS } from './pricing';

/**
 * SQL builders for the report over `priced_cube` (one row per usage cell, `requests` of them
 * in it), summed once per pricing into `priced_days` and `priced_months`, which the report reads.
 * Each returns SQL and its bound parameters; money leaves as exact VARCHAR (DECIMAL(38,12)) and
 * is parsed by the caller.
 */
export interface Query {
  sql: string;
  params: SqlParam[];
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;
/** How many requests the cells stand for. */
export const REQUESTS = 'COALESCE(sum(requests), 0)::BIGINT';

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

/** The grouping columns, in the order every set's rows are sorted by. The filters are on these (or the day). */
const REPORT_KEYS = ['model_key', 'image_size', 'provider', 'lane', 'job_type', 'month', 'unpriced_reason'] as const;

const PRICED = 'unpriced_reason IS NULL';
const count = (condition?: string) => `sum(requests)${condition ? ` FILTER (WHERE ${condition})` : ''}`;
type Measure = [name: string, isMoney: boolean, sum: string];

/**
 * Each figure the report sums, over cells: its name, whether it is money, and its sum. Missed batch
 * savings on the eligible job types are the `potential_savings_all` of those job types (a key),
 * taken when the report is made, as the user chooses them.
 */
const REPORT_MEASURES: Measure[] = [
  ['all_requests', false, count()],
  ['attempts', false, 'sum(attempt_count * requests)'],
  ['billed_attempts', false, 'sum(billed_attempts * requests)'],
  ['all_images', false, 'sum(images)'],
  ['requests', false, count(PRICED)],
  ['unpriced_requests', false, count('unpriced_reason IS NOT NULL')],
  ['images', false, `sum(images) FILTER (WHERE ${PRICED})`],
  ['cost', true, 'sum(cost)'],
  ['retry_cost', true, 'sum(retry_cost)'],
  ['retried_requests', false, count(`${PRICED} AND attempt_count > 1`)],
  ['with_feedback', false, count(`${PRICED} AND accepted IS NOT NULL`)],
  ['accepted', false, count(`${PRICED} AND accepted`)],
  ['feedback_cost', true, 'sum(cost) FILTER (WHERE accepted IS NOT NULL)'],
  ['duplicate_requests', false, count(`${PRICED} AND is_repeat`)],
  ['duplicate_cost', true, 'sum(cost) FILTER (WHERE is_repeat)'],
  ['batch_requests', false, count(`${PRICED} AND lane = 'batch'`)],
  ['batch_cost', true, `sum(cost) FILTER (WHERE lane = 'batch')`],
  ['batch_standard_equivalent', true, `sum(cost_standard) FILTER (WHERE ${PRICED} AND lane = 'batch' AND cost_standard IS NOT NULL)`],
  ['realized_savings', true, `sum(cost_standard - cost) FILTER (WHERE lane = 'batch' AND cost_standard IS NOT NULL)`],
  ['potential_savings_all', true, `sum(cost - cost_batch) FILTER (WHERE lane = 'standard' AND cost_batch IS NOT NULL)`],
];

/** Figures other views sum from `priced_days` (batch per job type, reconciliation's totals), not the report. */
const VIEW_MEASURES: Measure[] = [
  ['batchable_requests', false, count(`${PRICED} AND lane = 'standard' AND cost_batch IS NOT NULL`)],
  // reconciliation's totals: requests that logged a billed cost, priced and not
  ['billed_requests', false, count('has_billed_cost')],
  ['billed_priced_requests', false, count(`${PRICED} AND has_billed_cost`)],
  ['billed', true, `sum(billed_cost) FILTER (WHERE ${PRICED} AND has_billed_cost)`],
  ['billed_computed', true, `sum(cost) FILTER (WHERE ${PRICED} AND has_billed_cost)`],
  ['billed_unpriced_requests', false, count('unpriced_reason IS NOT NULL AND has_billed_cost')],
  ['unpriced_billed', true, `sum(billed_cost) FILTER (WHERE unpriced_reason IS NOT NULL AND has_billed_cost)`],
];

/** What `priced_days` holds per day and key: every measure; `priced_months` holds the report's. */
const CELL_MEASURES = [...REPORT_MEASURES, ...VIEW_MEASURES];

/** The report's keys but the month: what `priced_days` is summed by, with the day. */
const GROUP_KEYS = REPORT_KEYS.filter((k) => k !== 'month');

/**
 * The report's figures (`m_<name>`) summed per day and the report's other keys over cells of
 * `priced_cube` (those `where` keeps).
 */
function dayCellsSql(where: Where, cells = 'priced_cube'): string {
  return `SELECT ${GROUP_KEYS.join(', ')}, day,
      ${CELL_MEASURES.map(([name, , sum]) => `${sum} AS m_${name}`).join(',\n      ')}
    FROM ${cells} ${where.sql}
    GROUP BY ALL`;
}

/**
 * The report's measures of the rows of `priced_days` (those `where` keeps) summed per month: the
 * report's keys. Every filter is on a key or the day, so these sums filtered are the filtered cells' sums.
 */
function monthsFromDaysSql(where: Where): string {
  // The month is written as text per group, not per day.
  return `SELECT ${GROUP_KEYS.join(', ')}, strftime(start, '%Y-%m') AS month, * EXCLUDE (${GROUP_KEYS.join(', ')}, start) FROM (
      SELECT ${GROUP_KEYS.join(', ')}, date_trunc('month', day) AS start,
        ${REPORT_MEASURES.map(([name]) => `sum(m_${name}) AS m_${name}`).join(', ')}
      FROM priced_days ${where.sql}
      GROUP BY ALL)`;
}

/**
 * Rebuilds `priced_days`: the report's figures summed per its keys and day over the whole priced
 * cube (14,783 rows for the 186,569 cells of a generated 1M-row log). Spend over time, and a report
 * whose filters bound the days, read it instead of the cube. Rebuilt with `priced_cube`.
 */
export function buildPricedDaysSql(): string {
  return `CREATE OR REPLACE TEMP TABLE priced_days AS ${dayCellsSql({ sql: '', params: [] })}`;
}

/**
 * Rebuilds `priced_months` from `priced_days` (495 rows for that log): a report without a date range
 * reads it, filtered, instead of the days. Rebuilt whenever `priced_days` changes.
 */
export function buildPricedMonthsSql(): string {
  return `CREATE OR REPLACE TEMP TABLE priced_months AS ${monthsFromDaysSql({ sql: '', params: [] })}`;
}

/**
 * The rows of `priced_days` the re-priced cells are summed into: those they were in
 * (`changed_cells`) and those they are in now, for a new price may move a cell to another model or
 * unpriced reason.
 */
export function changedDaysSql(): string {
  const groups = (cells: string) => `SELECT ${GROUP_KEYS.map((k) => `p.${k}`).join(', ')}, p.day FROM ${cells}`;
  return `CREATE OR REPLACE TEMP TABLE changed_days AS
      ${groups('changed_cells p')}
      UNION ${groups(`priced_cube p JOIN changed_keys ck ON ${PRICE_KEY_COLUMNS.map((c) => `p.${c} = ck.${c}`).join(' AND ')}`)}`;
}

/** Sums the rows of `changed_days` again, and the months from the days: what building both whole would build, after a few keys were re-priced. */
export function repriceChangedDaysSql(): string[] {
  const changed = 'changed_days';
  // The models first, a cheap filter: the semi join's seven keys cost more per cell (41 → 29 ms on 1M rows).
  const cells = `(SELECT p.* FROM priced_cube p SEMI JOIN ${changed} m
      ON p.day = m.day AND ${GROUP_KEYS.map((k) => `p.${k} IS NOT DISTINCT FROM m.${k}`).join(' AND ')}
      WHERE p.model_key IN (SELECT model_key FROM ${changed}))`;
  return [
    `DELETE FROM priced_days USING ${changed} m WHERE priced_days.day = m.day AND ${GROUP_KEYS.map((k) => `priced_days.${k} IS NOT DISTINCT FROM m.${k}`).join(' AND ')}`,
    `INSERT INTO priced_days BY NAME ${dayCellsSql({ sql: '', params: [] }, cells)}`,
    buildPricedMonthsSql(),
  ];
}

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
 * days, so the days they keep (`priced_days`) are summed to the report's keys here; otherwise
 * `priced_months` holds those sums, and the filters pick its rows.
 */
export function reportFiguresQuery(where: Where, eligibleJobTypes: readonly string[], byDay: boolean): Query {
  const eligible = eligibleJobTypes.length ? eligibleJobTypes.map(() => '?').join(', ') : 'NULL';
  const measures: Measure[] = [
    ...REPORT_MEASURES.map(([name, isMoney]): Measure => [name, isMoney, `sum(m_${name})`]),
    ['potential_savings_eligible', true, `sum(m_potential_savings_all) FILTER (WHERE job_type IN (${eligible}))`],
  ];
  const sets = Object.values(REPORT_SETS).map((keys) => `(${keys.join(', ')})`);
  return {
    sql: `SELECT grouping(${REPORT_KEYS.join(', ')}) AS grouping_id, ${REPORT_KEYS.join(', ')},
        ${measures.map(([name, isMoney, sum]) => (isMoney ? `${money(sum)} AS ${name}` : `COALESCE(${sum}, 0)::BIGINT AS ${name}`)).join(',\n        ')}
      FROM (${byDay ? monthsFromDaysSql(where) : `SELECT * FROM priced_months ${where.sql}`})
      GROUP BY GROUPING SETS (${sets.join(', ')})
      ORDER BY grouping_id, CASE WHEN grouping_id = ${reportSetId('unpriced')} THEN all_requests END DESC NULLS LAST,
        ${REPORT_KEYS.join(', ')}`,
    params: [...eligibleJobTypes, ...where.params],
  };
}

export function rejectedRowsQuery(): Query {
  return { sql: `SELECT COALESCE(sum(rows_rejected), 0)::BIGINT AS rejected FROM load_files`, params: [] };
}
