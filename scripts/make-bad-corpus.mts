/**
 * Writes the bad-input corpus, test/fixtures/bad/: one small hostile or broken file per case
 * and manifest.json with the outcome each must have. Seeded and clock-free: a test runs this
 * script again and requires the same bytes (test/unit/bad-corpus-drift.test.ts).
 * Run: npx tsx scripts/make-bad-corpus.mts [--out DIR]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createRng } from '../src/domain/random';

export interface RejectSpec {
  row: number;
  column: string | null;
  /** Exact, or a prefix when it ends with `…` (the JSON parser's own words vary by Node version). */
  reason: string;
}

export type Expected =
  | { outcome: 'refused'; message: string }
  | {
      outcome: 'rows rejected' | 'accepted with warning' | 'accepted';
      read: number;
      accepted: number;
      rejects: RejectSpec[];
      warnings: { column: string; rows: number; from?: string }[];
      /** Requests after per-attempt rows are rolled up (= accepted when absent). */
      requests?: number;
      /** Requests left unpriced, by model key and reason (none when absent). */
      unpriced?: { model: string; reason: string }[];
    };

export interface CorpusCase {
  file: string;
  kind: 'log' | 'rate-card';
  about: string;
  expect: Expected;
}

const SEED = 20261201;
const rng = createRng(SEED);
const MIB = 1024 * 1024;
const enc = (text: string) => new TextEncoder().encode(text);
const gz = (bytes: Uint8Array) => gzipSync(bytes, { mtime: 0, level: 9 });

const files = new Map<string, Uint8Array>();
const cases: CorpusCase[] = [];

function add(file: string, bytes: Uint8Array | string, about: string, expect: Expected, kind: CorpusCase['kind'] = 'log') {
  if (files.has(file)) throw new Error(`duplicate case ${file}`);
  files.set(file, typeof bytes === 'string' ? enc(bytes) : bytes);
  cases.push({ file, kind, about, expect });
}

const refused = (message: string): Expected => ({ outcome: 'refused', message });
function rows(read: number, accepted: number, rejects: RejectSpec[] = [], warnings: { column: string; rows: number; from?: string }[] = [], unpriced?: { model: string; reason: string }[]): Expected {
  const outcome = rejects.length > 0 || read > accepted ? 'rows rejected' : warnings.length > 0 ? 'accepted with warning' : 'accepted';
  return { outcome, read, accepted, rejects, warnings, ...(unpriced ? { unpriced } : {}) };
}
const reject = (row: number, column: string | null, reason: string): RejectSpec => ({ row, column, reason });

// ---------------------------------------------------------------- CSV: one good row, one bad
const HEADER = ['request_id', 'timestamp', 'model', 'image_size', 'images', 'attempt_count', 'billed_attempts', 'input_tokens', 'output_text_tokens', 'job_type'];
const GOOD: Record<string, string> = {
  request_id: 'r1', timestamp: '2026-03-01T10:00:00Z', model: 'gemini-3-pro-image', image_size: '1K', images: '1',
  attempt_count: '1', billed_attempts: '1', input_tokens: '100', output_text_tokens: '0', job_type: 'draft',
};
function csvOf(changes: Record<string, string>[], delimiter = ',', header = HEADER): string {
  const lines = [header.join(delimiter)];
  changes.forEach((c, i) => lines.push(header.map((h) => c[h] ?? (h === 'request_id' ? `r${i + 1}` : GOOD[h])).join(delimiter)));
  return `${lines.join('\n')}\n`;
}
/** A good first row and a second row with `change`. */
const pair = (change: Record<string, string>) => csvOf([{}, change]);

const COUNT_CASES: [string, string, string, string | null][] = [
  // file, column, value, reason (null = accepted)
  ['count-images-decimal.csv', 'images', '2.5', 'not a whole number'],
  ['count-images-decimal-comma.csv', 'images', '"2,5"', 'not a whole number'],
  ['count-images-exponent.csv', 'images', '1e3', 'not a whole number'],
  ['count-images-hex.csv', 'images', '0x10', 'not a whole number'],
  ['count-images-underscore.csv', 'images', '1_000', 'not a whole number'],
  ['count-images-word.csv', 'images', 'two', 'not a whole number'],
  ['count-images-fullwidth.csv', 'images', '１２', 'not a whole number'],
  ['count-images-negative.csv', 'images', '-1', 'negative'],
  ['count-images-over-limit.csv', 'images', '10001', 'too large (max 10000)'],
  ['count-images-over-int32.csv', 'images', '3000000000', 'too large (max 10000)'],
  ['count-images-1e23-digits.csv', 'images', '100000000000000000000000', 'too large (max 10000)'],
  ['count-images-60-digits.csv', 'images', '9'.repeat(60), 'too large (max 10000)'],
  ['count-images-whole-dot-zero.csv', 'images', '2.0', null],
  ['count-images-plus-sign.csv', 'images', '+2', null],
  ['count-images-leading-zeros.csv', 'images', '007', null],
  ['count-input-tokens-decimal.csv', 'input_tokens', '12.5', 'not a whole number'],
  ['count-input-tokens-over-int32.csv', 'input_tokens', '3000000000', null],
  ['count-input-tokens-over-limit.csv', 'input_tokens', '10000000001', 'too large (max 10000000000)'],
  ['count-output-text-tokens-negative.csv', 'output_text_tokens', '-5', 'negative'],
  ['count-attempts-decimal.csv', 'attempt_count', '1.5', 'not a whole number'],
  ['count-attempts-over-int32.csv', 'attempt_count', '2147483648', 'too large (max 10000)'],
  ['count-billed-decimal.csv', 'billed_attempts', '0.5', 'not a whole number'],
  ['count-billed-over-attempts.csv', 'billed_attempts', '3', 'more than attempt_count (1)'],
  ['count-billed-20-digits.csv', 'billed_attempts', '99999999999999999999', 'more than attempt_count (1)'],
];
for (const [file, column, value, reason] of COUNT_CASES) {
  const about = `${column} "${value}": ${reason ?? 'a whole number, accepted as it is'}`;
  add(file, pair({ [column]: value }), about, reason ? rows(2, 1, [reject(2, column, reason)]) : rows(2, 2));
}
add('count-attempts-zero.csv', pair({ attempt_count: '0' }), 'attempt_count 0 (and so one billed attempt too many)',
  rows(2, 1, [reject(2, 'attempt_count', 'less than 1'), reject(2, 'billed_attempts', 'more than attempt_count (0)')]));
add('count-four-problems-one-row.csv', pair({ images: '2.5', attempt_count: '0', input_tokens: 'x' }), 'one row, four problems: listed once with all four',
  rows(2, 1, [reject(2, 'attempt_count', 'less than 1'), reject(2, 'billed_attempts', 'more than attempt_count (0)'), reject(2, 'images', 'not a whole number'), reject(2, 'input_tokens', 'not a whole number')]));

// ---------------------------------------------------------------- timestamps
add('ts-missing.csv', pair({ timestamp: '' }), 'no timestamp', rows(2, 1, [reject(2, 'timestamp', 'missing')]));
add('ts-words.csv', pair({ timestamp: 'yesterday' }), 'a timestamp that is words', rows(2, 1, [reject(2, 'timestamp', 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)')]));
add('ts-feb-30.csv', pair({ timestamp: '2026-02-30T10:00:00Z' }), 'a date that does not exist', rows(2, 1, [reject(2, 'timestamp', 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)')]));
add('ts-year-3000.csv', pair({ timestamp: '3000-01-01T00:00:00Z' }), 'a request dated in the year 3000: priced, with a counted warning',
  rows(2, 2, [], [{ column: 'timestamp', rows: 1, from: 'a year from today (latest 3000-01-01)' }]));
add('ts-9999-12-31.csv', pair({ timestamp: '9999-12-31T12:00:00Z' }), 'the last day there is: priced at the open-ended price (no sentinel), with a warning',
  rows(2, 2, [], [{ column: 'timestamp', rows: 1, from: 'latest 9999-12-31' }], []));

// ---------------------------------------------------------------- model ids
add('model-missing.csv', pair({ model: '' }), 'no model', rows(2, 1, [reject(2, 'model', 'missing')]));
add('model-script-tag.csv', pair({ model: '<script>alert(1)</script>' }), 'an unknown model id with slashes is kept whole (not cut to "script>")',
  rows(2, 2, [], [], [{ model: '<script>alert(1)</script>', reason: 'unknown_model' }]));
add('model-unknown-prefix.csv', csvOf([{ model: 'acme/gemini-3-pro-image' }, { model: 'other/gemini-3-pro-image' }]), 'two unknown ids with the same tail stay two models, neither priced as Gemini',
  rows(2, 2, [], [], [{ model: 'acme/gemini-3-pro-image', reason: 'unknown_model' }, { model: 'other/gemini-3-pro-image', reason: 'unknown_model' }]));
add('model-known-prefixes.csv', csvOf([{ model: 'publishers/google/models/gemini-3-pro-image-preview' }, { model: 'openrouter/google/gemini-3-pro-image-preview' }, { model: 'models/nano-banana-pro' }]),
  'Vertex, OpenRouter-via-LiteLLM and Gemini API prefixes are routing, not the model: priced', rows(3, 3, [], [], []));

// ---------------------------------------------------------------- CSV structure
add('csv-duplicate-header.csv', csvOf([{}], ',', ['timestamp', 'model', 'images', 'model']), 'a header naming model twice: refused, both columns named',
  refused('columns 2 ("model") and 4 ("model") have the same name'));
add('csv-duplicate-header-case.csv', 'timestamp,Model,model\n2026-03-01T10:00:00Z,gemini-3-pro-image,gemini-3-pro-image\n', 'the same name in another case',
  refused('columns 2 ("Model") and 3 ("model") have the same name'));
add('csv-synonym-columns.csv', 'created_at,ts,model\n2026-03-01T10:00:00Z,2026-03-02T10:00:00Z,gemini-3-pro-image\n2026-03-01T10:00:00Z,2026-03-02T10:00:00Z,gemini-3-pro-image\n',
  'two different synonyms of timestamp: the first is read, with a warning naming both', rows(2, 2, [], [{ column: 'timestamp', rows: 2, from: '"ts"' }]));
add('csv-short-row.csv', `${pair({})}2026-03-01T10:00:00Z,gemini-3-pro-image\n`, 'a short row: listed once (not once per missing field)',
  rows(3, 2, [reject(3, null, 'malformed line: too few fields (the header has 10)')]));
add('csv-long-row.csv', `${pair({}).trimEnd()},extra\n`, 'a row with an extra field', rows(2, 1, [reject(2, null, 'malformed line: too many fields (the header has 10)')]));
{
  const lines = [HEADER.join(',')];
  const bad: RejectSpec[] = [];
  for (let i = 1; i <= 9; i++) {
    if (i % 3 === 0) lines.push(`r${i},${GOOD.timestamp},${GOOD.model}`);
    else if (i % 3 === 1) lines.push(`r${i},${GOOD.timestamp},${GOOD.model},1K,1,1,1,0,0,draft`);
    else lines.push(`r${i},${GOOD.timestamp},${GOOD.model},1K,${i}.5,1,1,0,0,draft`);
    if (i % 3 === 0) bad.push(reject(i, null, 'malformed line: too few fields (the header has 10)'));
    if (i % 3 === 2) bad.push(reject(i, 'images', 'not a whole number'));
  }
  for (let i = 10; i <= 16; i++) {
    lines.push(`r${i},${GOOD.timestamp},${GOOD.model},1K,1,1,1,0,0,draft,x,y`);
    bad.push(reject(i, null, 'malformed line: too many fields (the header has 10)'));
  }
  add('csv-many-bad-rows.csv', `${lines.join('\n')}\n`, 'thirteen bad rows: the CLI names five and says "… and 8 more"', rows(16, 3, bad));
}
add('csv-unterminated-quote.csv', pair({ job_type: '"draft' }), 'an opening quote never closed: kept as text, with a counted warning',
  rows(2, 2, [], [{ column: 'job_type', rows: 1, from: 'a quote that is never closed' }]));
add('csv-long-line.csv.gz', gz(enc(`${csvOf([{}]).trimEnd()}\n${GOOD.request_id}x,${GOOD.timestamp},${'x'.repeat(9 * MIB)},1K,1,1,1,0,0,draft\n`)),
  'one 9 MiB field: refused naming data row 2 and the limit', refused('data row 2 is 9 MiB long; one row may be at most 8 MiB'));
add('csv-empty.csv', '', 'an empty file', refused('the file is empty'));
add('csv-blank.csv', ' \n\n\t\n', 'only blank lines', refused('the file is empty'));
add('csv-header-only.csv', `${HEADER.join(',')}\n`, 'a header and no rows', rows(0, 0));
add('csv-no-model-column.csv', 'timestamp,images\n2026-03-01T10:00:00Z,1\n', 'no model column', refused('not a request log: no model column'));
add('csv-random-bytes.csv', Uint8Array.from({ length: 4096 }, () => Math.floor(rng() * 256)), 'random bytes named .csv', refused('a binary file, not a request log'));
add('csv-nul-bytes.csv', enc(`timestamp,model\n2026-03-01T10:00:00Z,gemini\0-3-pro-image\n`), 'a NUL byte in a field', refused('a binary file, not a request log'));
add('csv-bom-crlf.csv', `\uFEFF${pair({}).replaceAll('\n', '\r\n')}`, 'a BOM and CRLF line ends', rows(2, 2));
add('csv-semicolons.csv', csvOf([{}, {}], ';'), 'semicolon-separated (spreadsheets in many locales)', rows(2, 2));
add('csv-unknown-lane.csv', `timestamp,model,lane\n${GOOD.timestamp},${GOOD.model},standard\n${GOOD.timestamp},${GOOD.model},turbo\n`, 'a lane that does not exist',
  rows(2, 1, [reject(2, 'lane', 'unknown lane (standard, batch, flex, priority, provisioned)')]));
add('csv-unknown-size.csv', pair({ image_size: '8K' }), 'an image size that does not exist', rows(2, 1, [reject(2, 'image_size', 'unknown image size (512, 1K, 2K, 4K)')]));
add('csv-accepted-maybe.csv', `timestamp,model,accepted\n${GOOD.timestamp},${GOOD.model},yes\n${GOOD.timestamp},${GOOD.model},maybe\n`, 'acceptance that is neither yes nor no',
  rows(2, 1, [reject(2, 'accepted_by_user', 'not true/false, yes/no or 1/0')]));
add('csv-cost-words.csv', `timestamp,model,cost_usd\n${GOOD.timestamp},${GOOD.model},0.13\n${GOOD.timestamp},${GOOD.model},free\n`, 'a logged cost that is not an amount',
  rows(2, 1, [reject(2, 'cost_usd', 'not a decimal amount')]));
add('csv-cost-40-digits.csv', `timestamp,model,cost_usd\n${GOOD.timestamp},${GOOD.model},0.13\n${GOOD.timestamp},${GOOD.model},${'9'.repeat(40)}\n`, 'a logged cost too large for DECIMAL(38,12)',
  rows(2, 1, [reject(2, 'cost_usd', 'not a decimal amount')]));
add('csv-duplicate-request-ids.csv', csvOf([{ request_id: 'same' }, { request_id: 'same' }, { request_id: 'other' }]), 'one request id on two rows, no attempt column: counted as two, with a warning',
  rows(3, 3, [], [{ column: 'request_id', rows: 2, from: '"same"' }]));
add('csv-formula-cells.csv', csvOf([{ job_type: '"=HYPERLINK(""http://x"",""y"")"' }, { job_type: '+1+2' }, { job_type: '-2+3' }, { job_type: '@SUM(A1)' }, { request_id: '=1+1' }]),
  'spreadsheet formulas in text columns: loaded as text (exports escape them)', rows(5, 5));
add('csv-invalid-utf8.csv', new Uint8Array([...enc(`${pair({}).trimEnd()}\nr3,${GOOD.timestamp},gemini-3-pro-image,1K,1,1,1,0,0,dr`), 0xff, 0xfe, ...enc('aft\n')]),
  'a byte sequence that is not UTF-8 in one row', rows(3, 2, [reject(3, null, 'malformed line: not valid UTF-8 text')]));

// Per-attempt logs (rolled up into requests)
const ATTEMPTS = 'request_id,attempt,timestamp,model,billed\n';
add('attempts-billed-maybe.csv', `${ATTEMPTS}a,1,${GOOD.timestamp},${GOOD.model},true\na,2,${GOOD.timestamp},${GOOD.model},maybe\nb,1,${GOOD.timestamp},${GOOD.model},false\n`,
  'a per-attempt billed value that is neither yes nor no: counted as not billed, with a warning', { ...rows(3, 3, [], [{ column: 'billed', rows: 1, from: 'maybe' }]), requests: 2 } as Expected);
add('attempts-repeated-number.csv', `${ATTEMPTS}a,1,${GOOD.timestamp},${GOOD.model},true\na,1,${GOOD.timestamp},${GOOD.model},true\nb,1,${GOOD.timestamp},${GOOD.model},true\n`,
  'attempt 1 of one request logged twice: both counted, flagged', { ...rows(3, 3, [], [{ column: 'attempt', rows: 2, from: 'request a attempt 1' }]), requests: 2 } as Expected);

// ---------------------------------------------------------------- TSV
add('tsv-decimal-count.tsv', csvOf([{}, { images: '2.5' }], '\t'), 'TSV: a decimal count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('tsv-short-row.tsv', `${csvOf([{}], '\t')}r2\t${GOOD.timestamp}\n`, 'TSV: a short row', rows(2, 1, [reject(2, null, 'malformed line: too few fields (the header has 10)')]));
add('tsv-duplicate-header.tsv', 'timestamp\tmodel\tmodel\n2026-03-01T10:00:00Z\ta\tb\n', 'TSV: a duplicate header', refused('columns 2 ("model") and 3 ("model") have the same name'));
add('tsv-over-int32.tsv', csvOf([{}, { attempt_count: '99999999999' }], '\t'), 'TSV: attempts beyond INT32', rows(2, 1, [reject(2, 'attempt_count', 'too large (max 10000)')]));

// ---------------------------------------------------------------- JSONL / NDJSON
const flat = (change: Record<string, unknown> = {}) => JSON.stringify({ timestamp: GOOD.timestamp, model: GOOD.model, image_size: '1K', ...change });
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const jsonl = (...lines: string[]) => `${lines.join('\n')}\n`;
add('jsonl-deep-row.jsonl', jsonl(flat(), `{"timestamp":"${GOOD.timestamp}","model":"${GOOD.model}","meta":${deep(10_000)}}`, flat()), 'one line nested 10,000 deep: that row rejected',
  rows(3, 2, [reject(2, null, 'nested deeper than 64 levels')]));
add('jsonl-depth-64-ok.jsonl', jsonl(flat({ meta: JSON.parse(deep(62)) })), 'nesting at the limit is read', rows(1, 1));
add('jsonl-broken-line.jsonl', jsonl(flat(), '{"timestamp": "2026-03-01T10:00:00Z", "model": ', flat()), 'a line that is not JSON', rows(3, 2, [reject(2, null, 'not valid JSON (…')]));
add('jsonl-array-line.jsonl', jsonl(flat(), '[1,2,3]', flat()), 'a line that is an array', rows(3, 2, [reject(2, null, 'not a JSON object')]));
add('jsonl-decimal-number.jsonl', jsonl(flat(), flat({ images: 2.5 })), 'a JSON number 2.5 as a count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('jsonl-decimal-string.jsonl', jsonl(flat(), flat({ images: '2.5' })), 'a JSON string "2.5" as a count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('jsonl-big-number.jsonl', jsonl(flat(), flat({ input_tokens: 1 }).replace('"input_tokens":1', '"input_tokens":9007199254740993')), '2^53+1 as a JSON number (over the token limit)',
  rows(2, 1, [reject(2, 'input_tokens', 'too large (max 10000000000)')]));
add('jsonl-boolean-count.jsonl', jsonl(flat(), flat({ images: true })), 'true as a count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('jsonl-overflow-number.jsonl', jsonl(flat(), flat({ images: 1 }).replace('"images":1', '"images":1e400')), '1e400 (Infinity in JavaScript) as a count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('jsonl-long-field.jsonl.gz', gz(enc(jsonl(flat(), flat({ job_type: 'y'.repeat(9 * MIB) })))), 'one 9 MiB field: that row rejected', rows(2, 1, [reject(2, 'job_type', 'longer than 8 MiB (9 MiB)')]));
add('jsonl-no-objects.jsonl', jsonl('[]', '1', '"x"', '[2]'), 'no line holds an object', refused('a JSON array that is not valid JSON'));
add('jsonl-mixed-shapes.jsonl', jsonl(flat(), JSON.stringify({ usageMetadata: { promptTokenCount: 1 }, modelVersion: 'gemini-3-pro-image', createTime: GOOD.timestamp })), 'a flat record and a Gemini response in one file',
  refused('mixes record shapes'));

// ---------------------------------------------------------------- JSON documents
add('json-deep-array.json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'an array nested 10,000 deep at top level', refused('a JSON array with no objects in it'));
add('json-deep-object.json', deep(10_000), 'an object nested 10,000 deep at top level', refused('a JSON object, not a request log (keys: a)'));
add('json-deep-in-row.json', `[${flat()},{"timestamp":"${GOOD.timestamp}","model":"${GOOD.model}","meta":${'['.repeat(10_000)}${']'.repeat(10_000)}}]`, 'one element nested 10,000 deep: that row rejected',
  rows(2, 1, [reject(2, null, 'nested deeper than 64 levels')]));
add('json-one-deep-request.json', `{"timestamp":"${GOOD.timestamp}","model":"${GOOD.model}","meta":${deep(100)}}`, 'a single request object nested too deep', refused('one JSON object that cannot be read: nested deeper than 64 levels'));
add('json-truncated.json', `[${flat()},${flat()}`, 'an array cut short', refused('a JSON array that is not valid JSON'));
add('json-empty-wrapper.json', '{"requests": []}', 'a wrapper with no requests', refused('a JSON object, not a request log (keys: requests)'));
add('json-non-objects.json', `[1, null, ${flat()}]`, 'array elements that are not objects', rows(3, 1, [reject(1, null, 'not a JSON object'), reject(2, null, 'not a JSON object')]));
add('json-decimal-tokens.json', `[${flat()},${flat({ input_tokens: 12.5 })}]`, 'input_tokens 12.5', rows(2, 1, [reject(2, 'input_tokens', 'not a whole number')]));
add('json-wrapped.json', JSON.stringify({ data: [JSON.parse(flat()), JSON.parse(flat({ images: -3 }))] }), 'requests inside a wrapper object', rows(2, 1, [reject(2, 'images', 'negative')]));
add('json-string-scalar.json', '"just a string"', 'a JSON string, not a log', refused('not a request log'));

// ---------------------------------------------------------------- Parquet
function parquet(columns: { name: string; data: unknown[]; type: string }[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: columns as Parameters<typeof parquetWriteBuffer>[0]['columnData'] }));
}
const pqBase = (n: number) => [
  { name: 'timestamp', data: Array.from({ length: n }, () => GOOD.timestamp), type: 'STRING' },
  { name: 'model', data: Array.from({ length: n }, () => GOOD.model), type: 'STRING' },
];
add('parquet-int64-2p53-plus-1.parquet', parquet([...pqBase(2), { name: 'images', data: [1n, 2n ** 53n + 1n], type: 'INT64' }]), 'INT64 images 2^53+1: rejected, not rounded or crashed',
  rows(2, 1, [reject(2, 'images', 'too large (max 10000)')]));
add('parquet-int64-tokens.parquet', parquet([...pqBase(2), { name: 'input_tokens', data: [1n, 3_000_000_000n], type: 'INT64' }]), 'INT64 tokens beyond INT32: read exactly', rows(2, 2));
add('parquet-int64-huge-tokens.parquet', parquet([...pqBase(2), { name: 'input_tokens', data: [1n, 2n ** 62n], type: 'INT64' }]), 'INT64 tokens 2^62', rows(2, 1, [reject(2, 'input_tokens', 'too large (max 10000000000)')]));
add('parquet-double-fraction.parquet', parquet([...pqBase(2), { name: 'images', data: [1, 3.5], type: 'DOUBLE' }]), 'DOUBLE images 3.5: rejected, not rounded',
  rows(2, 1, [reject(2, 'images', 'not a whole number')]));
add('parquet-double-whole.parquet', parquet([...pqBase(2), { name: 'images', data: [1, 3], type: 'DOUBLE' }]), 'DOUBLE images 3.0: a whole number', rows(2, 2));
add('parquet-negative.parquet', parquet([...pqBase(2), { name: 'attempt_count', data: [1, -1], type: 'INT32' }]), 'INT32 attempts -1', rows(2, 1, [reject(2, 'attempt_count', 'less than 1')]));
add('parquet-damaged.parquet', new Uint8Array([...enc('PAR1'), ...Uint8Array.from({ length: 200 }, () => Math.floor(rng() * 256)), ...enc('PAR1')]), 'PAR1 magic around junk',
  refused('could not be read as Parquet'));

// ---------------------------------------------------------------- gzip
// Built in place: spreading 100 MiB into an array literal took twenty seconds.
const bombHead = enc(`${HEADER.join(',')}\nr1,${GOOD.timestamp},`);
const bomb = new Uint8Array(bombHead.length + 100 * MIB).fill(0x61);
bomb.set(bombHead);
add('gzip-bomb.csv.gz', gz(bomb),
  'a row-level gzip bomb (100 MiB of one letter): refused while streaming', refused('decompresses to more than 200 times its size'));
{
  const whole = gz(enc(pair({})));
  add('gzip-truncated.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)), 'a gzip file cut in half', refused('a damaged gzip file'));
}
add('gzip-junk.csv.gz', new Uint8Array([0x1f, 0x8b, ...Uint8Array.from({ length: 64 }, () => Math.floor(rng() * 256))]), 'gzip magic, then junk', refused('a damaged gzip file'));
add('gzip-empty.csv.gz', gz(new Uint8Array(0)), 'gzip of nothing', refused('the file is empty'));
add('gzip-twice.csv.gz', gz(gz(enc(pair({})))), 'gzip inside gzip', refused('a binary file, not a request log'));
add('gzip-decimal-count.jsonl.gz', gz(enc(jsonl(flat(), flat({ images: 0.5 })))), 'gzip NDJSON with a decimal count', rows(2, 1, [reject(2, 'images', 'not a whole number')]));

// ---------------------------------------------------------------- rate cards (loaded with good.csv)
add('good.csv', pair({}), 'a clean log: the base for the rate-card cases', rows(2, 2));
const card = (price: Record<string, unknown>, top: Record<string, unknown> = {}) => `${JSON.stringify({
  format: 'pixelspend-rate-card', version: 1, name: 'hostile',
  prices: [{ model: 'gemini-3-pro-image', provider: 'acme', lane: 'standard', from: '2026-01-01', source: 'test', checked: '2026-11-01', per_image: { '1K': '0.10' }, ...price }],
  ...top,
}, null, 2)}\n`;
const rc = (file: string, text: string, about: string, message: string) => add(file, text, about, refused(message), 'rate-card');
rc('rc-price-26-digits.json', card({ per_image: { '1K': '12345678901234567890123456.5' } }), 'a per-image price with 26 digits (used to overflow DECIMAL(38,12))', '"12345678901234567890123456.5" is too large (max 9999.999999999999)');
rc('rc-per-million-too-large.json', card({ per_million_tokens: { output_image: '1000000' } }), 'a million dollars per million tokens', '"1000000" is too large (max 999999.999999)');
rc('rc-request-price-too-large.json', card({ per_request: '10000' }), '$10,000 per request', '"10000" is too large (max 9999.999999999999)');
rc('rc-wrong-format.json', card({}, { format: 'other-card' }), 'a card with the wrong format tag', 'format: must be "pixelspend-rate-card" (got "other-card")');
rc('rc-wrong-version.json', card({}, { version: 2 }), 'a card of a future version', 'version: must be 1 (got 2)');
rc('rc-number-price.json', card({ per_image: { '1K': 0.1 } }), 'a price written as a number', 'write amounts as decimal strings');
rc('rc-negative-price.json', card({ per_image: { '1K': '-0.10' } }), 'a negative price', 'must not be negative (got "-0.10")');
rc('rc-bad-to-date.json', card({ to: 'soon' }), 'an end date that is a word', 'to: must be a date (YYYY-MM-DD) or null (got "soon")');
rc('rc-to-before-from.json', card({ to: '2025-01-01' }), 'an end before the start', 'must be after from (2026-01-01); got 2025-01-01');
rc('rc-too-many-decimals.json', card({ per_image: { '1K': '0.1234567890123' } }), 'thirteen decimals', 'not in the expected form (a non-negative decimal with at most 12 decimals)');
rc('rc-image-tokens-too-large.json', card({}, { models: [{ id: 'acme-image', label: 'Acme', family: 'other', image_tokens: { '1K': 2_000_000 } }] }), 'two million tokens per image', '2000000 is too large (max 1000000)');
rc('rc-not-json.json', '{"format": "pixelspend-rate-card", ', 'a card that is not JSON', 'not valid JSON');
rc('rc-deep.json', `{"format":"pixelspend-rate-card","version":1,"name":"x","prices":[],"description":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'a card nested 10,000 deep', 'description: must be a string (got a list)');

// ---------------------------------------------------------------- write
const out = (() => {
  const i = process.argv.indexOf('--out');
  return i > 0 ? process.argv[i + 1]! : new URL('../test/fixtures/bad/', import.meta.url).pathname;
})();

export function writeCorpus(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ seed: SEED, cases }, null, 2)}\n`);
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.expect.outcome, (counts.get(c.expect.outcome) ?? 0) + 1);
  writeFileSync(join(dir, 'README.md'), [
    '# Bad-input corpus',
    '',
    'Generated by `npx tsx scripts/make-bad-corpus.mts` (seeded; never edit by hand: test/unit/bad-corpus-drift.test.ts',
    'regenerates it and compares bytes). `manifest.json` holds each file\'s expected outcome; test/engine/bad-corpus.test.ts',
    'runs every case through the CLI and the Node engine. All files are written by the script itself; none is copied.',
    '',
    `${cases.length} cases: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}.`,
    '',
    '| file | outcome | what it checks |',
    '|---|---|---|',
    ...cases.map((c) => `| \`${c.file}\` | ${c.expect.outcome} | ${c.about.replaceAll('|', '\\|')} |`),
    '',
  ].join('\n'));
  return readdirSync(dir).length;
}

if (process.argv[1]?.endsWith('make-bad-corpus.mts')) {
  const n = writeCorpus(out);
  console.log(`${cases.length} cases, ${n} files in ${out}`);
}
