import { quoteIdent, quoteLiteral } from './identifiers';
import type { Query } from './report';

/**
 * The usage cube: the request log summed once per load into cells keyed by UTC day, model as
 * logged, provider, lane, size, job type, acceptance, attempts, billed attempts, whether the
 * prompt was seen before, which meters were used, and the low-cardinality attributes. Cost is
 * linear in usage, so pricing runs on these sums (see pricing.ts) and every figure is exact.
 * Plain SQL over `requests`: it runs the same on DuckDB-WASM and native DuckDB.
 */

/** Attributes with at most this many distinct values become cube dimensions; the rest stay row-level. */
export const CUBE_ATTRIBUTE_MAX_VALUES = 200;

/** The cube column that holds attribute `name`. */
export function attributeColumn(name: string): string {
  return `attr:${name}`;
}

/** `attribute_names`: each attribute of the loaded requests, with its distinct values and requests. */
export function buildAttributeNamesSql(): string {
  return `
    CREATE OR REPLACE TEMP TABLE attribute_names AS
    SELECT name, count(DISTINCT value) AS "values", count(*)::BIGINT AS requests FROM (
        SELECT unnest(map_keys(attributes)) AS name, unnest(map_values(attributes)) AS value FROM requests)
      GROUP BY 1 ORDER BY 1`;
}

/**
 * `shared_prompts`: every non-empty prompt hash that more than one request of the log carries, its
 * first request (by time, request id, row) and its requests. A request whose hash is here under
 * another row is a repeat (`IS_REPEAT_SQL`). Hashes seen once are left out: nearly every hash of a
 * log is one, and keeping them made this table larger than the stored log (42.5 MB against 3.5 MB
 * per million rows in DuckDB-WASM). Hashes are counted first, and only the shared ones' rows compared for
 * the first: comparing every row's (time, id, row) took 270 ms natively on the 1M-row log, this 117 ms.
 */
export function buildSharedPromptsSql(): string {
  return `
    CREATE OR REPLACE TEMP TABLE shared_prompts AS
    WITH shared AS (
      SELECT prompt_hash FROM requests WHERE prompt_hash IS NOT NULL AND prompt_hash <> '' GROUP BY 1 HAVING count(*) > 1)
    SELECT prompt_hash, arg_min(row_id, (ts, request_id, row_id)) AS first_row, count(*)::BIGINT AS requests
    FROM requests SEMI JOIN shared USING (prompt_hash) GROUP BY 1`;
}

/** Joined to `requests r`, marks repeats: `LEFT JOIN shared_prompts f ON f.prompt_hash = r.prompt_hash`. */
export const IS_REPEAT_SQL = 'COALESCE(f.first_row <> r.row_id, false)';

/** Every column of `usage_cube` but the attributes, with its type: also the cube file's format. */
export const CUBE_FILE_COLUMNS = [
  ['day', 'DATE'], ['model_raw', 'VARCHAR'], ['provider', 'VARCHAR'], ['lane', 'VARCHAR'], ['image_size', 'VARCHAR'],
  ['job_type', 'VARCHAR'], ['accepted', 'BOOLEAN'], ['attempt_count', 'BIGINT'], ['billed_attempts', 'BIGINT'],
  ['is_repeat', 'BOOLEAN'], ['has_input_tokens', 'BOOLEAN'], ['has_input_images', 'BOOLEAN'], ['has_text', 'BOOLEAN'],
  ['has_grounding', 'BOOLEAN'], ['has_image_tokens', 'BOOLEAN'], ['has_billed_cost', 'BOOLEAN'], ['requests', 'BIGINT'], ['images', 'BIGINT'],
  ['image_tokens', 'BIGINT'], ['input_tokens', 'BIGINT'], ['input_images', 'BIGINT'], ['text_tokens', 'BIGINT'],
  ['thinking_tokens', 'BIGINT'], ['grounding_queries', 'BIGINT'], ['billed_cost', 'DECIMAL(38,12)'], ['billed_cost_requests', 'BIGINT'],
] as const;

/** Rebuilds `usage_cube` from `requests`, with `attributes` as extra dimensions. */
export function buildUsageCubeSql(attributes: readonly string[]): string {
  const attrs = attributes.map((a) => `attributes[${quoteLiteral(a)}] AS ${quoteIdent(attributeColumn(a))}`);
  return `
    CREATE OR REPLACE TEMP TABLE usage_cube AS
    SELECT CAST(ts AS DATE) AS day, model_raw, provider, lane, image_size, job_type, accepted,
      attempt_count, billed_attempts, ${IS_REPEAT_SQL} AS is_repeat,
      input_tokens > 0 AS has_input_tokens, input_images > 0 AS has_input_images,
      output_text_tokens + output_thinking_tokens > 0 AS has_text, grounding_queries > 0 AS has_grounding,
      output_image_tokens IS NOT NULL AS has_image_tokens,
      -- reconciliation compares billed with computed cost over exactly the requests that carry a billed cost
      cost_usd IS NOT NULL AS has_billed_cost,
      ${attrs.map((a) => `${a},`).join(' ')}
      count(*)::BIGINT AS requests,
      sum(images)::BIGINT AS images,
      COALESCE(sum(output_image_tokens), 0)::BIGINT AS image_tokens,
      sum(input_tokens)::BIGINT AS input_tokens,
      sum(input_images)::BIGINT AS input_images,
      sum(output_text_tokens + output_thinking_tokens)::BIGINT AS text_tokens,
      sum(output_thinking_tokens)::BIGINT AS thinking_tokens,
      sum(grounding_queries)::BIGINT AS grounding_queries,
      sum(cost_usd) AS billed_cost,
      count(cost_usd)::BIGINT AS billed_cost_requests
    FROM requests r LEFT JOIN shared_prompts f ON f.prompt_hash = r.prompt_hash
    GROUP BY ALL`;
}

/**
 * The planning cube: `priced_cube` summed per canonical model × size × lane × provider × job
 * type × UTC day, for scenario, policy and budget math in the pure domain. Cost is the exact
 * billed cost of priced requests (unpriced ones are counted, never guessed). Grouped by the date, not
 * its text: formatting it per cell cost a fifth of the query on 1M rows.
 */
export function cubeQuery(): Query {
  return {
    sql: `SELECT model_key AS model,
        COALESCE(image_size, '') AS image_size,
        COALESCE(lane, '') AS lane,
        COALESCE(provider, '') AS provider,
        COALESCE(job_type, '') AS job_type,
        strftime(priced_cube.day, '%Y-%m-%d') AS day,
        sum(requests)::BIGINT AS requests,
        sum(images)::BIGINT AS images,
        sum(attempt_count * requests)::BIGINT AS attempts,
        sum(billed_attempts * requests)::BIGINT AS billed_attempts,
        sum(images * billed_attempts)::BIGINT AS billed_images,
        COALESCE(sum(requests) FILTER (WHERE accepted IS NOT NULL), 0)::BIGINT AS with_feedback,
        COALESCE(sum(requests) FILTER (WHERE accepted), 0)::BIGINT AS accepted,
        COALESCE(sum(requests) FILTER (WHERE unpriced_reason IS NOT NULL), 0)::BIGINT AS unpriced_requests,
        COALESCE(sum(cost), 0)::VARCHAR AS cost
      FROM priced_cube
      GROUP BY 1, 2, 3, 4, 5, priced_cube.day
      ORDER BY day, model, image_size, lane, provider, job_type`,
    params: [],
  };
}
