import { quoteIdent, quoteLiteral } from './sql/identifiers';
import { MONEY_TYPE } from './sql/pricing';

/**
 * The canonical request log, one row per request, after validation: each column with its
 * type. Every loaded file's accepted rows stay in the table validation wrote them to (a
 * "part"), and the view `requests` unites the parts: nothing is copied a second time.
 */
export const REQUEST_SCHEMA = [
  ['request_id', 'VARCHAR'],
  ['ts', 'TIMESTAMP'],
  ['model_raw', 'VARCHAR'],
  ['provider', 'VARCHAR'],
  ['lane', 'VARCHAR'],
  ['image_size', 'VARCHAR'],
  ['images', 'BIGINT'],
  ['job_type', 'VARCHAR'],
  ['attempt_count', 'BIGINT'],
  ['billed_attempts', 'BIGINT'],
  ['prompt_hash', 'VARCHAR'],
  ['accepted', 'BOOLEAN'],
  ['input_tokens', 'BIGINT'],
  ['input_images', 'BIGINT'],
  ['output_text_tokens', 'BIGINT'],
  ['output_image_tokens', 'BIGINT'],
  ['output_thinking_tokens', 'BIGINT'],
  ['grounding_queries', 'BIGINT'],
  ['status', 'VARCHAR'],
  ['latency_ms', 'DOUBLE'],
  ['cost_usd', MONEY_TYPE],
  // every column of the log that is not canonical (team, user, tags …), by its name
  ['attributes', 'MAP(VARCHAR, VARCHAR)'],
] as const;

export interface RequestPart {
  table: string;
  sourceFile: string;
  /** row_id = base + source_row: unique across files and in file order */
  base: number;
}

/** The empty part that keeps `requests` typed when no file is loaded. */
const EMPTY_PART = 'requests_part_0';

export const LOG_TABLES_DDL = `
  CREATE TABLE IF NOT EXISTS ${EMPTY_PART} (source_row BIGINT, ${REQUEST_SCHEMA.map(([name, type]) => `${name} ${type}`).join(', ')});
  CREATE TEMP TABLE IF NOT EXISTS shared_prompts (prompt_hash VARCHAR, first_row BIGINT, requests BIGINT);
  CREATE TABLE IF NOT EXISTS request_parts (part VARCHAR, source_file VARCHAR, base BIGINT, rows BIGINT);
  CREATE TABLE IF NOT EXISTS load_rejects (
    source_file VARCHAR, source_row BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR
  );
  CREATE TABLE IF NOT EXISTS load_warnings (
    source_file VARCHAR, "column" VARCHAR, from_value VARCHAR, to_value VARCHAR, rows BIGINT
  );
  CREATE TABLE IF NOT EXISTS load_files (
    source_file VARCHAR, format VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_rejected BIGINT
  );`;

/** The `requests` view over the parts, each column cast to its canonical type. */
export function requestsViewSql(parts: readonly RequestPart[]): string {
  const select = (p: RequestPart) => `
    SELECT (${p.base} + source_row)::BIGINT AS row_id, ${quoteLiteral(p.sourceFile)}::VARCHAR AS source_file, source_row::BIGINT AS source_row,
      ${REQUEST_SCHEMA.map(([name, type]) => `CAST(${name} AS ${type}) AS ${name}`).join(', ')}
    FROM ${quoteIdent(p.table)}`;
  const all = [{ table: EMPTY_PART, sourceFile: '', base: 0 }, ...parts];
  return `CREATE OR REPLACE VIEW requests AS ${all.map(select).join(' UNION ALL ')}`;
}

/** Every table the loaded log and its derived cube live in, for a reset. */
export const DERIVED_TABLES = ['priced_months', 'priced_days', 'priced_cube', 'price_keys', 'priced_rates', 'priced_churn', 'model_keys', 'cube_keys', 'usage_cube', 'shared_prompts', 'attribute_names'] as const;
export const LOG_TABLES = ['request_parts', 'load_rejects', 'load_warnings', 'load_files'] as const;
