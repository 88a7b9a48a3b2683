/**
 * SQL that prices every logged request against the rate tables written by `loadRates`.
 * It is `priceRequest` (src/domain/pricing.ts) in SQL: the same checks in the same order,
 * DECIMAL(38,12) arithmetic throughout. A test prices thousands of random requests both
 * ways and requires identical results.
 */

import { MODEL_PREFIX_PATTERN } from '../../domain/rate-card';

export const MONEY_TYPE = 'DECIMAL(38,12)';

/** The normalisation of `normalizeModelId`, in SQL. */
export function normalizeModelSql(column: string): string {
  return `regexp_replace(lower(trim(${column})), '${MODEL_PREFIX_PATTERN}', '')`;
}

/**
 * The joins that find one lane's price: `x` prefixes the aliases, `laneSql` is a column
 * expression or a quoted lane. All joins are against small rate tables, so the three lanes
 * priced below run in one pass over the requests instead of three passes joined back.
 */
function laneJoins(x: string, laneSql: string): string {
  return `
    LEFT JOIN (SELECT DISTINCT model_id, provider, lane FROM rate_prices) ${x}_pl
      ON ${x}_pl.model_id = b.model AND ${x}_pl.provider = b.provider AND ${x}_pl.lane = ${laneSql}
    LEFT JOIN rate_prices ${x}_p
      ON ${x}_p.model_id = b.model AND ${x}_p.provider = b.provider AND ${x}_p.lane = ${laneSql}
      AND b.ts >= ${x}_p.valid_from AND b.ts < ${x}_p.valid_until
    LEFT JOIN rate_per_image ${x}_pi
      ON ${x}_pi.price_id = ${x}_p.price_id AND ${x}_pi.image_size = b.image_size AND ${x}_pi.price IS NOT NULL`;
}

/** One lane's unpriced reason (NULL when priced) and per-attempt cost parts, as columns `${x}_…`. */
function laneColumns(x: string): string {
  const p = `${x}_p`;
  const pi = `${x}_pi`;
  const zero = `0::${MONEY_TYPE}`;
  return `
      CASE
        WHEN b.model IS NULL THEN 'unknown_model'
        WHEN pm.model_id IS NULL THEN 'model_not_priced'
        WHEN pp.model_id IS NULL THEN 'provider_not_priced'
        WHEN ${x}_pl.model_id IS NULL THEN 'lane_not_offered'
        WHEN ${p}.price_id IS NULL THEN 'no_price_on_date'
        WHEN NOT ${p}.has_image_price THEN 'image_not_priced'
        WHEN ${pi}.price IS NULL AND (${p}.output_image IS NULL OR t.tokens IS NULL) THEN 'size_not_offered'
        WHEN (NOT ${p}.tokens_included AND (
              (b.input_tokens > 0 AND ${p}.input_text IS NULL)
              OR (b.input_images > 0 AND ${p}.per_input_image IS NULL AND (m.input_image_tokens IS NULL OR ${p}.input_image IS NULL))
              OR (b.output_text_tokens + b.output_thinking_tokens > 0 AND ${p}.output_text IS NULL)))
          OR (b.grounding_queries > 0 AND ${p}.per_grounding_query IS NULL) THEN 'meter_not_priced'
      END AS ${x}_reason,
      ${p}.price_id AS ${x}_price_id,
      CASE WHEN ${pi}.price IS NOT NULL THEN ${pi}.price * b.images
           ELSE ${p}.output_image * COALESCE(b.output_image_tokens, t.tokens * b.images) END AS ${x}_image,
      CASE WHEN b.input_tokens = 0 OR ${p}.tokens_included THEN ${zero} ELSE ${p}.input_text * b.input_tokens END
        + CASE WHEN b.input_images = 0 OR ${p}.tokens_included THEN ${zero}
               WHEN ${p}.per_input_image IS NOT NULL THEN ${p}.per_input_image * b.input_images
               ELSE ${p}.input_image * (m.input_image_tokens * b.input_images) END AS ${x}_input,
      CASE WHEN b.output_text_tokens + b.output_thinking_tokens = 0 OR ${p}.tokens_included THEN ${zero} ELSE ${p}.output_text * (b.output_text_tokens + b.output_thinking_tokens) END AS ${x}_text,
      CASE WHEN b.grounding_queries = 0 THEN ${zero} ELSE ${p}.per_grounding_query * b.grounding_queries END AS ${x}_grounding,
      COALESCE(${p}.per_request, ${zero}) AS ${x}_request`;
}

const attempt = (x: string) => `(${x}_image + ${x}_input + ${x}_text + ${x}_grounding + ${x}_request)`;

/**
 * Rebuilds `priced`: every request with its canonical model, unpriced reason, cost parts
 * per attempt, cost, retry cost, and what the same request would cost on the standard and
 * batch lanes (NULL where that lane has no price). Run after logs or rates change.
 */
export function buildPricedTableSql(): string {
  return `
    CREATE OR REPLACE TABLE priced AS
    WITH raw_models AS (
      -- Normalise each distinct logged id once, not once per row.
      SELECT model_raw, ${normalizeModelSql('model_raw')} AS normalized FROM (SELECT DISTINCT model_raw FROM requests)),
    b AS (
      SELECT r.*, a.model_id AS model, rm.normalized AS model_normalized
      FROM requests r
      JOIN raw_models rm ON rm.model_raw = r.model_raw
      LEFT JOIN rate_aliases a ON a.alias = rm.normalized),
    lanes AS (
      SELECT b.*, ${laneColumns('a')}, ${laneColumns('s')}, ${laneColumns('t')}
      FROM b
      LEFT JOIN (SELECT DISTINCT model_id FROM rate_prices) pm ON pm.model_id = b.model
      LEFT JOIN (SELECT DISTINCT model_id, provider FROM rate_prices) pp ON pp.model_id = b.model AND pp.provider = b.provider
      LEFT JOIN rate_image_tokens t ON t.model_id = b.model AND t.image_size = b.image_size
      LEFT JOIN rate_models m ON m.model_id = b.model
      ${laneJoins('a', 'b.lane')}
      ${laneJoins('s', "'standard'")}
      ${laneJoins('t', "'batch'")})
    SELECT lanes.* EXCLUDE (model_normalized, ${['a', 's', 't'].flatMap((x) => ['reason', 'price_id', 'image', 'input', 'text', 'grounding', 'request'].map((c) => `${x}_${c}`)).join(', ')}),
      COALESCE(model, model_normalized) AS model_key,
      a_reason AS unpriced_reason,
      a_price_id AS price_id,
      CASE WHEN a_reason IS NULL THEN a_image END AS image_cost,
      CASE WHEN a_reason IS NULL THEN a_input END AS input_cost,
      CASE WHEN a_reason IS NULL THEN a_text END AS text_cost,
      CASE WHEN a_reason IS NULL THEN a_grounding END AS grounding_cost,
      CASE WHEN a_reason IS NULL THEN a_request END AS request_cost,
      CASE WHEN a_reason IS NULL THEN ${attempt('a')} END AS attempt_cost,
      CASE WHEN a_reason IS NULL THEN ${attempt('a')} * billed_attempts END AS cost,
      CASE WHEN a_reason IS NULL THEN ${attempt('a')} * greatest(billed_attempts - 1, 0) END AS retry_cost,
      CASE WHEN s_reason IS NULL THEN ${attempt('s')} * billed_attempts END AS cost_standard,
      CASE WHEN t_reason IS NULL THEN ${attempt('t')} * billed_attempts END AS cost_batch
    FROM lanes`;
}
