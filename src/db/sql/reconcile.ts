import { quoteLiteral } from './identifiers';
import type { Where } from './filters';
import { attemptTotal, MONEY_TYPE, pricedRowsSql, ROW_QUANTITIES } from './pricing';
import type { Query } from './report';

/**
 * Billed versus computed cost, over the requests whose log carries a billed cost (`cost_usd`).
 * Totals read the day sums (`priced_days`, from the cube's `has_billed_cost` dimension); the
 * per-request tolerance and the likely cause of each difference need single requests, so the
 * other figures price only the billed rows (`pricedRowsSql`). Causes, first that fits
 * (docs/report-json.md, `reconciliation`):
 *
 * - `unpriced`: no price, so no computed cost; its billed cost is shown apart, never set against 0;
 * - `match`: |billed − computed| ≤ tolerance;
 * - `failed_billed`: computed 0 (no billed attempt in the log) but billed > 0;
 * - `not_billed`: billed 0 but computed > 0 (the provider did not charge, e.g. a failed request);
 * - `thinking_tokens`: billed = computed ∓ thinking tokens × the text-output rate (the bill left them out, or counted them twice);
 * - `rate_override`: billed = the request priced with the entry as its card gave it, before the user's override;
 * - `other_price`: billed = the request priced with another entry of the same model (another date, lane or
 *   provider; same provider and lane, then the nearest date, preferred), named with its start date;
 * - `other`: none of these.
 */

/** The groupings the Reconcile view offers; `attribute` takes a name. */
export const RECONCILE_DIMENSIONS = {
  model: 'model_key',
  provider: 'provider',
  lane: 'lane',
  image_size: 'image_size',
  day: `strftime(day, '%Y-%m-%d')`,
} as const;
export type ReconcileDimension = keyof typeof RECONCILE_DIMENSIONS;

/** The SQL of an attribute's value per request, '' when the request has none. */
export function attributeKeySql(name: string): string {
  return `COALESCE(attributes[${quoteLiteral(name)}], '')`;
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;

/** Billed, computed and their counts over requests with billed cost, from the day sums (`priced_days`). */
export function reconcileTotalsQuery(where: Where): Query {
  const count = (measure: string) => `COALESCE(sum(m_${measure}), 0)::BIGINT`;
  return {
    sql: `SELECT ${count('billed_requests')} AS requests,
        ${count('billed_priced_requests')} AS priced_requests,
        ${money('sum(m_billed)')} AS billed,
        ${money('sum(m_billed_computed)')} AS computed,
        ${count('billed_unpriced_requests')} AS unpriced_requests,
        ${money('sum(m_unpriced_billed)')} AS unpriced_billed
      FROM priced_days ${where.sql}`,
    params: where.params,
  };
}

/** The rates of a candidate entry `c` (with its per-image row `ci`), named as `attemptTotal` reads them. */
const CANDIDATE_RATES: Record<string, string> = {
  per_image: 'ci.price',
  output_image: 'c.output_image',
  tokens_per_image: 't.tokens',
  input_text: 'c.input_text',
  per_input_image: 'c.per_input_image',
  input_image_tokens_cost: '(c.input_image * m.input_image_tokens)',
  output_text: 'c.output_text',
  per_grounding: 'c.per_grounding_query',
  per_request: `COALESCE(c.per_request, 0::${MONEY_TYPE})`,
  tokens_included: 'COALESCE(c.tokens_included, false)',
};

/**
 * `classified`: each filtered request with billed cost, priced, with `billed`, `computed`,
 * `variance` (billed − computed), `cause`, and for a price match the entry (`alt_price_id`,
 * `alt_from`). Parameters: the filters', then the tolerance (USD text).
 */
function classifiedCtes(where: Where): { sql: string; params: Where['params'] } {
  const rates = (c: string) => CANDIDATE_RATES[c]!;
  return {
    sql: `
    b AS (
      SELECT *, cost_usd AS billed, cost AS computed, cost_usd - cost AS variance
      FROM (${pricedRowsSql('(SELECT * FROM requests WHERE cost_usd IS NOT NULL)')}) p
      ${where.sql}),
    tol AS (SELECT CAST(? AS ${MONEY_TYPE}) AS t),
    candidates AS (
      SELECT 'override' AS kind, * FROM rate_prices_base UNION ALL SELECT 'entry' AS kind, * FROM rate_prices),
    candidate_images AS (
      SELECT 'override' AS kind, * FROM rate_per_image_base UNION ALL SELECT 'entry' AS kind, * FROM rate_per_image),
    off AS (SELECT b.* FROM b, tol WHERE b.unpriced_reason IS NULL AND abs(b.variance) > tol.t),
    alt AS (
      SELECT r.row_id, r.billed, c.kind, c.price_id, c.valid_from,
        ${attemptTotal(rates, ROW_QUANTITIES)} * r.billed_attempts AS alt_cost,
        (c.kind <> 'override', c.provider <> r.provider, c.lane <> r.lane,
          abs(date_diff('day', c.valid_from, r.ts)), c.price_id) AS preference
      FROM off r
      JOIN candidates c ON c.model_id = r.model_key
        AND ((c.kind = 'override' AND c.price_id = r.price_id) OR (c.kind = 'entry' AND c.price_id <> r.price_id))
      LEFT JOIN candidate_images ci ON ci.kind = c.kind AND ci.price_id = c.price_id AND ci.image_size = r.image_size AND ci.price IS NOT NULL
      LEFT JOIN rate_image_tokens t ON t.model_id = c.model_id AND t.image_size = r.image_size
      LEFT JOIN rate_models m ON m.model_id = c.model_id),
    matched AS (
      SELECT row_id, arg_min(struct_pack(kind := kind, price_id := price_id, valid_from := valid_from), preference) AS m
      FROM alt, tol WHERE abs(billed - alt_cost) <= tol.t GROUP BY row_id),
    classified AS (
      SELECT b.*,
        CASE
          WHEN b.unpriced_reason IS NOT NULL THEN 'unpriced'
          WHEN abs(b.variance) <= tol.t THEN 'match'
          WHEN b.computed = 0 AND b.billed > 0 THEN 'failed_billed'
          WHEN b.billed = 0 AND b.computed > 0 THEN 'not_billed'
          WHEN b.output_thinking_tokens > 0 AND least(abs(b.variance + b.thinking_cost * b.billed_attempts),
            abs(b.variance - b.thinking_cost * b.billed_attempts)) <= tol.t THEN 'thinking_tokens'
          WHEN matched.m.kind = 'override' THEN 'rate_override'
          WHEN matched.m.kind = 'entry' THEN 'other_price'
          ELSE 'other'
        END AS cause,
        CASE WHEN matched.m.kind IS NOT NULL THEN matched.m.price_id END AS alt_price_id,
        CASE WHEN matched.m.kind IS NOT NULL THEN strftime(matched.m.valid_from, '%Y-%m-%d') END AS alt_from
      FROM b CROSS JOIN tol LEFT JOIN matched USING (row_id))`,
    params: where.params,
  };
}

/**
 * Writes the classified requests (see `classifiedCtes`) to the temporary table `reconcile_rows`,
 * once per reconciliation: the overall causes and the groups then read it instead of pricing
 * and classifying every billed request twice.
 */
export function reconcileRowsQuery(where: Where, toleranceUsd: string): Query {
  const ctes = classifiedCtes(where);
  return {
    sql: `CREATE OR REPLACE TEMP TABLE reconcile_rows AS WITH ${ctes.sql}
      SELECT model_key, provider, lane, image_size, day, attributes, billed, computed, variance, cause, alt_price_id, alt_from FROM classified`,
    params: [...ctes.params, toleranceUsd],
  };
}

/**
 * From `reconcile_rows`: the groups with the largest |billed − computed| first (then the largest
 * unpriced billed cost), at most `limit`, one row per group × cause × matched entry with the
 * group's totals beside it. `keys` maps output names to SQL over the rows (`RECONCILE_DIMENSIONS`,
 * `attributeKeySql`); `{}` gives one group of every request with billed cost.
 */
export function reconcileGroupsQuery(keys: Record<string, string>, limit: number): Query {
  const aliases = Object.keys(keys);
  const keyList = aliases.map((a) => `${a}`).join(', ');
  const keySelect = Object.entries(keys).map(([alias, expr]) => `COALESCE(CAST(${expr} AS VARCHAR), '') AS ${alias}`);
  const byKeys = aliases.length ? `PARTITION BY ${keyList}` : '';
  const orderKeys = aliases.length ? `, ${keyList}` : '';
  return {
    sql: `WITH
    g AS (
      SELECT ${[...keySelect, ''].join(', ')} cause, alt_price_id, alt_from,
        count(*)::BIGINT AS cause_requests,
        sum(billed) AS cause_billed,
        sum(computed) AS cause_computed,
        sum(variance) AS cause_difference
      FROM reconcile_rows GROUP BY ALL),
    ranked AS (
      SELECT g.*,
        sum(cause_requests) OVER w AS requests,
        sum(cause_billed) FILTER (WHERE cause <> 'unpriced') OVER w AS billed,
        sum(cause_computed) OVER w AS computed,
        sum(cause_difference) OVER w AS difference,
        COALESCE(sum(cause_requests) FILTER (WHERE cause NOT IN ('match', 'unpriced')) OVER w, 0) AS outside,
        COALESCE(sum(cause_requests) FILTER (WHERE cause = 'unpriced') OVER w, 0) AS unpriced_requests,
        sum(cause_billed) FILTER (WHERE cause = 'unpriced') OVER w AS unpriced_billed
      FROM g WINDOW w AS (${byKeys})),
    numbered AS (
      SELECT ranked.*, dense_rank() OVER (ORDER BY abs(COALESCE(difference, 0)) DESC, COALESCE(unpriced_billed, 0) DESC${orderKeys}) AS rank
      FROM ranked)
    SELECT ${aliases.length ? `${keyList}, ` : ''}rank::BIGINT AS rank,
      requests::BIGINT AS requests, ${money('billed')} AS billed, ${money('computed')} AS computed, ${money('difference')} AS difference,
      outside::BIGINT AS outside, unpriced_requests::BIGINT AS unpriced_requests, ${money('unpriced_billed')} AS unpriced_billed,
      cause, alt_price_id, alt_from, cause_requests, ${money('cause_billed')} AS cause_billed, ${money('cause_difference')} AS cause_difference
    FROM numbered WHERE rank <= ?
    ORDER BY rank, abs(COALESCE(cause_difference, cause_billed, 0)) DESC, cause, alt_price_id NULLS FIRST`,
    params: [limit],
  };
}
