/**
 * SQL that prices every logged request against the rate tables written by `loadRates`.
 * It is `priceRequest` (src/domain/pricing.ts) in SQL: the same checks in the same order,
 * DECIMAL(38,12) arithmetic throughout. A test prices thousands of random requests both
 * ways and requires identical results.
 */

export const MONEY_TYPE = 'DECIMAL(38,12)';

/** The normalisation of `normalizeModelId`, in SQL. */
export function normalizeModelSql(column: string): string {
  return `regexp_replace(lower(trim(${column})), '^.*/', '')`;
}

/**
 * One lane's pricing of every request in `requests_resolved`: reason (NULL when priced)
 * and the per-attempt cost parts. `laneSql` is a column expression or a quoted lane.
 */
function laneCostsSql(laneSql: string): string {
  return `
    SELECT b.row_id,
      p.price_id,
      CASE
        WHEN b.model IS NULL THEN 'unknown_model'
        WHEN pm.model_id IS NULL THEN 'model_not_priced'
        WHEN pp.model_id IS NULL THEN 'provider_not_priced'
        WHEN pl.model_id IS NULL THEN 'lane_not_offered'
        WHEN p.price_id IS NULL THEN 'no_price_on_date'
        WHEN NOT p.has_image_price THEN 'image_not_priced'
        WHEN pi.price IS NULL AND (p.output_image IS NULL OR t.tokens IS NULL) THEN 'size_not_offered'
        WHEN (NOT p.tokens_included AND (
              (b.input_tokens > 0 AND p.input_text IS NULL)
              OR (b.input_images > 0 AND p.per_input_image IS NULL AND (m.input_image_tokens IS NULL OR p.input_image IS NULL))
              OR (b.output_text_tokens > 0 AND p.output_text IS NULL)))
          OR (b.grounding_queries > 0 AND p.per_grounding_query IS NULL) THEN 'meter_not_priced'
      END AS reason,
      CASE WHEN pi.price IS NOT NULL THEN pi.price * b.images
           ELSE p.output_image * COALESCE(b.output_image_tokens, t.tokens * b.images) END AS image_cost,
      CASE WHEN b.input_tokens = 0 OR p.tokens_included THEN 0::${MONEY_TYPE} ELSE p.input_text * b.input_tokens END
        + CASE WHEN b.input_images = 0 OR p.tokens_included THEN 0::${MONEY_TYPE}
               WHEN p.per_input_image IS NOT NULL THEN p.per_input_image * b.input_images
               ELSE p.input_image * (m.input_image_tokens * b.input_images) END AS input_cost,
      CASE WHEN b.output_text_tokens = 0 OR p.tokens_included THEN 0::${MONEY_TYPE} ELSE p.output_text * b.output_text_tokens END AS text_cost,
      CASE WHEN b.grounding_queries = 0 THEN 0::${MONEY_TYPE} ELSE p.per_grounding_query * b.grounding_queries END AS grounding_cost,
      COALESCE(p.per_request, 0::${MONEY_TYPE}) AS request_cost
    FROM requests_resolved b
    LEFT JOIN (SELECT DISTINCT model_id FROM rate_prices) pm ON pm.model_id = b.model
    LEFT JOIN (SELECT DISTINCT model_id, provider FROM rate_prices) pp
      ON pp.model_id = b.model AND pp.provider = b.provider
    LEFT JOIN (SELECT DISTINCT model_id, provider, lane FROM rate_prices) pl
      ON pl.model_id = b.model AND pl.provider = b.provider AND pl.lane = ${laneSql}
    LEFT JOIN rate_prices p
      ON p.model_id = b.model AND p.provider = b.provider AND p.lane = ${laneSql}
      AND b.ts >= p.valid_from AND (p.valid_to IS NULL OR b.ts < p.valid_to)
    LEFT JOIN rate_per_image pi ON pi.price_id = p.price_id AND pi.image_size = b.image_size AND pi.price IS NOT NULL
    LEFT JOIN rate_image_tokens t ON t.model_id = b.model AND t.image_size = b.image_size
    LEFT JOIN rate_models m ON m.model_id = b.model`;
}

function attemptCost(alias: string): string {
  return `(${alias}.image_cost + ${alias}.input_cost + ${alias}.text_cost + ${alias}.grounding_cost + ${alias}.request_cost)`;
}

/**
 * Rebuilds `priced`: every request with its canonical model, unpriced reason, cost parts
 * per attempt, cost, retry cost, and what the same request would cost on the standard and
 * batch lanes (NULL where that lane has no price). Run after logs or rates change.
 */
export function buildPricedTableSql(): string {
  return `
    CREATE OR REPLACE TEMP TABLE requests_resolved AS
      SELECT r.*, a.model_id AS model
      FROM requests r LEFT JOIN rate_aliases a ON a.alias = ${normalizeModelSql('r.model_raw')};
    CREATE OR REPLACE TABLE priced AS
    WITH actual AS (${laneCostsSql('b.lane')}),
         std AS (${laneCostsSql("'standard'")}),
         bat AS (${laneCostsSql("'batch'")})
    SELECT b.*,
      COALESCE(b.model, ${normalizeModelSql('b.model_raw')}) AS model_key,
      a.reason AS unpriced_reason,
      a.price_id,
      CASE WHEN a.reason IS NULL THEN a.image_cost END AS image_cost,
      CASE WHEN a.reason IS NULL THEN a.input_cost END AS input_cost,
      CASE WHEN a.reason IS NULL THEN a.text_cost END AS text_cost,
      CASE WHEN a.reason IS NULL THEN a.grounding_cost END AS grounding_cost,
      CASE WHEN a.reason IS NULL THEN a.request_cost END AS request_cost,
      CASE WHEN a.reason IS NULL THEN ${attemptCost('a')} END AS attempt_cost,
      CASE WHEN a.reason IS NULL THEN ${attemptCost('a')} * b.billed_attempts END AS cost,
      CASE WHEN a.reason IS NULL THEN ${attemptCost('a')} * greatest(b.billed_attempts - 1, 0) END AS retry_cost,
      CASE WHEN s.reason IS NULL THEN ${attemptCost('s')} * b.billed_attempts END AS cost_standard,
      CASE WHEN t.reason IS NULL THEN ${attemptCost('t')} * b.billed_attempts END AS cost_batch
    FROM requests_resolved b
    JOIN actual a USING (row_id)
    JOIN std s USING (row_id)
    JOIN bat t USING (row_id)
    ORDER BY b.row_id;
    DROP TABLE requests_resolved;`;
}
