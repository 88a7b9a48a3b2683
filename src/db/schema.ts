import { MONEY_TYPE } from './sql/pricing';

/** The loaded request log, canonical and typed; one row per request. */
export const REQUESTS_DDL = `
  CREATE TABLE IF NOT EXISTS requests (
    row_id BIGINT,
    source_file VARCHAR,
    source_row BIGINT,
    request_id VARCHAR,
    ts TIMESTAMP,
    model_raw VARCHAR,
    provider VARCHAR,
    lane VARCHAR,
    image_size VARCHAR,
    images INTEGER,
    job_type VARCHAR,
    attempt_count INTEGER,
    billed_attempts INTEGER,
    prompt_hash VARCHAR,
    accepted BOOLEAN,
    input_tokens BIGINT,
    input_images INTEGER,
    output_text_tokens BIGINT,
    output_image_tokens BIGINT,
    output_thinking_tokens BIGINT,
    grounding_queries INTEGER,
    status VARCHAR,
    latency_ms DOUBLE,
    cost_usd ${MONEY_TYPE},
    -- every column of the log that is not canonical (team, user, tags …), by its name
    attributes MAP(VARCHAR, VARCHAR),
    -- set once per load: the prompt hash appeared earlier in the log (see markRepeatsSql)
    is_repeat BOOLEAN DEFAULT false
  );
  CREATE TABLE IF NOT EXISTS load_rejects (
    source_file VARCHAR, source_row BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR
  );
  CREATE TABLE IF NOT EXISTS load_warnings (
    source_file VARCHAR, "column" VARCHAR, from_value VARCHAR, to_value VARCHAR, rows BIGINT
  );
  CREATE TABLE IF NOT EXISTS load_files (
    source_file VARCHAR, format VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_rejected BIGINT
  );`;

export const RESET_LOG_SQL = `
  DROP VIEW IF EXISTS priced; DROP TABLE IF EXISTS priced_cube; DROP TABLE IF EXISTS price_keys;
  DROP TABLE IF EXISTS usage_cube; DROP TABLE IF EXISTS requests; DROP TABLE IF EXISTS load_rejects;
  DROP TABLE IF EXISTS load_warnings; DROP TABLE IF EXISTS load_files;`;
