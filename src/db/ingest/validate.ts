import type { ColumnMapping } from '../../domain/log-schema';
import { PROVIDER_ALIASES } from '../../domain/providers';
import { quoteIdent, quoteLiteral } from '../sql/identifiers';
import { MONEY_TYPE } from '../sql/pricing';

/**
 * Parses ISO 8601 (no zone = UTC; `Z` and ±hh[:mm] offsets converted to UTC) or Unix epoch
 * seconds / milliseconds into a UTC TIMESTAMP, or NULL. Written without ICU, which is not
 * inside the wasm build; a plain cast would ignore an offset.
 */
export function parseTimestampSql(text: string): string {
  const iso = `'^(\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?)?)(Z|[+-]\\d{2}(?::?\\d{2})?)?$'`;
  const zone = `regexp_extract(${text}, ${iso}, 2)`;
  const zoneDigits = `replace(${zone}, ':', '')`;
  const offsetMinutes = `(CASE WHEN ${zone} IN ('', 'Z') THEN 0 ELSE
      (CASE WHEN left(${zone}, 1) = '-' THEN -1 ELSE 1 END)
      * (substr(${zoneDigits}, 2, 2)::INTEGER * 60 + CASE WHEN length(${zoneDigits}) = 5 THEN substr(${zoneDigits}, 4, 2)::INTEGER ELSE 0 END) END)`;
  // Cheap string tests send the common forms ("…Z", or no zone at all) to a plain cast and
  // keep the regular expressions for epochs and explicit offsets: on a million rows the
  // difference is seconds. Byte tests (`suffix`) and copying only a text with a comma count too.
  const afterMinutes = `substr(${text}, 17)`;
  const decimalPoint = `(CASE WHEN contains(${text}, ',') THEN replace(${text}, ',', '.') ELSE ${text} END)`;
  return `(CASE
      WHEN ${text} IS NULL THEN NULL
      WHEN NOT contains(${text}, '-') THEN (CASE
        WHEN regexp_full_match(${text}, '\\d{9,10}(\\.\\d+)?') THEN make_timestamp(CAST(${text}::DECIMAL(20,6) * 1000000 AS BIGINT))
        WHEN regexp_full_match(${text}, '\\d{12,13}') THEN epoch_ms(${text}::BIGINT) END)
      WHEN suffix(${text}, 'Z') AND regexp_matches(${text}, ${iso}) THEN try_cast(${decimalPoint} AS TIMESTAMP)
      WHEN NOT contains(${afterMinutes}, '+') AND NOT contains(${afterMinutes}, '-') AND regexp_matches(${text}, ${iso}) THEN
        try_cast(${decimalPoint} AS TIMESTAMP)
      WHEN regexp_matches(${text}, ${iso}) THEN
        try_cast(replace(regexp_extract(${text}, ${iso}, 1), ',', '.') AS TIMESTAMP) - ${offsetMinutes} * INTERVAL 1 MINUTE
    END)`;
}

/**
 * `nullif(trim(text), '')`, several times faster on the usual value. DuckDB's trim strips Unicode
 * space separators and copies every string; text that is all ASCII and neither starts nor ends
 * with a space is already trimmed, and is passed through.
 */
export function trimmedSql(text: string): string {
  return `(CASE WHEN strlen(${text}) = length(${text}) AND NOT starts_with(${text}, ' ') AND NOT suffix(${text}, ' ') THEN nullif(${text}, '') ELSE nullif(trim(${text}), '') END)`;
}

/**
 * Text → DECIMAL(38,12). Parsing into the 128-bit type is about a hundred times slower in the
 * wasm build than into DECIMAL(18,12), which holds any amount under a million dollars exactly:
 * that is tried first, the wide type only for what it refuses.
 */
export function moneyFromTextSql(text: string): string {
  return `COALESCE(try_cast(${text} AS DECIMAL(18,12))::${MONEY_TYPE}, try_cast(${text} AS ${MONEY_TYPE}))`;
}

const SIZE_MAP: Record<string, string> = {
  '512': '512', '0.5k': '512', '512x512': '512', '512px': '512',
  '1k': '1K', '1024': '1K', '1024x1024': '1K', '1024px': '1K',
  '2k': '2K', '2048': '2K', '2048x2048': '2K', '2048px': '2K',
  '4k': '4K', '4096': '4K', '4096x4096': '4K', '4096px': '4K',
};
const LANE_MAP: Record<string, string> = {
  standard: 'standard', default: 'standard', 'on-demand': 'standard', on_demand: 'standard', ondemand: 'standard', realtime: 'standard', interactive: 'standard', sync: 'standard',
  batch: 'batch', async: 'batch',
  flex: 'flex',
  priority: 'priority',
  provisioned: 'provisioned', provisioned_throughput: 'provisioned',
};
const TRUE_WORDS = ['true', 't', '1', 'yes', 'y', 'accepted', 'accept', 'kept'];
const FALSE_WORDS = ['false', 'f', '0', 'no', 'n', 'rejected', 'reject', 'discarded'];
const UNKNOWN_WORDS = ['', 'unknown', 'null', 'none', 'na', 'n/a', '-'];

/**
 * `expr` normalised by `mapped` (the full rule), with the map's own canonical values (`1K`, `google`,
 * `standard`) passed through first: the usual log writes nothing else, and lowering every value and
 * testing it against every alias cost about 0.1 s per column of a million rows in wasm.
 */
function normalisedSql(text: string, map: Record<string, string>, mapped: string): string {
  const canonical = [...new Set(Object.values(map))].filter((v) => map[v.toLowerCase()] === v);
  return `(CASE WHEN ${text} IN (${list(canonical)}) THEN ${text} ELSE ${mapped} END)`;
}

function mapCase(expr: string, map: Record<string, string>): string {
  const arms = Object.entries(map).map(([k, v]) => `WHEN ${quoteLiteral(k)} THEN ${quoteLiteral(v)}`);
  return `(CASE ${expr} ${arms.join(' ')} END)`;
}

const list = (words: string[]) => words.map(quoteLiteral).join(', ');

/**
 * The largest count a row may hold, per attempt. Far above any real request (Gemini returns
 * at most 8 images and reads at most 14 reference images; context windows are a few million
 * tokens), yet low enough that the largest rate a card may hold times every count of a row
 * stays inside DECIMAL(38,12) when summed over billions of rows.
 */
export const COUNT_LIMITS = {
  images: 10_000,
  attempt_count: 10_000,
  input_images: 10_000,
  grounding_queries: 10_000,
  input_tokens: 10_000_000_000,
  output_text_tokens: 10_000_000_000,
  output_image_tokens: 10_000_000_000,
  output_thinking_tokens: 10_000_000_000,
} as const;

export const tooLarge = (column: keyof typeof COUNT_LIMITS) => `too large (max ${COUNT_LIMITS[column]})`;

/** Digits only (an optional sign, a `.0` tail), short enough to be a BIGINT. */
const WHOLE_IN_BIGINT = '[+-]?0*\\d{1,18}(\\.0+)?';

/** Values for what a file leaves out, chosen by the user (the Data view's mapping step, `--default-time`). */
export interface LogDefaults {
  /** UTC, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]`: for rows with no timestamp */
  timestamp?: string;
  image_size?: string;
  lane?: string;
  provider?: string;
}

/** `2026-03-02 09:00:00 UTC` (BigQuery's CSV form) → `2026-03-02 09:00:00Z`. */
function utcSuffix(text: string): string {
  return `(CASE WHEN suffix(${text}, ' UTC') THEN rtrim(left(${text}, length(${text}) - 4)) || 'Z' ELSE ${text} END)`;
}

/** Columns that are not canonical, kept per row as attributes (name → value; empty values left out). */
export function attributeColumns(mapping: ColumnMapping): string[] {
  const internal = new Set(['source_row', '__attempt_rows']);
  return [...mapping.ignored, ...mapping.duplicates.map((d) => d.column)].filter((c) => !internal.has(c));
}

/**
 * A field DuckDB kept as literal text because its opening quote is never closed (the row may still
 * be right): it starts with a quote and holds an odd number of them, which no well-formed quoted
 * field can.
 */
export function unclosedQuoteSql(v: string): string {
  return `(starts_with(${v}, '"') AND (length(${v}) - length(replace(${v}, '"', ''))) % 2 = 1)`;
}

export interface ValidationOptions {
  /** Add to `staged_table` instead of creating it (a later slice of the same file). */
  append?: boolean;
  /** Find fields whose quote is never closed (the file holds a quote). */
  quotes?: boolean;
  /** Trim every field (a field may start or end with a space: `mayHavePaddedFields`); default true. */
  padded?: boolean;
}

/**
 * SQL that types and checks one staged file, or one slice of it (`raw_table`, all VARCHAR, with
 * `source_row`), into `staged_table` (created, or with `append` added to): canonical typed columns
 * plus `errors` (a list of {column, value, reason}, NULL for a row that is accepted), `id_from_row`
 * (the request id is the file and row number: the log has none) and, with `quotes`, `unclosed` (the
 * file's columns whose quote is never closed in that row, NULL for none).
 */
export function buildValidationSql(rawTable: string, stagedTable: string, mapping: ColumnMapping, sourceFile: string, defaults: LogDefaults = {}, options: ValidationOptions = {}): string {
  const { append = false, quotes = false, padded = true } = options;
  // Each mapped column is trimmed once, in `src`; later expressions refer to the result.
  const trim = padded ? trimmedSql : (text: string) => `nullif(${text}, '')`;
  const trimmed = [...mapping.mapped].map(([name, fileColumn]) => `${trim(quoteIdent(fileColumn))} AS ${quoteIdent(`c_${name}`)}`);
  const attrs = attributeColumns(mapping);
  trimmed.push(...attrs.map((c, i) => `${trim(quoteIdent(c))} AS ${quoteIdent(`a_${i}`)}`));
  const attributes = attrs.length === 0
    ? 'MAP {}::MAP(VARCHAR, VARCHAR)'
    : `map_from_entries(list_filter([${attrs.map((c, i) => `{'key': ${quoteLiteral(c)}, 'value': ${quoteIdent(`a_${i}`)}}`).join(', ')}], e -> e.value IS NOT NULL))::MAP(VARCHAR, VARCHAR)`;
  const col = (name: string) => (mapping.mapped.has(name) ? quoteIdent(`c_${name}`) : 'NULL::VARCHAR');
  // Only plain digits are cast: DuckDB would round "2.5" and read "1e3", "0x10" and "1_000".
  // A value that is its own integer's text ("0", "237", "-5") needs no regex: the usual case, several times faster.
  // Each count is cast once, in a projection below (`n_<name>`): casting them twice cost 0.15 s of a million rows in wasm.
  const counts = ['images', 'attempt_count', 'billed_attempts', 'input_tokens', 'input_images', 'output_text_tokens', 'output_image_tokens', 'output_thinking_tokens', 'grounding_queries']
    .filter((name) => mapping.mapped.has(name));
  const count = (name: string) => (mapping.mapped.has(name)
    ? `(CASE WHEN ${quoteIdent(`n_${name}`)}::VARCHAR = ${col(name)} THEN ${quoteIdent(`n_${name}`)} WHEN regexp_full_match(${col(name)}, '${WHOLE_IN_BIGINT}') THEN ${col(name)}::BIGINT END)`
    : 'NULL::BIGINT');
  const file = quoteLiteral(sourceFile);
  const tsText = defaults.timestamp ? `COALESCE(${utcSuffix(col('timestamp'))}, ${quoteLiteral(defaults.timestamp)})` : utcSuffix(col('timestamp'));
  const providerLower = `lower(${col('provider')})`;
  const fileColumns = [...mapping.mapped.values(), ...attrs];
  const unclosed = !quotes || fileColumns.length === 0 ? 'NULL::VARCHAR[]' : `CASE WHEN ${fileColumns.map((c) => unclosedQuoteSql(quoteIdent(c))).join(' OR ')}
    THEN list_filter([${fileColumns.map((c) => `CASE WHEN ${unclosedQuoteSql(quoteIdent(c))} THEN ${quoteLiteral(c)} END`).join(', ')}], x -> x IS NOT NULL) END`;

  const typed = `
    SELECT source_row,
      timestamp_text,
      ${parseTimestampSql('timestamp_text')} AS ts,
      ${defaults.timestamp ? `${col('timestamp')} IS NULL` : 'false'} AS ts_defaulted,
      ${col('model')} AS model_raw,
      COALESCE(${col('request_id')}, ${file} || '#' || source_row) AS request_id,
      ${col('request_id')} IS NULL AS id_from_row,
      ${col('provider')} AS provider_text,
      ${normalisedSql(col('provider'), PROVIDER_ALIASES, `COALESCE(${mapCase(providerLower, PROVIDER_ALIASES)}, CASE WHEN starts_with(${providerLower}, 'vertex_ai') THEN 'vertex' END, ${providerLower}, ${quoteLiteral(defaults.provider ?? 'google')})`)} AS provider,
      ${col('lane')} AS lane_text,
      ${normalisedSql(col('lane'), LANE_MAP, `COALESCE(${mapCase(`lower(${col('lane')})`, LANE_MAP)}, CASE WHEN ${col('lane')} IS NULL THEN ${quoteLiteral(defaults.lane ?? 'standard')} END)`)} AS lane,
      ${col('image_size')} AS size_text,
      ${normalisedSql(col('image_size'), SIZE_MAP, `COALESCE(${mapCase(`lower(${col('image_size')})`, SIZE_MAP)}, CASE WHEN ${col('image_size')} IS NULL THEN ${quoteLiteral(defaults.image_size ?? '1K')} END)`)} AS image_size,
      ${col('images')} AS images_text, COALESCE(${count('images')}, CASE WHEN ${col('images')} IS NULL THEN 1 END) AS images,
      COALESCE(lower(${col('job_type')}), 'unknown') AS job_type,
      ${col('attempt_count')} AS attempts_text,
      COALESCE(${count('attempt_count')}, CASE WHEN ${col('attempt_count')} IS NULL THEN 1 END) AS attempt_count,
      ${col('billed_attempts')} AS billed_text,
      ${count('billed_attempts')} AS billed_given,
      ${col('prompt_hash')} AS prompt_hash,
      ${col('accepted_by_user')} AS accepted_text,
      CASE WHEN ${col('accepted_by_user')} = 'true' THEN true WHEN ${col('accepted_by_user')} = 'false' THEN false
           WHEN lower(COALESCE(${col('accepted_by_user')}, '')) IN (${list(UNKNOWN_WORDS)}) THEN NULL
           WHEN lower(${col('accepted_by_user')}) IN (${list(TRUE_WORDS)}) THEN true
           WHEN lower(${col('accepted_by_user')}) IN (${list(FALSE_WORDS)}) THEN false END AS accepted,
      ${col('input_tokens')} AS input_tokens_text, COALESCE(${count('input_tokens')}, CASE WHEN ${col('input_tokens')} IS NULL THEN 0 END) AS input_tokens,
      ${col('input_images')} AS input_images_text, COALESCE(${count('input_images')}, CASE WHEN ${col('input_images')} IS NULL THEN 0 END) AS input_images,
      ${col('output_text_tokens')} AS text_tokens_text, COALESCE(${count('output_text_tokens')}, CASE WHEN ${col('output_text_tokens')} IS NULL THEN 0 END) AS output_text_tokens,
      ${col('output_image_tokens')} AS image_tokens_text, ${count('output_image_tokens')} AS output_image_tokens,
      ${col('output_thinking_tokens')} AS thinking_tokens_text, COALESCE(${count('output_thinking_tokens')}, CASE WHEN ${col('output_thinking_tokens')} IS NULL THEN 0 END) AS output_thinking_tokens,
      ${col('grounding_queries')} AS grounding_text, COALESCE(${count('grounding_queries')}, CASE WHEN ${col('grounding_queries')} IS NULL THEN 0 END) AS grounding_queries,
      ${col('status')} AS status,
      ${col('latency_ms')} AS latency_text, try_cast(${col('latency_ms')} AS DOUBLE) AS latency_ms,
      ${col('cost_usd')} AS cost_text, ${moneyFromTextSql(`ltrim(${col('cost_usd')}, '$')`)} AS cost_usd,
      ${attributes} AS attributes,
      unclosed
    FROM (SELECT *, ${tsText} AS timestamp_text${counts.map((name) => `, try_cast(${col(name)} AS BIGINT) AS ${quoteIdent(`n_${name}`)}`).join('')} FROM (SELECT source_row${trimmed.map((t) => `, ${t}`).join('')}, ${unclosed} AS unclosed FROM ${rawTable}))`;

  const countErrors = (column: keyof typeof COUNT_LIMITS, text: string, value: string, min: number) => {
    const low = min === 0 ? 'negative' : `less than ${min}`;
    return `CASE WHEN ${text} IS NOT NULL AND ${value} IS NULL THEN {'column': '${column}', 'value': ${text}, 'reason':
             CASE WHEN regexp_full_match(${text}, '-\\d+(\\.0+)?') THEN '${low}'
                  WHEN regexp_full_match(${text}, '\\+?\\d+(\\.0+)?') THEN '${tooLarge(column)}'
                  ELSE 'not a whole number' END}
           WHEN ${value} < ${min} THEN {'column': '${column}', 'value': ${text}, 'reason': '${low}'}
           WHEN ${value} > ${COUNT_LIMITS[column]} THEN {'column': '${column}', 'value': ${text}, 'reason': '${tooLarge(column)}'} END`;
  };

  // Every check yields an error struct or NULL; a row's list is built only when one fired, and a
  // clean row (nearly every one) stores a NULL.
  const checks = [
    `CASE WHEN timestamp_text IS NULL THEN {'column': 'timestamp', 'value': NULL::VARCHAR, 'reason': 'missing'}
          WHEN ts IS NULL THEN {'column': 'timestamp', 'value': timestamp_text, 'reason': 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)'} END`,
    `CASE WHEN model_raw IS NULL THEN {'column': 'model', 'value': NULL::VARCHAR, 'reason': 'missing'} END`,
    `CASE WHEN lane IS NULL THEN {'column': 'lane', 'value': lane_text, 'reason': 'unknown lane (standard, batch, flex, priority, provisioned)'} END`,
    `CASE WHEN image_size IS NULL THEN {'column': 'image_size', 'value': size_text, 'reason': 'unknown image size (512, 1K, 2K, 4K)'} END`,
    countErrors('images', 'images_text', 'images', 0),
    countErrors('attempt_count', 'attempts_text', 'attempt_count', 1),
    `CASE WHEN billed_text IS NOT NULL AND billed_given IS NULL THEN {'column': 'billed_attempts', 'value': billed_text, 'reason':
            CASE WHEN regexp_full_match(billed_text, '-\\d+(\\.0+)?') THEN 'negative'
                 WHEN regexp_full_match(billed_text, '\\+?\\d+(\\.0+)?') THEN 'more than attempt_count (' || COALESCE(attempt_count::VARCHAR, attempts_text) || ')'
                 ELSE 'not a whole number' END}
          WHEN billed_given < 0 THEN {'column': 'billed_attempts', 'value': billed_text, 'reason': 'negative'}
          WHEN billed_given > attempt_count THEN {'column': 'billed_attempts', 'value': billed_text, 'reason': 'more than attempt_count (' || attempt_count || ')'} END`,
    `CASE WHEN accepted_text IS NOT NULL AND accepted IS NULL AND lower(accepted_text) NOT IN (${list(UNKNOWN_WORDS)})
          THEN {'column': 'accepted_by_user', 'value': accepted_text, 'reason': 'not true/false, yes/no or 1/0'} END`,
    countErrors('input_tokens', 'input_tokens_text', 'input_tokens', 0),
    countErrors('input_images', 'input_images_text', 'input_images', 0),
    countErrors('output_text_tokens', 'text_tokens_text', 'output_text_tokens', 0),
    countErrors('output_image_tokens', 'image_tokens_text', 'output_image_tokens', 0),
    countErrors('output_thinking_tokens', 'thinking_tokens_text', 'output_thinking_tokens', 0),
    countErrors('grounding_queries', 'grounding_text', 'grounding_queries', 0),
    `CASE WHEN latency_text IS NOT NULL AND latency_ms IS NULL THEN {'column': 'latency_ms', 'value': latency_text, 'reason': 'not a number'}
          WHEN latency_ms < 0 THEN {'column': 'latency_ms', 'value': latency_text, 'reason': 'negative'} END`,
    `CASE WHEN cost_text IS NOT NULL AND cost_usd IS NULL THEN {'column': 'cost_usd', 'value': cost_text, 'reason': 'not a decimal amount'}
          WHEN cost_usd < 0 THEN {'column': 'cost_usd', 'value': cost_text, 'reason': 'negative'} END`,
  ];
  const names = checks.map((_, i) => `check_${i}`);
  return `
    ${append ? `INSERT INTO ${stagedTable}` : `CREATE OR REPLACE TABLE ${stagedTable} AS`}
    WITH t AS (${typed}),
    c AS (SELECT t.*, COALESCE(billed_given, attempt_count) AS billed_attempts FROM t),
    k AS (SELECT c.*, ${checks.map((check, i) => `${check} AS ${names[i]}`).join(',\n      ')} FROM c)
    SELECT k.* EXCLUDE (billed_given, ${names.join(', ')}, ${CHECK_ONLY_TEXT.join(', ')}, ${NORMALISED_COLUMNS.map((n) => n.text).join(', ')}),
      ${NORMALISED_COLUMNS.map((n) => `CASE WHEN ${n.text} <> ${n.value} THEN ${n.text} END AS ${n.text}`).join(', ')},
      CASE WHEN ${names.map((n) => `${n} IS NULL`).join(' AND ')}
        THEN NULL
        ELSE list_filter([${names.join(', ')}], e -> e IS NOT NULL) END AS errors
    FROM k`;
}

/** Raw text kept only for the checks: dropped before the staged table is written (it halves its size). */
const CHECK_ONLY_TEXT = [
  'timestamp_text', 'images_text', 'attempts_text', 'billed_text', 'accepted_text', 'input_tokens_text',
  'input_images_text', 'text_tokens_text', 'image_tokens_text', 'thinking_tokens_text', 'grounding_text', 'latency_text', 'cost_text',
];

/** Columns the staged table hands to `requests`, in its order. */
export const REQUEST_COLUMNS = [
  'request_id', 'ts', 'model_raw', 'provider', 'lane', 'image_size', 'images', 'job_type', 'attempt_count',
  'billed_attempts', 'prompt_hash', 'accepted', 'input_tokens', 'input_images', 'output_text_tokens',
  'output_image_tokens', 'output_thinking_tokens', 'grounding_queries', 'status', 'latency_ms', 'cost_usd', 'attributes',
] as const;

/**
 * Columns whose logged text is normalised (`1024x1024` → `1K`): the staged table keeps the text only
 * where it differs, for the load's warnings; storing every row's copy cost a second per million rows.
 */
export const NORMALISED_COLUMNS = [
  { column: 'image_size', text: 'size_text', value: 'image_size' },
  { column: 'lane', text: 'lane_text', value: 'lane' },
  { column: 'provider', text: 'provider_text', value: 'provider' },
] as const;
