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
}

type Shape = 'gemini-response' | 'gemini-batch' | 'flat';

const SHAPE_LABEL: Record<Shape, string> = {
  'gemini-response': 'a Gemini API response',
  'gemini-batch': 'a Gemini Batch output line',
  flat: 'a flat request record',
};

function shapeOf(record: JsonRecord): Shape {
  if ('key' in record && ('response' in record || 'error' in record) && (isObj(record.response) || isObj(record.error))) return 'gemini-batch';
  if ('usageMetadata' in record || 'candidates' in record) return 'gemini-response';
  if (isObj(record.response) && ('usageMetadata' in record.response || 'candidates' in record.response)) return 'gemini-response';
  return 'flat';
}

/**
 * Turns parsed JSON records into text rows. Gemini API responses and Batch output lines
 * are recognised by their shape and mapped to canonical columns; a file that mixes shapes
 * is refused as a whole rather than half-read.
 */
export function recordsToRows(
  file: string,
  input: { records: { row: number; value: JsonRecord }[]; rejects: LineReject[] },
  baseFormat: string,
): StagedRows {
  const shapes = new Map<Shape, number>();
  for (const r of input.records) {
    const shape = shapeOf(r.value);
    if (!shapes.has(shape)) shapes.set(shape, r.row);
  }
  if (shapes.size > 1) {
    const found = [...shapes].map(([shape, row]) => `row ${row} is ${SHAPE_LABEL[shape]}`).join(', ');
    throw new NotALogError(file, `mixes record shapes (${found}); load each kind from its own file`);
  }
  const shape = [...shapes.keys()][0] ?? 'flat';
  if (shape === 'flat') return flatRows(input, baseFormat);
  return geminiRows(input, shape, baseFormat);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function flatRows(input: { records: { row: number; value: JsonRecord }[]; rejects: LineReject[] }, format: string): StagedRows {
  // DuckDB column names are case-insensitive: keys differing only in case share a column.
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const r of input.records) {
    for (const key of Object.keys(r.value)) {
      const folded = key.toLowerCase();
      if (!index.has(folded)) {
        index.set(folded, columns.length);
        columns.push(folded === 'source_row' ? 'file_source_row' : key);
      }
    }
  }
  const rows = input.records.map((r) => {
    const out: (string | null)[] = new Array(columns.length).fill(null);
    for (const [key, value] of Object.entries(r.value)) out[index.get(key.toLowerCase())!] = text(value);
    return out;
  });
  return { format, columns, rows, sourceRows: input.records.map((r) => r.row), rejects: input.rejects, warnings: [] };
}

const GEMINI_COLUMNS = [
  'request_id', 'timestamp', 'model', 'provider', 'lane', 'image_size', 'images', 'input_tokens',
  'output_text_tokens', 'output_image_tokens', 'status',
] as const;

function isObj(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** The size a request asked for, from its generationConfig (camelCase or snake_case). */
function requestedSize(request: unknown): unknown {
  return first(request, [
    ['generationConfig', 'imageConfig', 'imageSize'],
    ['generation_config', 'image_config', 'image_size'],
    ['config', 'imageConfig', 'imageSize'],
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
      const mime = String(get(p, 'inlineData', 'mimeType') ?? get(p, 'inline_data', 'mime_type') ?? '');
      if (mime.startsWith('image/')) images++;
    }
  }
  return parts === 0 ? null : images;
}

function geminiRows(
  input: { records: { row: number; value: JsonRecord }[]; rejects: LineReject[] },
  shape: 'gemini-response' | 'gemini-batch',
  baseFormat: string,
): StagedRows {
  const rows: (string | null)[][] = [];
  const sourceRows: number[] = [];
  const rejects = [...input.rejects];
  let defaultedSize = 0;
  for (const { row, value } of input.records) {
    if (shape === 'gemini-batch' && !isObj(value.response)) {
      const message = text(get(value, 'error', 'message')) ?? text(value.error) ?? 'no response';
      rejects.push({ row, column: 'error', value: text(value.error)?.slice(0, 500) ?? null, reason: `batch request failed: ${message}` });
      continue;
    }
    const response = (isObj(value.response) ? value.response : value) as JsonRecord;
    const request = value.request ?? get(value, 'metadata', 'request');
    const usage = isObj(response.usageMetadata) ? response.usageMetadata : {};
    const size = requestedSize(request) ?? requestedSize(value);
    if (size === undefined) defaultedSize++;
    const images = imageParts(response);
    const record: Record<(typeof GEMINI_COLUMNS)[number], unknown> = {
      request_id: shape === 'gemini-batch' ? value.key : (response.responseId ?? value.responseId),
      timestamp: response.createTime ?? value.createTime ?? value.timestamp,
      model: response.modelVersion ?? value.model ?? get(request, 'model'),
      provider: 'google',
      lane: shape === 'gemini-batch' ? 'batch' : 'standard',
      image_size: size ?? '1K',
      images,
      input_tokens: usage.promptTokenCount ?? 0,
      output_text_tokens: modalityTokens(usage.candidatesTokensDetails, 'TEXT'),
      output_image_tokens: modalityTokens(usage.candidatesTokensDetails, 'IMAGE'),
      status: Array.isArray(response.candidates) ? get(response.candidates[0], 'finishReason') : null,
    };
    if (!Array.isArray(usage.candidatesTokensDetails)) record.output_image_tokens = null;
    rows.push(GEMINI_COLUMNS.map((c) => text(record[c])));
    sourceRows.push(row);
  }
  const warnings = defaultedSize > 0 ? [{ column: 'image_size', from: '(not in the log)', to: '1K', rows: defaultedSize }] : [];
  return { format: `${shape} ${baseFormat}`, columns: [...GEMINI_COLUMNS], rows, sourceRows, rejects, warnings };
}
