import { Gunzip } from 'fflate';
import { mapColumns } from '../../domain/log-schema';
import { checkAbort, NotALogError, yieldToEventLoop } from './errors';
import { readPresetCsv } from './preset-csv';
import { isPresetHeader, recordsToRows, type JsonRecord, type StagedRows } from './shapes';

export type Delimiter = ',' | '\t' | ';' | '|';

export type Sniffed =
  /**
   * `parts`: the file, or consecutive slices of it cut between rows, each with the header line;
   * each is read and checked by a statement of its own, so a large log is never held whole.
   * `hasQuotes`: some byte is a double quote (else no field can hold an unclosed one).
   * `padded`: some field may start or end with a space (`mayHavePaddedFields`), so fields are trimmed.
   */
  | { kind: 'delimited'; delimiter: Delimiter; parts: (Uint8Array | Blob)[]; hasQuotes: boolean; padded: boolean; format: string }
  /** `bytes`: a File (or a file Node opened) is handed on unread, for the engine's Parquet reader to read. */
  | { kind: 'parquet'; bytes: Uint8Array | Blob; format: string }
  | { kind: 'records'; staged: StagedRows; format: string };

export interface ReadOptions {
  onProgress?: (stage: string, fraction?: number) => void;
  signal?: AbortSignal;
  /** Bytes per slice of a CSV read where it lies (tests make it small). */
  sliceBytes?: number;
  /** Rows of a Parquet file a wasm engine decodes at a time (tests make it small). */
  parquetChunkRows?: number;
}

const CHUNK_LINES = 20_000;

const MIB = 1024 * 1024;

/**
 * What one file may hold before it is refused (or, for one record, rejected). Each stops a
 * hostile or broken file with a message before it can exhaust memory or the stack.
 */
export const LIMITS = {
  /** Decompressed gzip: the engine (32-bit wasm, 4 GB) cannot hold much more than this anyway. */
  decompressedBytes: 1024 * MIB,
  /** Beyond `ratioFloorBytes`, more than this many bytes out per byte in is a gzip bomb, not a log (logs compress 5–20×). */
  compressionRatio: 200,
  ratioFloorBytes: 64 * MIB,
  /** One CSV/TSV row. Request-log rows are a few hundred bytes. */
  csvLineBytes: 8 * MIB,
  /** One NDJSON line: a Gemini response may carry a 4K image inline in base64 (tens of MB). */
  jsonLineChars: 64 * MIB,
  /** One top-level field of a JSON or Parquet record. */
  fieldChars: 8 * MIB,
  /** Nesting of one JSON record. A Gemini response is about 8 deep. */
  jsonDepth: 64,
} as const;

const size = (bytes: number) => (bytes >= MIB ? `${Math.floor(bytes / MIB)} MiB` : `${bytes} bytes`);

/**
 * Recognises a log file by its content (the extension only breaks ties between CSV and
 * TSV): gzip, Parquet, JSON array or object, NDJSON, else delimited text. CSV, TSV and
 * Parquet go to the engine's readers; JSON is parsed here into text rows.
 */
export async function sniffFile(name: string, input: Uint8Array, options: ReadOptions = {}): Promise<Sniffed> {
  let bytes = input;
  let suffix = '';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    options.onProgress?.(`Decompressing ${name}`);
    bytes = gunzipCapped(name, bytes);
    suffix = '.gz';
  }
  if (bytes.length === 0 || isBlank(bytes)) throw new NotALogError(name, 'the file is empty');
  if (startsWith(bytes, 'PAR1')) return { kind: 'parquet', bytes, format: `parquet${suffix}` };
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
  checkDelimited(name, bytes, delimiter);
  if (isPresetHeader(splitHeader(firstLine, delimiter))) {
    const text = new TextDecoder('utf-8').decode(bytes);
    const parsed = recordsToRows(name, await readPresetCsv(text, delimiter, options.signal), kind);
    return { kind: 'records', staged: parsed, format: `${parsed.format}${suffix}` };
  }
  return {
    kind: 'delimited', delimiter, parts: [lfLineEnds(bytes)], hasQuotes: bytes.includes(0x22), padded: mayHavePaddedFields(bytes, delimiter), format: `${kind}${suffix}`,
  };
}

/**
 * Whether a field of `bytes` may start or end with a space that validation's trim strips: an ASCII
 * space next to a delimiter, a quote, a line end or the file's start or end, or any byte outside
 * ASCII (a Unicode space). A log with none is not trimmed field by field: on a million rows in wasm
 * that is 0.6 s of validation's 4 s. For a chunk of a file, `around` gives the bytes just before and
 * after it (none: the file starts or ends there).
 */
export function mayHavePaddedFields(bytes: Uint8Array, delimiter: Delimiter, around: { before?: number; after?: number } = {}): boolean {
  const d = delimiter.charCodeAt(0);
  const edge = (b: number | undefined) => b === undefined || b === d || b === 0x0a || b === 0x0d || b === 0x22;
  const byteAt = (at: number) => (at < 0 ? around.before : at >= bytes.length ? around.after : bytes[at]);
  const paddedAt = (at: number) => bytes[at]! >= 0x80 || (bytes[at] === 0x20 && (edge(byteAt(at - 1)) || edge(byteAt(at + 1))));
  let at = 0;
  for (; at < bytes.length && (bytes.byteOffset + at) % 4 !== 0; at++) if (paddedAt(at)) return true;
  if (at === bytes.length) return false;
  // Four bytes at a time (searching for spaces and looping over bytes took 67 ms for 135 MB in
  // Node, this 39): a word with a byte outside ASCII, or one that may hold a space, is looked at.
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + at, (bytes.length - at) >> 2);
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if ((word & 0x80808080) !== 0) return true;
    const spaces = word ^ 0x20202020;
    if (((spaces - 0x01010101) & ~spaces & 0x80808080) !== 0) {
      for (let i = at + w * 4; i < at + w * 4 + 4; i++) if (paddedAt(i)) return true;
    }
  }
  for (at += words.length * 4; at < bytes.length; at++) if (paddedAt(at)) return true;
  return false;
}

const chunkText = new TextDecoder('utf-8', { fatal: false });

/** Progress is reported once per this many bytes scanned. */
const PROGRESS_BYTES = 32 * MIB;
/**
 * About this many bytes of a CSV are validated per statement. The engine holds a statement's new
 * rows uncompressed until it ends: ten million rows in one statement outgrew the tab's 3.1 GiB.
 */
const SLICE_BYTES = 128 * MIB;

/**
 * The data rows a text log (CSV, TSV, NDJSON) is likely to hold, from its size and the lines of its
 * first 64 KiB, before it is read; undefined where the size says nothing of the rows: Parquet (its
 * footer counts them), gzip, and a file whose head is not one line per row (a JSON array).
 */
export async function estimateRows(bytes: Uint8Array | Blob): Promise<number | undefined> {
  const size = bytes instanceof Blob ? bytes.size : bytes.length;
  const head = bytes instanceof Blob ? new Uint8Array(await bytes.slice(0, 65_536).arrayBuffer()) : bytes.subarray(0, 65_536);
  if (startsWith(head, 'PAR1') || (head[0] === 0x1f && head[1] === 0x8b)) return undefined;
  let lines = 0;
  for (let at = head.indexOf(0x0a); at >= 0; at = head.indexOf(0x0a, at + 1)) lines++;
  if (head.length === size) return Math.max(0, lines - (head[size - 1] === 0x0a ? 1 : 0));
  if (lines < 2) return undefined;
  return Math.round((size * lines) / head.length) - 1;
}

/**
 * `sniffFile` for a file held as a Blob (a File the user chose, or one the CLI opened): a plain CSV
 * or TSV is scanned in slices and handed on as it is, to be read in place by the engine, and
 * Parquet is handed on unread, so a log of gigabytes is never copied whole into the page. Anything
 * that must be rewritten or parsed here (gzip, JSON, a known source's export, mixed line ends, an
 * overlong row to report) is read whole and goes through `sniffFile`.
 */
export async function sniffBlob(name: string, blob: Blob, options: ReadOptions = {}): Promise<Sniffed> {
  const whole = async () => sniffFile(name, new Uint8Array(await blob.arrayBuffer()), options);
  const headBytes = new Uint8Array(await blob.slice(0, 65_536).arrayBuffer());
  if (startsWith(headBytes, 'PAR1')) return { kind: 'parquet', bytes: blob, format: 'parquet' };
  if (blob.size <= headBytes.length || (headBytes[0] === 0x1f && headBytes[1] === 0x8b)) return whole();
  const head = new TextDecoder('utf-8', { fatal: false }).decode(headBytes);
  const text = head.replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (looksBinary(head) || first === undefined || first === '[' || first === '{') return whole();
  const firstLine = text.split('\n', 1)[0] ?? '';
  const lower = name.toLowerCase();
  const delimiter = lower.endsWith('.tsv') || lower.endsWith('.tab') ? '\t' : guessDelimiter(firstLine);
  if (isPresetHeader(splitHeader(firstLine, delimiter))) return whole();
  checkDelimited(name, headBytes, delimiter);
  const sliceBytes = options.sliceBytes ?? SLICE_BYTES;
  const headerEnd = headBytes.indexOf(0x0a) + 1;
  // Rows are cut only at a line end outside quotes (an even number of quotes before it), so no
  // quoted field is split; a quote never closed stops the cutting, and the rest is one slice.
  const cuts = [0];
  let nextCut = Math.max(headerEnd, sliceBytes);
  let inQuotes = false;
  let hasQuotes = false;
  let padded = false;
  // A chunk is tested for padded fields once the next one's first byte is known.
  let held: Uint8Array | undefined;
  let beforeHeld: number | undefined;
  let lineStart = 0;
  // Line ends all LF or all CRLF are read as they are; a mix is rewritten by `sniffFile`.
  const ends = { lf: 0, crlf: 0 };
  let previousByte = 0;
  // Read as a stream: in Node, reading a file's Blob 32 MiB slices at a time took 0.6–0.8 s for
  // 135 MB and its stream 0.15 s; in Chromium the stream is as fast as the best slice size.
  const reader = blob.stream().getReader();
  let finished = false;
  try {
    for (let at = 0, reported = 0; ; ) {
      checkAbort(options.signal);
      if (at >= reported) {
        options.onProgress?.(`Reading ${name}`, at / blob.size);
        reported = at + PROGRESS_BYTES;
      }
      const { done, value: chunk } = await reader.read();
      if (done) break;
      if (chunk.length === 0) continue;
      if (held) {
        padded ||= mayHavePaddedFields(held, delimiter, { before: beforeHeld, after: chunk[0] });
        beforeHeld = held[held.length - 1];
      }
      held = chunk;
      // Whether the chunk holds a quote or a CR, asked of its text: V8 searches a string far faster
      // than a Uint8Array (the two searches over 135 MB took 225–364 ms in Chromium and 155–210 in
      // Node; decoding and searching the text 37–56 and 40–60). UTF-8 decoding keeps every ASCII byte.
      const text = chunkText.decode(chunk);
      const quoted = text.includes('"');
      hasQuotes ||= quoted;
      const first = chunk.indexOf(0x0a);
      // A chunk with no quote and no CR, no longer than a row may be, needs no look at each line:
      // its lines after the first end in LF and none can be overlong, so only its first and last
      // line ends and the cuts are found (the loop below was half the scan of 135 MB in Node).
      if (!quoted && first >= 0 && chunk.length <= LIMITS.csvLineBytes && !text.includes('\r')) {
        if (at + first - lineStart > LIMITS.csvLineBytes) return await whole();
        const last = chunk.lastIndexOf(0x0a);
        if (first === 0 && previousByte === 0x0d) ends.crlf++;
        else ends.lf++;
        if (last > first) ends.lf++;
        if (ends.crlf > 0 && ends.lf > 0) return await whole();
        if (!inQuotes && headerEnd > 0) {
          for (let end = chunk.indexOf(0x0a, Math.max(first, nextCut - 1 - at)); end >= 0; end = chunk.indexOf(0x0a, Math.max(end + 1, nextCut - 1 - at))) {
            if (at + end + 1 >= blob.size - sliceBytes / 4) break;
            cuts.push(at + end + 1);
            nextCut = at + end + 1 + sliceBytes;
          }
        }
        lineStart = at + last + 1;
        previousByte = chunk[chunk.length - 1]!;
        at += chunk.length;
        continue;
      }
      let quote = quoted ? chunk.indexOf(0x22) : -1;
      for (let end = first; ; end = chunk.indexOf(0x0a, end + 1)) {
        const lineEnd = end < 0 ? at + chunk.length : at + end;
        if (lineEnd - lineStart > LIMITS.csvLineBytes) return await whole();
        if (end < 0) break;
        if ((end > 0 ? chunk[end - 1] : previousByte) === 0x0d) ends.crlf++;
        else ends.lf++;
        if (ends.crlf > 0 && ends.lf > 0) return await whole();
        for (; quote >= 0 && quote < end; quote = chunk.indexOf(0x22, quote + 1)) inQuotes = !inQuotes;
        lineStart = lineEnd + 1;
        // A tail shorter than a quarter of a slice stays with the slice before it: each slice is
        // sniffed and checked by a statement of its own, 0.5–0.7 s in Chromium for the 1M-row file's last 1.4 MB.
        if (!inQuotes && headerEnd > 0 && lineStart >= nextCut && lineStart < blob.size - sliceBytes / 4) {
          cuts.push(lineStart);
          nextCut = lineStart + sliceBytes;
        }
      }
      for (; quote >= 0; quote = chunk.indexOf(0x22, quote + 1)) inQuotes = !inQuotes;
      previousByte = chunk[chunk.length - 1]!;
      at += chunk.length;
    }
    if (held) padded ||= mayHavePaddedFields(held, delimiter, { before: beforeHeld });
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
  const header = blob.slice(0, headerEnd);
  // One slice is the file itself, which an engine reading files on disk reads where it lies.
  const parts = cuts.length === 1 ? [blob] : cuts.map((from, i) => {
    const rows = blob.slice(from, cuts[i + 1] ?? blob.size);
    return i === 0 ? rows : new Blob([header, rows]);
  });
  return { kind: 'delimited', delimiter, parts, hasQuotes, padded, format: delimiter === '\t' ? 'tsv' : 'csv' };
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
  // The usual file has no CR at all: one native search instead of a loop over every byte.
  if (bytes.indexOf(0x0d) < 0) return bytes;
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

/**
 * Inflates gzip in slices and stops as soon as the output passes the size or ratio cap,
 * so a bomb is refused after a few MiB of work instead of exhausting memory.
 */
function gunzipCapped(name: string, input: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let refused: string | null = null;
  const stream = new Gunzip((chunk) => {
    if (refused !== null) return;
    total += chunk.length;
    if (total > LIMITS.decompressedBytes) {
      refused = `decompresses to more than ${size(LIMITS.decompressedBytes)}, the most PixelSpend reads from one gzip file`;
    } else if (total > LIMITS.ratioFloorBytes && total > input.length * LIMITS.compressionRatio) {
      refused = `decompresses to more than ${LIMITS.compressionRatio} times its size (a gzip bomb, not a log); refused after ${size(total)}`;
    } else {
      chunks.push(chunk);
    }
  });
  const step = 64 * 1024;
  try {
    for (let i = 0; i < input.length && refused === null; i += step) {
      const end = Math.min(input.length, i + step);
      stream.push(input.subarray(i, end), end === input.length);
    }
  } catch (error) {
    throw new NotALogError(name, `a damaged gzip file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (refused !== null) throw new NotALogError(name, refused);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Refuses a delimited file whose header names a column twice (which of the two holds the
 * data would be a guess) or with a row longer than the line limit, naming the data row.
 */
function checkDelimited(name: string, bytes: Uint8Array, delimiter: Delimiter): void {
  const headerEnd = bytes.indexOf(0x0a);
  const header = headerFields(new TextDecoder().decode(bytes.subarray(0, headerEnd < 0 ? Math.min(bytes.length, LIMITS.csvLineBytes) : headerEnd)), delimiter);
  const seen = new Map<string, number>();
  for (const [i, field] of header.entries()) {
    const key = field.toLowerCase();
    if (key === '') continue;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new NotALogError(name, `columns ${first + 1} ("${header[first]}") and ${i + 1} ("${field}") have the same name; rename or remove one (PixelSpend will not guess which holds the data)`);
    }
    seen.set(key, i);
  }
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end - start > LIMITS.csvLineBytes) {
      const row = dataRowAt(bytes, start);
      throw new NotALogError(name, `${row === 0 ? 'the header line' : `data row ${row}`} is ${size(end - start)} long; one row may be at most ${size(LIMITS.csvLineBytes)} (is this a request log?)`);
    }
    start = end + 1;
  }
}

/** The header's column names, quotes removed (RFC 4180). */
function headerFields(line: string, delimiter: Delimiter): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(current.trim());
      current = '';
    } else current += ch;
  }
  fields.push(current.replace(/\r$/, '').replace(/^\uFEFF/, '').trim());
  fields[0] = fields[0]!.replace(/^\uFEFF/, '');
  return fields;
}

/** The data row (header = 0) that starts at a byte offset: line breaks inside quotes do not count. */
function dataRowAt(bytes: Uint8Array, offset: number): number {
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]!;
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted) rows++;
  }
  return rows;
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

type Records = { records: { row: number; value: JsonRecord }[]; rejects: StagedRows['rejects'] };

/**
 * Rejects records too deep or with a field too long to hold, before anything walks them
 * recursively (JSON.stringify of a 10,000-deep value overflows the stack).
 */
function screenRecords(records: Records['records'], rejects: Records['rejects']): Records {
  const kept: Records['records'] = [];
  for (const r of records) {
    const problem = recordProblem(r.value);
    if (problem) rejects.push({ row: r.row, ...problem });
    else kept.push(r);
  }
  return { records: kept, rejects };
}

function recordProblem(record: JsonRecord): { column: string | null; value: string | null; reason: string } | null {
  const stack: [unknown, number][] = [];
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string' && v.length > LIMITS.fieldChars) {
      return { column: key, value: `${v.slice(0, 60)}…`, reason: `longer than ${size(LIMITS.fieldChars)} (${size(v.length)})` };
    }
    if (typeof v === 'object' && v !== null) stack.push([v, 2]);
  }
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > LIMITS.jsonDepth) return { column: null, value: null, reason: `nested deeper than ${LIMITS.jsonDepth} levels` };
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return null;
}

/** A short text of any parsed value, safe for a value nested arbitrarily deep. */
function preview(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && recordProblem({ value })) return Array.isArray(value) ? '[…]' : '{…}';
  return JSON.stringify(value)?.slice(0, 200) ?? null;
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
        const one = screenRecords([{ row: 1, value: whole }], []);
        if (one.records.length === 0) throw new NotALogError(name, `one JSON object that cannot be read: ${one.rejects[0]!.reason}`);
        return recordsToRows(name, one, 'json');
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
      if (end - start > LIMITS.jsonLineChars) {
        rejects.push({ row: line, column: null, value: `${text.slice(start, start + 60)}…`, reason: `a line longer than ${size(LIMITS.jsonLineChars)} (${size(end - start)})` });
        start = end + 1;
        continue;
      }
      const content = text.slice(start, end).trim();
      start = end + 1;
      if (content === '') continue;
      try {
        const value: unknown = JSON.parse(content);
        if (!isObject(value)) rejects.push({ row: line, column: null, value: content.slice(0, 200), reason: 'not a JSON object' });
        else {
          // Screened here, chunk by chunk, so a large file still yields to the page between chunks.
          const problem = recordProblem(value);
          if (problem) rejects.push({ row: line, ...problem });
          else records.push({ row: line, value });
        }
      } catch (error) {
        rejects.push({ row: line, column: null, value: content.slice(0, 200), reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      }
    }
    options.onProgress?.(`Parsing ${name}`, start / text.length);
    await yieldToEventLoop();
  }
  if (records.length === 0 && !rejects.some((r) => r.reason !== 'not a JSON object' && !r.reason.startsWith('not valid JSON'))) {
    throw new NotALogError(name, 'no line holds a JSON object: not a request log');
  }
  return recordsToRows(name, { records, rejects }, 'ndjson');
}

function arrayRecords(name: string, list: unknown[]): Records {
  const records: { row: number; value: JsonRecord }[] = [];
  const rejects: StagedRows['rejects'] = [];
  list.forEach((value, i) => {
    if (isObject(value)) records.push({ row: i + 1, value });
    else rejects.push({ row: i + 1, column: null, value: preview(value), reason: 'not a JSON object' });
  });
  if (records.length === 0) throw new NotALogError(name, 'a JSON array with no objects in it: not a request log');
  return screenRecords(records, rejects);
}

/** A Gemini Batch job (an operation or a batch resource) whose output is inline. */
function hasInlined(value: JsonRecord): boolean {
  return isObject(value.metadata) && isObject(value.metadata.output);
}

export function isObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
