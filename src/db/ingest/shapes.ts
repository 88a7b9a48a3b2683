import { sizeFromImageTokens } from '../../domain/image-tokens';
import { LOG_COLUMNS } from '../../domain/log-schema';
import { normaliseProvider, providerFromModelPrefix } from '../../domain/providers';
import { NotALogError } from './errors';

export type JsonRecord = Record<string, unknown>;

export interface LineReject {
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** Rows parsed in JS, all text, ready to stage for the same validation SQL as CSV. */
export interface StagedRows {
  format: string;
  columns: string[];
  rows: (string | null)[][];
  sourceRows: number[];
  /** Lines that could not become a row at all; they count as rows read and rejected. */
  rejects: LineReject[];
  warnings: { column: string; from: string; to: string; rows: number }[];
  /** Columns already named as canonical columns (a recognised source): every other column is an attribute. */
  preset?: boolean;
}

type Shape =
  | 'gemini-response' | 'gemini-batch' | 'vertex-batch' | 'litellm-spendlogs' | 'litellm-payload'
  | 'openrouter-generation' | 'openrouter-activity' | 'langfuse-observation' | 'helicone' | 'flat';

const SHAPE_LABEL: Record<Shape, string> = {
  'gemini-response': 'a Gemini API response',
  'gemini-batch': 'a Gemini Batch output line',
  'vertex-batch': 'a Vertex AI batch prediction line',
  'litellm-spendlogs': 'a LiteLLM SpendLogs row',
  'litellm-payload': 'a LiteLLM StandardLoggingPayload',
  'openrouter-generation': 'an OpenRouter generation',
  'openrouter-activity': 'an OpenRouter activity row',
  'langfuse-observation': 'a Langfuse observation',
  helicone: 'a Helicone request',
  flat: 'a flat request record',
};

function isObj(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(r: JsonRecord, ...keys: string[]): boolean {
  return keys.some((k) => r[k] !== undefined);
}

function shapeOf(r: JsonRecord): Shape {
  if (has(r, 'processed_time') || (typeof r.status === 'string' && isObj(r.request) && !has(r, 'key'))) return 'vertex-batch';
  if (has(r, 'key') && (isObj(r.response) || isObj(r.error) || isObj(r.status))) return 'gemini-batch';
  if (has(r, 'usageMetadata', 'candidates', 'promptFeedback')) return 'gemini-response';
  if (isObj(r.response) && has(r.response, 'usageMetadata', 'candidates')) return 'gemini-response';
  if (has(r, 'response_cost') && has(r, 'custom_llm_provider', 'model_map_information', 'call_type', 'model_group')) return 'litellm-payload';
  if (has(r, 'spend') && has(r, 'startTime', 'starttime', 'call_type')) return 'litellm-spendlogs';
  if (has(r, 'total_cost', 'totalCost') && has(r, 'provider_name', 'providerName', 'native_tokens_prompt', 'nativeTokensPrompt')) return 'openrouter-generation';
  if (has(r, 'generation_id') && has(r, 'cost_total', 'created_at', 'model_permaslug')) return 'openrouter-activity';
  if (has(r, 'startTime') && has(r, 'usageDetails', 'costDetails', 'traceId', 'modelParameters', 'calculatedTotalCost')) return 'langfuse-observation';
  if (has(r, 'request_created_at') || (has(r, 'response_status') && has(r, 'request_id'))) return 'helicone';
  return 'flat';
}

type Input = { records: { row: number; value: JsonRecord }[]; rejects: LineReject[] };

/**
 * Turns parsed JSON records into text rows. Google's own files (API responses, Batch output,
 * Vertex batch predictions) and gateway/observability exports (LiteLLM, OpenRouter, Langfuse,
 * Helicone) are recognised by their shape and mapped to canonical columns plus attributes; a
 * file that mixes shapes is refused as a whole rather than half-read.
 */
export function recordsToRows(file: string, input: Input, baseFormat: string): StagedRows {
  const expanded = expandContainers(input);
  const shapes = new Map<Shape, number>();
  for (const r of expanded.records) {
    const shape = shapeOf(r.value);
    if (!shapes.has(shape)) shapes.set(shape, r.row);
  }
  if (shapes.size > 1) {
    const found = [...shapes].map(([shape, row]) => `row ${row} is ${SHAPE_LABEL[shape]}`).join(', ');
    throw new NotALogError(file, `mixes record shapes (${found}); load each kind from its own file`);
  }
  const shape = [...shapes.keys()][0] ?? 'flat';
  if (shape === 'flat') return flatRows(expanded, baseFormat);
  return presetRows(expanded, shape, `${shape}${expanded.inline ? ' (inline)' : ''} ${baseFormat}`);
}

/**
 * Unwraps the containers APIs return around records: OpenRouter's `{"data": {…}}` and a Gemini
 * Batch job whose inline output holds `inlinedResponses`. Inline items are numbered by position.
 */
function expandContainers(input: Input): Input & { inline: boolean } {
  const records: Input['records'] = [];
  let inline = false;
  for (const r of input.records) {
    const v = r.value;
    const items = inlinedResponses(v);
    if (items) {
      inline = true;
      const meta = isObj(v.metadata) ? v.metadata : v;
      const batch = { createTime: meta.createTime ?? v.createTime, endTime: meta.endTime ?? v.endTime, model: meta.model ?? v.model, name: meta.name ?? v.name };
      items.forEach((item, i) => {
        if (!isObj(item)) return;
        const key = get(item, 'metadata', 'key') ?? item.key ?? `${i + 1}`;
        records.push({ row: i + 1, value: { key, ...(isObj(item.response) ? { response: item.response } : {}), ...(isObj(item.error) ? { error: item.error } : {}), __batch: batch } });
      });
      continue;
    }
    if (isObj(v.data) && Object.keys(v).every((k) => k === 'data')) records.push({ row: r.row, value: v.data });
    else records.push(r);
  }
  return { records, rejects: input.rejects, inline };
}

function inlinedResponses(v: JsonRecord): unknown[] | null {
  for (const path of [
    ['response', 'inlinedResponses', 'inlinedResponses'], ['output', 'inlinedResponses', 'inlinedResponses'],
    ['metadata', 'output', 'inlinedResponses', 'inlinedResponses'], ['dest', 'inlinedResponses'], ['response', 'inlinedResponses'],
    ['inlinedResponses', 'inlinedResponses'], ['inlinedResponses'],
  ]) {
    const found = get(v, ...path);
    if (Array.isArray(found)) return found;
  }
  return null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const MAX_FLAT_COLUMNS = 300;

function flatRows(input: Input, format: string): StagedRows {
  // Nested objects become dotted columns (`metadata.team`), so they are kept as attributes.
  const flat = input.records.map((r) => flatten(r.value));
  // DuckDB column names are case-insensitive: keys differing only in case share a column.
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const record of flat) {
    for (const key of Object.keys(record)) {
      const folded = key.toLowerCase();
      if (!index.has(folded) && columns.length < MAX_FLAT_COLUMNS) {
        index.set(folded, columns.length);
        columns.push(folded === 'source_row' ? 'file_source_row' : key);
      }
    }
  }
  const rows = flat.map((record) => {
    const out: (string | null)[] = new Array(columns.length).fill(null);
    for (const [key, value] of Object.entries(record)) {
      const i = index.get(key.toLowerCase());
      if (i !== undefined) out[i] = text(value);
    }
    return out;
  });
  return { format, columns, rows, sourceRows: input.records.map((r) => r.row), rejects: input.rejects, warnings: [] };
}

function flatten(value: JsonRecord, prefix = '', out: JsonRecord = {}, depth = 0): JsonRecord {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isObj(v) && depth < 3 && !(v instanceof Date) && Object.keys(v).length > 0) flatten(v, name, out, depth + 1);
    else out[name] = v;
  }
  return out;
}

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObj(current)) return undefined;
    current = current[key];
  }
  return current;
}

function first(value: unknown, paths: string[][]): unknown {
  for (const path of paths) {
    const found = get(value, ...path);
    if (found !== undefined && found !== null && found !== '') return found;
  }
  return undefined;
}

/** A record field by any of its spellings (snake_case, camelCase, a CSV header's case). */
function pick(r: JsonRecord, ...names: string[]): unknown {
  for (const n of names) {
    const v = r[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  const lower = new Map(Object.keys(r).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined && r[k] !== undefined && r[k] !== null && r[k] !== '') return r[k];
  }
  return undefined;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) ? n : null;
}

function objectOf(value: unknown): JsonRecord | null {
  if (isObj(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isObj(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}

function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  if (typeof value === 'string' && value.trim() !== '') return value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  return null;
}

/** The size a request asked for, from its generationConfig or a gateway's parameters. */
function requestedSize(request: unknown): unknown {
  return first(request, [
    ['generationConfig', 'imageConfig', 'imageSize'],
    ['generation_config', 'image_config', 'image_size'],
    ['config', 'imageConfig', 'imageSize'],
    ['imageConfig', 'imageSize'],
    ['image_config', 'image_size'],
    ['imageSize'],
    ['image_size'],
  ]);
}

function modalityTokens(details: unknown, modality: string): number | null {
  if (!Array.isArray(details)) return null;
  let total = 0;
  let seen = false;
  for (const d of details) {
    if (isObj(d) && String(d.modality).toUpperCase() === modality) {
      seen = true;
      total += Number(d.tokenCount ?? 0);
    }
  }
  return seen ? total : 0;
}

function imageParts(response: JsonRecord): number | null {
  const candidates = response.candidates;
  if (!Array.isArray(candidates)) return null;
  let parts = 0;
  let images = 0;
  for (const c of candidates) {
    const list = get(c, 'content', 'parts');
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      parts++;
      const mime = String(get(p, 'inlineData', 'mimeType') ?? get(p, 'inline_data', 'mime_type') ?? get(p, 'fileData', 'mimeType') ?? '');
      if (mime.startsWith('image/')) images++;
    }
  }
  return parts === 0 ? null : images;
}

/** Finish reasons under which Google returns no image and bills none. */
const BLOCKED = new Set([
  'SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION',
  'IMAGE_RECITATION', 'IMAGE_OTHER', 'NO_IMAGE', 'OTHER', 'MALFORMED_FUNCTION_CALL', 'LANGUAGE',
]);

type Canonical = Partial<Record<(typeof LOG_COLUMNS)[number]['name'], unknown>>;
type Mapped = { canonical: Canonical; attributes: Record<string, unknown> } | { reject: LineReject };

/** Counts every inference and normalisation a preset makes, by (column, from, to). */
class Warnings {
  private readonly counts = new Map<string, { column: string; from: string; to: string; rows: number }>();
  add(column: string, from: string, to: string) {
    const key = `${column}\u0000${from}\u0000${to}`;
    const w = this.counts.get(key);
    if (w) w.rows++;
    else this.counts.set(key, { column, from, to, rows: 1 });
  }
  list() {
    return [...this.counts.values()];
  }
}

const LANE_WORDS: Record<string, string> = {
  standard: 'standard', default: 'standard', on_demand: 'standard', ondemand: 'standard', 'on-demand': 'standard', paygo: 'standard', pay_as_you_go: 'standard',
  flex: 'flex', on_demand_flex: 'flex', service_tier_flex: 'flex', priority: 'priority', on_demand_priority: 'priority', service_tier_priority: 'priority',
  batch: 'batch', service_tier_standard: 'standard', provisioned_throughput: 'provisioned', provisioned: 'provisioned',
};

/** serviceTier / trafficType → a lane; unknown words pass through for validation to reject by name. */
function laneFrom(value: unknown): string | null {
  const t = text(value);
  if (t === null || t.trim() === '') return null;
  const key = t.trim().toLowerCase();
  if (key === 'traffic_type_unspecified' || key === 'service_tier_unspecified' || key === 'unspecified') return null;
  return LANE_WORDS[key] ?? key;
}

/** The size a request asked for, or one inferred from image tokens (a warning either way). */
function resolveSize(w: Warnings, model: unknown, asked: unknown, imageTokens: number | null, images: number | null): unknown {
  if (asked !== undefined && asked !== null && asked !== '') return asked;
  if (images === 0) return undefined;
  if (imageTokens !== null && typeof model === 'string') {
    const inferred = sizeFromImageTokens(model, imageTokens, images ?? 1);
    if (inferred.kind === 'exact') {
      w.add('image_size', `(from ${imageTokens} image tokens)`, inferred.size);
      return inferred.size;
    }
    if (inferred.kind === 'ambiguous') {
      w.add('image_size', `(${imageTokens} image tokens: ${inferred.candidates.join(' or ')})`, inferred.size);
      return inferred.size;
    }
  }
  w.add('image_size', '(not in the log)', '1K');
  return '1K';
}

/** A failed or rate-limited request bills nothing unless the source shows a billed cost. */
function failedRow(w: Warnings, c: Canonical, cost: number | null, label: string) {
  c.images = 0;
  c.output_image_tokens = 0;
  if (cost !== null && cost > 0) {
    c.billed_attempts = 1;
    w.add('status', `${label} with a billed cost`, 'kept as billed (no image)');
  } else {
    c.billed_attempts = 0;
    w.add('status', label, 'not billed');
  }
}

function geminiRow(w: Warnings, value: JsonRecord, response: JsonRecord, request: unknown, opts: { id: unknown; time: unknown; model?: unknown; provider: string; providerWhy: string; lane?: string }): Mapped {
  const usage = isObj(response.usageMetadata) ? response.usageMetadata : {};
  const parts = imageParts(response);
  const candidate = Array.isArray(response.candidates) ? response.candidates[0] : undefined;
  const finish = text(get(candidate, 'finishReason'));
  const blockReason = text(get(response, 'promptFeedback', 'blockReason'));
  const imageDetail = Array.isArray(usage.candidatesTokensDetails) ? modalityTokens(usage.candidatesTokensDetails, 'IMAGE') : null;
  const model = opts.model ?? response.modelVersion ?? value.model ?? get(request, 'model');
  const c: Canonical = {
    request_id: opts.id,
    timestamp: opts.time,
    model,
    provider: opts.provider,
    input_tokens: usage.promptTokenCount ?? 0,
    output_text_tokens: Array.isArray(usage.candidatesTokensDetails) ? modalityTokens(usage.candidatesTokensDetails, 'TEXT') : null,
    output_image_tokens: imageDetail,
    output_thinking_tokens: usage.thoughtsTokenCount ?? 0,
    images: parts,
    status: blockReason ? `blocked: ${blockReason}` : finish,
  };
  w.add('provider', '(not in the log)', `${opts.provider} (${opts.providerWhy})`);
  const tier = laneFrom(response.serviceTier ?? usage.serviceTier ?? get(request, 'serviceTier') ?? get(request, 'service_tier') ?? get(request, 'generationConfig', 'serviceTier'));
  const traffic = laneFrom(usage.trafficType);
  if (opts.lane) c.lane = opts.lane;
  else if (tier) {
    c.lane = tier;
    w.add('lane', `serviceTier ${text(response.serviceTier ?? usage.serviceTier ?? get(request, 'serviceTier') ?? get(request, 'service_tier') ?? get(request, 'generationConfig', 'serviceTier'))}`, tier);
  } else if (traffic) {
    c.lane = traffic;
    w.add('lane', `trafficType ${text(usage.trafficType)}`, traffic);
  } else c.lane = 'standard';
  const blocked = (blockReason !== null || (finish !== null && BLOCKED.has(finish.toUpperCase()))) && !(parts !== null && parts > 0);
  if (blocked) {
    // Google bills no image for a blocked response; prompt (and thinking) tokens are still counted.
    c.images = 0;
    c.output_image_tokens = 0;
    w.add('images', `${blockReason ?? finish} (no image part)`, '0: no image billed');
  }
  c.image_size = resolveSize(w, model, requestedSize(request) ?? requestedSize(value), imageDetail, typeof c.images === 'number' ? c.images : null);
  if (c.image_size === undefined) c.image_size = '1K';
  const attributes: Record<string, unknown> = {
    finish_reason: finish,
    block_reason: blockReason,
    traffic_type: usage.trafficType,
    service_tier: response.serviceTier ?? usage.serviceTier,
    model_version: response.modelVersion,
  };
  const labels = objectOf(get(request, 'labels')) ?? objectOf(value.labels);
  if (labels) for (const [k, v] of Object.entries(labels)) attributes[`label.${k}`] = v;
  return { canonical: c, attributes };
}

function batchError(row: number, error: unknown, w: Warnings): Mapped {
  const message = text(get(error, 'message')) ?? text(error) ?? 'no response';
  w.add('status', 'batch request failed', 'not billed (rejected, listed)');
  return { reject: { row, column: 'error', value: text(error)?.slice(0, 500) ?? null, reason: `batch request failed, not billed: ${message}` } };
}

function mapGemini(shape: 'gemini-response' | 'gemini-batch' | 'vertex-batch', row: number, value: JsonRecord, w: Warnings): Mapped {
  if (shape === 'vertex-batch') {
    const status = text(value.status);
    if ((status !== null && status.trim() !== '') || !isObj(value.response)) return batchError(row, status ?? 'no response', w);
    return geminiRow(w, value, value.response, value.request, {
      id: value.response.responseId ?? value.id ?? value.key, time: value.processed_time ?? value.response.createTime,
      provider: 'vertex', providerWhy: 'a Vertex AI batch prediction', lane: 'batch',
    });
  }
  if (shape === 'gemini-batch') {
    if (!isObj(value.response)) return batchError(row, value.error ?? value.status, w);
    const batch = isObj(value.__batch) ? value.__batch : {};
    const response = value.response;
    if (response.createTime === undefined && value.createTime === undefined && value.timestamp === undefined && (batch.endTime ?? batch.createTime) !== undefined) {
      w.add('timestamp', '(not in the line)', `the batch's ${batch.endTime ? 'endTime' : 'createTime'}`);
    }
    return geminiRow(w, value, response, value.request, {
      id: value.key, time: response.createTime ?? value.createTime ?? value.timestamp ?? batch.endTime ?? batch.createTime,
      model: response.modelVersion ?? get(value.request, 'model') ?? batch.model,
      provider: response.createTime ? 'vertex' : 'google', providerWhy: response.createTime ? 'a Vertex AI response (createTime)' : 'Gemini Batch output', lane: 'batch',
    });
  }
  const response = (isObj(value.response) ? value.response : value) as JsonRecord;
  const vertex = response.createTime !== undefined || get(response, 'usageMetadata', 'trafficType') !== undefined;
  return geminiRow(w, value, response, value.request ?? get(value, 'metadata', 'request'), {
    id: response.responseId ?? value.responseId, time: response.createTime ?? value.createTime ?? value.timestamp,
    provider: vertex ? 'vertex' : 'google', providerWhy: vertex ? 'a Vertex AI response: createTime/trafficType' : 'a Gemini API response',
  });
}

/** The biller, from a gateway's provider field or a model prefix, else a counted default. */
function billedBy(w: Warnings, raw: unknown, model: unknown, fallback: string, why: string): string {
  const given = normaliseProvider(text(raw));
  if (given) {
    if (given !== text(raw)) w.add('provider', String(text(raw)), given);
    return given;
  }
  const prefixed = providerFromModelPrefix(text(model));
  if (prefixed) {
    w.add('provider', `(model prefix ${String(text(model)).split('/')[0]}/)`, prefixed);
    return prefixed;
  }
  w.add('provider', `(not in the log: ${why})`, fallback);
  return fallback;
}

/** Tags as attributes: `key:value` or `key=value` → `tag.key` = value, a bare tag → `tag.name` = "true"; all in `tags`. */
function addTags(attributes: Record<string, unknown>, tags: unknown) {
  const list = listOf(tags);
  if (!list || list.length === 0) return;
  const names: string[] = [];
  for (const t of list) {
    const s = text(t);
    if (!s) continue;
    names.push(s);
    const m = /^([^:=]+)[:=](.*)$/.exec(s);
    if (m) attributes[`tag.${m[1]!.trim()}`] = m[2]!.trim();
    else attributes[`tag.${s.trim()}`] = 'true';
  }
  attributes.tags = names.join(',');
}

/** Scalar leaves of a metadata object as `prefix.path` attributes (two levels), skipping bulky keys. */
function addMetadata(attributes: Record<string, unknown>, metadata: JsonRecord | null, prefix: string, skip: Set<string>) {
  if (!metadata) return;
  const walk = (o: JsonRecord, path: string, depth: number) => {
    for (const [k, v] of Object.entries(o)) {
      if (skip.has(k)) continue;
      const name = `${path}.${k}`;
      if (isObj(v)) {
        if (depth < 2) walk(v, name, depth + 1);
      } else if (v !== null && v !== undefined && v !== '' && !Array.isArray(v)) {
        const s = text(v)!;
        if (s.length <= 200) attributes[name] = s;
      }
    }
  };
  walk(metadata, prefix, 1);
}

const LITELLM_META_NAMES: Record<string, string> = {
  user_api_key_alias: 'api_key_alias', user_api_key_team_alias: 'team_alias', user_api_key_team_id: 'team_id',
  user_api_key_user_id: 'user_id', user_api_key_org_id: 'org_id', user_api_key_end_user_id: 'end_user', user_api_key_user_email: 'user_email',
};
const LITELLM_META_SKIP = new Set([
  ...Object.keys(LITELLM_META_NAMES), 'usage_object', 'hidden_params', 'error_information', 'model_map_information', 'spend_logs_metadata',
  'requester_metadata', 'user_api_key', 'user_api_key_hash', 'headers', 'mcp_tool_call_metadata', 'vector_store_request_metadata',
  'guardrail_information', 'applied_guardrails', 'proxy_server_request', 'messages', 'response', 'additional_usage_values', 'cold_storage_object_key',
]);

function splitCompletion(w: Warnings, c: Canonical, completion: unknown, details: JsonRecord | null, image: unknown, reasoning: unknown) {
  const img = num(image ?? details?.image_tokens);
  const think = num(reasoning ?? details?.reasoning_tokens) ?? 0;
  const total = num(completion);
  c.output_thinking_tokens = think;
  if (img !== null) {
    c.output_image_tokens = img;
    const textTokens = num(details?.text_tokens);
    c.output_text_tokens = textTokens ?? (total !== null ? Math.max(0, total - img - think) : 0);
  } else {
    // Without a split by modality the completion count cannot be priced as text: the size's table prices the image.
    c.output_text_tokens = 0;
    if (total !== null && total > 0) w.add('output_image_tokens', `(completion_tokens ${'not split by modality'})`, 'from the size’s token table');
  }
}

function mapLitellm(row: number, r: JsonRecord, w: Warnings, payload: boolean): Mapped {
  const metadata = objectOf(pick(r, 'metadata'));
  const model = pick(r, 'model');
  const cost = num(pick(r, payload ? 'response_cost' : 'spend'));
  const c: Canonical = {
    request_id: pick(r, payload ? 'id' : 'request_id', 'request_id', 'id'),
    timestamp: pick(r, 'startTime', 'start_time'),
    model,
    provider: billedBy(w, pick(r, 'custom_llm_provider'), model, 'google', 'LiteLLM row without custom_llm_provider'),
    input_tokens: pick(r, 'prompt_tokens') ?? 0,
    cost_usd: pick(r, payload ? 'response_cost' : 'spend'),
    status: pick(r, 'status') ?? (payload ? undefined : 'success'),
  };
  const usage = objectOf(metadata?.usage_object) ?? objectOf(pick(r, 'usage_object'));
  const details = objectOf(usage?.completion_tokens_details);
  splitCompletion(w, c, pick(r, 'completion_tokens'), details, undefined, undefined);
  const start = num(Date.parse(String(text(c.timestamp)))) ?? num(c.timestamp);
  const end = num(Date.parse(String(text(pick(r, 'endTime', 'end_time'))))) ?? num(pick(r, 'endTime'));
  if (start !== null && end !== null && end >= start) c.latency_ms = payload && start < 1e11 ? Math.round((end - start) * 1000) : end - start;
  const params = objectOf(pick(r, 'model_parameters')) ?? objectOf(get(objectOf(pick(r, 'proxy_server_request')), 'body'));
  const images = num(params?.n);
  if (images !== null) c.images = images;
  const status = String(text(c.status) ?? '').toLowerCase();
  if (status === 'failure' || status === 'error' || status === 'failed') failedRow(w, c, cost, `status ${status}`);
  c.image_size = c.billed_attempts === 0 ? '1K' : resolveSize(w, model, params?.size ?? params?.image_size ?? params?.imageSize ?? requestedSize(params), num(c.output_image_tokens), num(c.images));
  const attributes: Record<string, unknown> = {
    user: pick(r, 'user'), end_user: pick(r, 'end_user'), team_id: pick(r, 'team_id'), organization_id: pick(r, 'organization_id'),
    session_id: pick(r, 'session_id'), model_group: pick(r, 'model_group'), call_type: pick(r, 'call_type'), cache_hit: pick(r, 'cache_hit'),
    api_key_hash: payload ? get(metadata, 'user_api_key_hash') : pick(r, 'api_key'),
    error: text(pick(r, 'error_str')) ?? text(get(metadata, 'error_information', 'error_message')),
  };
  for (const [k, name] of Object.entries(LITELLM_META_NAMES)) if (metadata?.[k] !== undefined && metadata[k] !== null) attributes[name] ??= metadata[k];
  addTags(attributes, pick(r, 'request_tags') ?? metadata?.tags);
  addMetadata(attributes, metadata, 'metadata', new Set([...LITELLM_META_SKIP, 'tags']));
  addMetadata(attributes, objectOf(metadata?.spend_logs_metadata), 'spend_logs_metadata', new Set());
  return { canonical: c, attributes };
}

/** `google/gemini-3-pro-image-preview-20251120` → `google/gemini-3-pro-image-preview` (a counted warning). */
function undated(w: Warnings, model: unknown): unknown {
  const m = text(model);
  if (!m) return model;
  const stripped = m.replace(/-(20\d{6})$/, '');
  if (stripped !== m) w.add('model', m, stripped);
  return stripped;
}

function mapOpenrouter(row: number, r: JsonRecord, w: Warnings, activity: boolean): Mapped {
  const model = undated(w, pick(r, 'model', 'model_permaslug'));
  const cost = num(pick(r, 'total_cost', 'totalCost', 'cost_total', 'usage'));
  const byok = String(text(pick(r, 'is_byok', 'isByok', 'byok')) ?? '').toLowerCase() === 'true';
  const c: Canonical = {
    request_id: pick(r, 'id', 'generation_id'),
    timestamp: pick(r, 'created_at', 'createdAt'),
    model,
    provider: 'openrouter',
    input_tokens: pick(r, 'native_tokens_prompt', 'nativeTokensPrompt', 'tokens_prompt', 'tokensPrompt') ?? 0,
    cost_usd: pick(r, 'total_cost', 'totalCost', 'cost_total'),
    status: pick(r, 'finish_reason', 'finishReason', 'finish_reason_normalized', 'native_finish_reason'),
    latency_ms: pick(r, 'latency', 'generation_time_ms', 'generation_time', 'generationTime'),
  };
  w.add('provider', '(OpenRouter bills the request)', 'openrouter');
  const tier = laneFrom(pick(r, 'service_tier', 'serviceTier'));
  if (tier) c.lane = tier;
  splitCompletion(w, c, pick(r, 'native_tokens_completion', 'nativeTokensCompletion', 'tokens_completion', 'tokensCompletion'), null,
    pick(r, 'native_tokens_completion_images', 'nativeTokensCompletionImages', 'tokens_completion_images'),
    pick(r, 'native_tokens_reasoning', 'nativeTokensReasoning', 'tokens_reasoning'));
  const media = num(pick(r, 'num_media_completion', 'numMediaCompletion'));
  const imgTokens = num(c.output_image_tokens);
  if (media !== null && media > 0) c.images = media;
  else if (imgTokens !== null) c.images = imgTokens > 0 ? 1 : 0;
  const cancelled = String(text(pick(r, 'cancelled')) ?? '').toLowerCase() === 'true';
  const finish = String(text(c.status) ?? '').toLowerCase();
  if (cancelled || finish === 'error') failedRow(w, c, cost, cancelled ? 'cancelled' : `finish_reason ${finish}`);
  c.image_size = c.billed_attempts === 0 ? '1K' : resolveSize(w, model, undefined, imgTokens, num(c.images));
  const attributes: Record<string, unknown> = {
    upstream_provider: pick(r, 'provider_name', 'providerName'),
    upstream_id: pick(r, 'upstream_id', 'upstreamId'),
    app: pick(r, 'app_name', 'app_id', 'appId', 'origin'),
    api_key_name: pick(r, 'api_key_name'),
    user: pick(r, 'user', 'external_user', 'externalUser'),
    byok: byok ? 'true' : undefined,
    streamed: pick(r, 'streamed'),
    upstream_inference_cost: pick(r, 'upstream_inference_cost', 'upstreamInferenceCost'),
    variant: activity ? pick(r, 'variant') : undefined,
  };
  return { canonical: c, attributes };
}

function mapLangfuse(row: number, r: JsonRecord, w: Warnings): Mapped {
  const type = text(pick(r, 'type'));
  if (type && type.toUpperCase() !== 'GENERATION') {
    return { reject: { row, column: 'type', value: type, reason: `a Langfuse ${type} observation, not a generation: nothing billed` } };
  }
  const usage = objectOf(pick(r, 'usageDetails')) ?? objectOf(pick(r, 'usage')) ?? {};
  const costs = objectOf(pick(r, 'costDetails')) ?? {};
  const params = objectOf(pick(r, 'modelParameters')) ?? {};
  const metadata = objectOf(pick(r, 'metadata'));
  const model = pick(r, 'model', 'providedModelName');
  const costText = costs.total ?? pick(r, 'calculatedTotalCost', 'totalCost');
  const cost = num(costText);
  const c: Canonical = {
    request_id: pick(r, 'id'),
    timestamp: pick(r, 'startTime'),
    model,
    provider: billedBy(w, metadata?.provider ?? metadata?.ls_provider ?? metadata?.llm_provider, model, 'google', 'Langfuse observations name no provider'),
    input_tokens: usage.input ?? usage.input_tokens ?? usage.promptTokens ?? 0,
    cost_usd: costText,
    status: pick(r, 'level'),
  };
  const latency = num(pick(r, 'latency'));
  if (latency !== null) c.latency_ms = Math.round(latency * 1000);
  splitCompletion(w, c, usage.output ?? usage.output_tokens ?? usage.completionTokens, null,
    usage.output_image ?? usage.output_image_tokens ?? usage.image ?? usage.output_images,
    usage.output_reasoning ?? usage.output_reasoning_tokens ?? usage.reasoning ?? usage.output_thinking ?? usage.thoughts);
  const images = num(params.n ?? params.numberOfImages ?? params.candidateCount);
  if (images !== null) c.images = images;
  if (String(text(c.status) ?? '').toUpperCase() === 'ERROR') failedRow(w, c, cost, 'level ERROR');
  c.image_size = c.billed_attempts === 0 ? '1K' : resolveSize(w, model, params.imageSize ?? params.image_size ?? params.size ?? requestedSize(params), num(c.output_image_tokens), num(c.images));
  const attributes: Record<string, unknown> = {
    name: pick(r, 'name'), trace_id: pick(r, 'traceId'), environment: pick(r, 'environment'), prompt_name: pick(r, 'promptName'),
    status_message: pick(r, 'statusMessage'), user_id: metadata?.userId ?? metadata?.user_id, session_id: metadata?.sessionId ?? metadata?.session_id,
  };
  addTags(attributes, metadata?.tags ?? pick(r, 'tags'));
  addMetadata(attributes, metadata, 'metadata', new Set(['tags', 'userId', 'user_id', 'sessionId', 'session_id', 'provider', 'ls_provider', 'llm_provider']));
  return { canonical: c, attributes };
}

function propertyName(key: string): string {
  return key.replace(/^helicone-property-/i, '').replace(/^properties\./i, '').replace(/^request_properties\./i, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function mapHelicone(row: number, r: JsonRecord, w: Warnings): Mapped {
  const model = pick(r, 'model', 'response_model', 'request_model', 'model_override');
  const costText = pick(r, 'cost', 'costUSD', 'cost_usd');
  const cost = num(costText);
  const status = num(pick(r, 'response_status', 'status'));
  const c: Canonical = {
    request_id: pick(r, 'request_id', 'id'),
    timestamp: pick(r, 'request_created_at', 'created_at'),
    model,
    provider: billedBy(w, pick(r, 'provider'), model, 'google', 'Helicone row without provider'),
    input_tokens: pick(r, 'prompt_tokens') ?? 0,
    cost_usd: costText,
    status: pick(r, 'response_status', 'status'),
    latency_ms: pick(r, 'delay_ms', 'latency', 'latency_ms'),
  };
  splitCompletion(w, c, pick(r, 'completion_tokens'), null, pick(r, 'completion_image_tokens'), pick(r, 'completion_reasoning_tokens', 'reasoning_tokens'));
  if (status !== null && (status === 0 || status >= 400)) failedRow(w, c, cost, status === 429 ? 'HTTP 429 (rate limited)' : `HTTP ${status}`);
  c.image_size = c.billed_attempts === 0 ? '1K' : resolveSize(w, model, undefined, num(c.output_image_tokens), num(c.images));
  const attributes: Record<string, unknown> = { user: pick(r, 'request_user_id', 'user_id', 'helicone_user'), path: pick(r, 'request_path'), country: pick(r, 'country_code') };
  const props = objectOf(pick(r, 'request_properties')) ?? objectOf(pick(r, 'properties')) ?? {};
  for (const [k, v] of Object.entries(props)) attributes[propertyName(k)] = v;
  for (const [k, v] of Object.entries(r)) {
    if (/^(helicone-property-|properties\.|request_properties\.)/i.test(k)) attributes[propertyName(k)] = v;
  }
  return { canonical: c, attributes };
}

const CANONICAL = LOG_COLUMNS.map((c) => c.name);
const RESERVED = new Set(['source_row', 'file_source_row', '__attempt_rows']);

function presetRows(input: Input, shape: Exclude<Shape, 'flat'>, format: string): StagedRows {
  const w = new Warnings();
  const rejects = [...input.rejects];
  const mapped: { row: number; m: { canonical: Canonical; attributes: Record<string, unknown> } }[] = [];
  for (const { row, value } of input.records) {
    let m: Mapped;
    switch (shape) {
      case 'gemini-response':
      case 'gemini-batch':
      case 'vertex-batch':
        m = mapGemini(shape, row, value, w);
        break;
      case 'litellm-spendlogs':
      case 'litellm-payload':
        m = mapLitellm(row, value, w, shape === 'litellm-payload');
        break;
      case 'openrouter-generation':
      case 'openrouter-activity':
        m = mapOpenrouter(row, value, w, shape === 'openrouter-activity');
        break;
      case 'langfuse-observation':
        m = mapLangfuse(row, value, w);
        break;
      case 'helicone':
        m = mapHelicone(row, value, w);
        break;
    }
    if ('reject' in m) rejects.push(m.reject);
    else mapped.push({ row, m });
  }
  // Canonical columns any row set, then attributes in first-seen order; an attribute named like a
  // canonical column this source never sets (job_type, prompt_hash, accepted_by_user) fills it.
  const canonical = CANONICAL.filter((name) => mapped.some(({ m }) => m.canonical[name] !== undefined));
  const taken = new Set(canonical.map((c) => c.toLowerCase()));
  const attrColumn = new Map<string, string>();
  const columns = [...canonical];
  for (const { m } of mapped) {
    for (const [key, v] of Object.entries(m.attributes)) {
      if (v === undefined || v === null || v === '' || attrColumn.has(key)) continue;
      let name = key.toLowerCase();
      if (taken.has(name) || RESERVED.has(name)) name = `attr.${name}`;
      if (taken.has(name) || columns.length >= MAX_FLAT_COLUMNS) continue;
      taken.add(name);
      attrColumn.set(key, name);
      columns.push(name);
    }
  }
  const index = new Map(columns.map((c, i) => [c, i]));
  const rows = mapped.map(({ m }) => {
    const out: (string | null)[] = new Array(columns.length).fill(null);
    for (const name of canonical) out[index.get(name)!] = text(m.canonical[name]);
    for (const [key, v] of Object.entries(m.attributes)) {
      const col = attrColumn.get(key);
      if (col !== undefined) out[index.get(col)!] = text(v);
    }
    return out;
  });
  return { format, columns, rows, sourceRows: mapped.map((r) => r.row), rejects, warnings: w.list(), preset: true };
}

/** Whether a CSV header is one of the recognised sources (its rows then go through the same presets). */
export function isPresetHeader(header: readonly string[]): boolean {
  const probe: JsonRecord = {};
  for (const h of header) probe[h.trim()] = 'x';
  if (probe.request !== undefined) probe.request = {};
  return shapeOf(probe) !== 'flat';
}
