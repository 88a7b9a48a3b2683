/**
 * The canonical request log: one row per image request. Column names in files match these
 * case-insensitively, ignoring `_`, `-`, `.` and spaces, directly or through a synonym.
 */
export interface LogColumn {
  name: string;
  required: boolean;
  synonyms: string[];
  description: string;
  defaultText: string;
}

export const LOG_COLUMNS: readonly LogColumn[] = [
  { name: 'timestamp', required: true, synonyms: ['created_at', 'createdat', 'ts', 'time', 'datetime', 'date', 'create_time', 'request_time', 'started_at'], description: 'ISO 8601 (no zone = UTC, offsets honoured) or Unix epoch seconds / milliseconds', defaultText: '' },
  { name: 'model', required: true, synonyms: ['model_id', 'model_name', 'model_version', 'modelversion'], description: 'as logged; aliases and prefixes map to the canonical id', defaultText: '' },
  { name: 'request_id', required: false, synonyms: ['id', 'requestid', 'response_id', 'generation_id', 'key'], description: 'identifies the request', defaultText: 'file and row number' },
  { name: 'provider', required: false, synonyms: ['provider_name', 'channel', 'vendor', 'billed_by'], description: 'who billed it: google, vertex, openrouter, a reseller', defaultText: 'google' },
  { name: 'lane', required: false, synonyms: ['mode', 'service_tier', 'tier', 'processing_mode'], description: 'standard, batch, flex or priority', defaultText: 'standard' },
  { name: 'image_size', required: false, synonyms: ['imagesize', 'size', 'resolution'], description: '512, 1K, 2K, 4K', defaultText: '1K' },
  { name: 'images', required: false, synonyms: ['image_count', 'n', 'num_images', 'number_of_images', 'candidate_count'], description: 'images returned per attempt', defaultText: '1' },
  { name: 'job_type', required: false, synonyms: ['job', 'jobtype', 'use_case', 'workflow', 'task'], description: 'draft, variant, thumbnail, final, brand_asset, paid_ad, or your own', defaultText: 'unknown' },
  { name: 'attempt_count', required: false, synonyms: ['attempts', 'tries', 'attempt_total'], description: 'attempts made (≥ 1)', defaultText: '1' },
  { name: 'billed_attempts', required: false, synonyms: ['billed', 'billable_attempts'], description: 'attempts that were billed (0 … attempt_count)', defaultText: 'attempt_count' },
  { name: 'prompt_hash', required: false, synonyms: ['prompthash', 'prompt_id', 'prompt_sha'], description: 'finds duplicate generations', defaultText: '' },
  { name: 'accepted_by_user', required: false, synonyms: ['accepted', 'user_accepted', 'acceptance', 'kept'], description: 'true/false, 1/0, yes/no; empty = unknown', defaultText: 'unknown' },
  { name: 'input_tokens', required: false, synonyms: ['prompt_tokens', 'prompt_token_count', 'input_text_tokens'], description: 'input text tokens per attempt', defaultText: '0' },
  { name: 'input_images', required: false, synonyms: ['reference_images', 'input_image_count'], description: 'input (reference) images per attempt', defaultText: '0' },
  { name: 'output_text_tokens', required: false, synonyms: ['text_tokens', 'completion_text_tokens'], description: 'text output tokens per attempt', defaultText: '0' },
  { name: 'output_thinking_tokens', required: false, synonyms: ['thoughts_token_count', 'thoughts_tokens', 'reasoning_tokens', 'thinking_tokens'], description: 'thinking tokens per attempt, billed at the text-output rate', defaultText: '0' },
  { name: 'output_image_tokens', required: false, synonyms: ['image_tokens', 'native_tokens_completion_images'], description: 'image output tokens per attempt; overrides the size’s token table', defaultText: 'from the size’s token table' },
  { name: 'grounding_queries', required: false, synonyms: ['search_queries', 'grounding'], description: 'Google Search grounding queries per attempt', defaultText: '0' },
  { name: 'status', required: false, synonyms: ['state', 'result'], description: 'shown in the explorer', defaultText: '' },
  { name: 'latency_ms', required: false, synonyms: ['latency', 'duration_ms'], description: 'shown in the explorer', defaultText: '' },
  { name: 'cost_usd', required: false, synonyms: ['cost', 'total_cost', 'billed_cost'], description: 'cost as billed, kept for reconciliation', defaultText: '' },
];

export type CanonicalColumn = (typeof LOG_COLUMNS)[number]['name'];

function squash(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_.-]+/g, '');
}

const LOOKUP = new Map<string, string>();
for (const column of LOG_COLUMNS) {
  for (const n of [column.name, ...column.synonyms]) LOOKUP.set(squash(n), column.name);
}

export interface ColumnMapping {
  /** canonical name → the file's column name */
  mapped: Map<string, string>;
  /** file columns that match nothing */
  ignored: string[];
  /** file columns that name a canonical column already taken by an earlier one */
  duplicates: { column: string; canonical: string; kept: string }[];
  missingRequired: string[];
}

/** Maps a file's header to canonical columns; exact names win over synonyms. */
export function mapColumns(header: readonly string[]): ColumnMapping {
  const mapped = new Map<string, string>();
  const ignored: string[] = [];
  const duplicates: ColumnMapping['duplicates'] = [];
  const exact = new Set(header.map(squash).filter((h) => LOG_COLUMNS.some((c) => squash(c.name) === h)));
  for (const column of header) {
    const key = squash(column);
    const canonical = LOOKUP.get(key);
    if (!canonical) {
      ignored.push(column);
      continue;
    }
    // A synonym yields to a column that names the canonical column exactly.
    if (exact.has(squash(canonical)) && key !== squash(canonical)) {
      ignored.push(column);
      continue;
    }
    const kept = mapped.get(canonical);
    if (kept !== undefined) duplicates.push({ column, canonical, kept });
    else mapped.set(canonical, column);
  }
  const missingRequired = LOG_COLUMNS.filter((c) => c.required && !mapped.has(c.name)).map((c) => c.name);
  return { mapped, ignored, duplicates, missingRequired };
}

/**
 * A mapping the user chose for a file PixelSpend could not read on its own (the Data view's
 * mapping step, or the CLI's `--mapping FILE.json`). Saved per header and reused.
 */
export interface UserMapping {
  /** canonical column → the file's column */
  columns: Record<string, string>;
  /** values for columns the file does not have: a date or time (UTC), a size, a lane, a provider */
  defaults?: { timestamp?: string; image_size?: string; lane?: string; provider?: string };
  /** the header it was made for; absent = any file that has every mapped column */
  header?: string[];
}

/** One key per header: the same columns in the same order. */
export function headerKey(header: readonly string[]): string {
  return header.map((h) => h.trim().toLowerCase()).join('\u0001');
}

/** The user's mapping for this header, when it applies: every mapped column exists in the file. */
export function userMappingFor(header: readonly string[], mappings: readonly UserMapping[]): UserMapping | null {
  const key = headerKey(header);
  const exact = mappings.find((m) => m.header && headerKey(m.header) === key);
  if (exact) return exact;
  const present = new Set(header);
  return mappings.find((m) => !m.header && Object.values(m.columns).every((c) => present.has(c))) ?? null;
}

/** A ColumnMapping from a user mapping: mapped columns as chosen, every other column an attribute. */
export function applyUserMapping(header: readonly string[], mapping: UserMapping): ColumnMapping {
  const mapped = new Map<string, string>();
  const known = new Set(LOG_COLUMNS.map((c) => c.name));
  for (const [canonical, column] of Object.entries(mapping.columns)) {
    if (known.has(canonical) && column && header.includes(column)) mapped.set(canonical, column);
  }
  const used = new Set(mapped.values());
  const ignored = header.filter((h) => !used.has(h));
  const missingRequired = LOG_COLUMNS.filter((c) => c.required && !mapped.has(c.name) && !(c.name === 'timestamp' && mapping.defaults?.timestamp)).map((c) => c.name);
  return { mapped, ignored, duplicates: [], missingRequired };
}

/** For rows whose columns are already canonical (the source presets): exact names map, the rest are attributes. */
export function exactColumns(header: readonly string[]): ColumnMapping {
  const known = new Set(LOG_COLUMNS.map((c) => c.name));
  const mapped = new Map<string, string>();
  const ignored: string[] = [];
  for (const h of header) {
    if (known.has(h) && !mapped.has(h)) mapped.set(h, h);
    else ignored.push(h);
  }
  const missingRequired = LOG_COLUMNS.filter((c) => c.required && !mapped.has(c.name)).map((c) => c.name);
  return { mapped, ignored, duplicates: [], missingRequired };
}
