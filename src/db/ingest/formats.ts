import { gunzipSync } from 'fflate';
import { mapColumns } from '../../domain/log-schema';
import { checkAbort, NotALogError, yieldToEventLoop } from './errors';
import { readPresetCsv } from './preset-csv';
import { isPresetHeader, recordsToRows, type JsonRecord, type StagedRows } from './shapes';

export type Delimiter = ',' | '\t' | ';' | '|';

export type Sniffed =
  | { kind: 'delimited'; delimiter: Delimiter; bytes: Uint8Array; format: string }
  | { kind: 'records'; staged: StagedRows; format: string };

export interface ReadOptions {
  onProgress?: (stage: string, fraction?: number) => void;
  signal?: AbortSignal;
}

const CHUNK_LINES = 20_000;

/**
 * Recognises a log file by its content (the extension only breaks ties between CSV and
 * TSV): gzip, Parquet, JSON array or object, NDJSON, else delimited text. CSV and TSV go to
 * DuckDB's reader; everything else is parsed here into text rows.
 */
export async function sniffFile(name: string, input: Uint8Array, options: ReadOptions = {}): Promise<Sniffed> {
  let bytes = input;
  let suffix = '';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    options.onProgress?.(`Decompressing ${name}`);
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new NotALogError(name, `a damaged gzip file (${error instanceof Error ? error.message : String(error)})`);
    }
    suffix = '.gz';
  }
  if (bytes.length === 0 || isBlank(bytes)) throw new NotALogError(name, 'the file is empty');
  if (startsWith(bytes, 'PAR1')) {
    return { kind: 'records', staged: recordsToRows(name, await readParquet(name, bytes), 'parquet'), format: `parquet${suffix}` };
  }
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 65_536));
  if (looksBinary(head)) throw new NotALogError(name, 'a binary file, not a request log (expected CSV, TSV, JSON, NDJSON or Parquet)');
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '[' || first === '{') {
    const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
    const parsed = await parseJsonText(name, text, options);
    return { kind: 'records', staged: parsed, format: `${parsed.format}${suffix}` };
  }
  const firstLine = head.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  const delimiter = lower.endsWith('.tsv') || lower.endsWith('.tab') ? '\t' : guessDelimiter(firstLine);
  const kind = delimiter === '\t' ? 'tsv' : 'csv';
  if (isPresetHeader(splitHeader(firstLine, delimiter))) {
    const text = new TextDecoder('utf-8').decode(bytes);
    const parsed = recordsToRows(name, await readPresetCsv(text, delimiter, options.signal), kind);
    return { kind: 'records', staged: parsed, format: `${parsed.format}${suffix}` };
  }
  return { kind: 'delimited', delimiter, bytes: lfLineEnds(bytes), format: `${kind}${suffix}` };
}

/** Header names of a delimited first line (quotes removed; a header rarely holds a delimiter). */
function splitHeader(line: string, delimiter: Delimiter): string[] {
  return line.replace(/\r$/, '').split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * A file whose header ends in LF but whose rows end in CRLF (or the reverse) trips DuckDB's
 * sniffer: such a mix is rewritten to LF. Files with one kind of line end are passed as they are.
 */
function lfLineEnds(bytes: Uint8Array): Uint8Array {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      if (i > 0 && bytes[i - 1] === 0x0d) crlf++;
      else lf++;
      if (crlf > 0 && lf > 0) break;
    }
  }
  if (crlf === 0 || lf === 0) return bytes;
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) continue;
    out[j++] = bytes[i]!;
  }
  return out.subarray(0, j);
}

/** The separator the header line uses most: comma, tab, semicolon (spreadsheets in many locales) or pipe. */
function guessDelimiter(header: string): Delimiter {
  let best: Delimiter = ',';
  let most = 0;
  for (const d of [',', '\t', ';', '|'] as const) {
    const n = header.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return bytes.length <= 4096 || new TextDecoder().decode(bytes).trim() === '';
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  return [...magic].every((ch, i) => bytes[i] === ch.charCodeAt(0));
}

function looksBinary(head: string): boolean {
  if (head.includes('\0')) return true;
  let odd = 0;
  for (const ch of head) {
    const code = ch.charCodeAt(0);
    if (ch === '\uFFFD' || (code < 0x20 && ch !== '\n' && ch !== '\r' && ch !== '\t')) odd++;
  }
  return odd > head.length * 0.05;
}

async function readParquet(name: string, bytes: Uint8Array): Promise<{ records: { row: number; value: JsonRecord }[]; rejects: [] }> {
  let rows: Record<string, unknown>[];
  try {
    // Loaded on first use: most users never open a Parquet file, so the app need not ship the reader up front.
    const [{ parquetReadObjects }, { compressors }] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows = await parquetReadObjects({ file: buffer, compressors });
  } catch (error) {
    throw new NotALogError(name, `could not be read as Parquet: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { records: rows.map((value, i) => ({ row: i + 1, value })), rejects: [] };
}

/** A JSON array, a single JSON object (a response, or `{ "requests": [...] }`), or NDJSON. */
async function parseJsonText(name: string, text: string, options: ReadOptions): Promise<StagedRows> {
  let whole: unknown;
  let isWhole = true;
  try {
    whole = JSON.parse(text);
  } catch {
    isWhole = false;
  }
  if (isWhole) {
    if (Array.isArray(whole)) return recordsToRows(name, arrayRecords(name, whole), 'json');
    if (isObject(whole)) {
      // One request on its own (a one-line NDJSON file parses as a whole, too).
      if ('usageMetadata' in whole || 'candidates' in whole || 'response' in whole || isObject(whole.data) || hasInlined(whole) || mapColumns(Object.keys(whole)).missingRequired.length === 0) {
        return recordsToRows(name, { records: [{ row: 1, value: whole }], rejects: [] }, 'json');
      }
      const list = Object.entries(whole).find(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isObject));
      if (list) return recordsToRows(name, arrayRecords(name, list[1] as unknown[]), 'json');
      throw new NotALogError(name, `a JSON object, not a request log (keys: ${Object.keys(whole).slice(0, 8).join(', ') || 'none'}); expected an array of requests or one request per line`);
    }
    throw new NotALogError(name, 'JSON that holds no requests (expected an array of objects or one object per line)');
  }
  if (text.trimStart()[0] === '[') throw new NotALogError(name, 'a JSON array that is not valid JSON');

  const records: { row: number; value: JsonRecord }[] = [];
  const rejects: StagedRows['rejects'] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    checkAbort(options.signal);
    for (let n = 0; n < CHUNK_LINES && start < text.length; n++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      line++;
      const content = text.slice(start, end).trim();
      start = end + 1;
      if (content === '') continue;
      try {
        const value: unknown = JSON.parse(content);
        if (isObject(value)) records.push({ row: line, value });
        else rejects.push({ row: line, column: null, value: content.slice(0, 200), reason: 'not a JSON object' });
      } catch (error) {
        rejects.push({ row: line, column: null, value: content.slice(0, 200), reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      }
    }
    options.onProgress?.(`Parsing ${name}`, start / text.length);
    await yieldToEventLoop();
  }
  if (records.length === 0) throw new NotALogError(name, 'no line holds a JSON object: not a request log');
  return recordsToRows(name, { records, rejects }, 'ndjson');
}

function arrayRecords(name: string, list: unknown[]): { records: { row: number; value: JsonRecord }[]; rejects: StagedRows['rejects'] } {
  const records: { row: number; value: JsonRecord }[] = [];
  const rejects: StagedRows['rejects'] = [];
  list.forEach((value, i) => {
    if (isObject(value)) records.push({ row: i + 1, value });
    else rejects.push({ row: i + 1, column: null, value: JSON.stringify(value)?.slice(0, 200) ?? null, reason: 'not a JSON object' });
  });
  if (records.length === 0) throw new NotALogError(name, 'a JSON array with no objects in it: not a request log');
  return { records, rejects };
}

/** A Gemini Batch job (an operation or a batch resource) whose output is inline. */
function hasInlined(value: JsonRecord): boolean {
  return isObject(value.metadata) && isObject(value.metadata.output);
}

export function isObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
