import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { estimateRows, sniffBlob } from '../../src/db/ingest/formats';
import { ingestFiles, LargeLogError, NotALogError, type FileDiagnostics, type LogFile } from '../../src/db/ingest/ingest';
import { buildReport } from '../../src/db/report';
import { applyRates, reprice } from '../../src/db/workspace';
import { formatExact } from '../../src/domain/money';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { openNativeEngine } from '../../src/node/native-engine';

const fixture = (name: string): LogFile => ({ name, bytes: readFileSync(`test/fixtures/logs/${name}`) });
const text = (name: string, content: string): LogFile => ({ name, bytes: new TextEncoder().encode(content) });

/*
 * Expected figures are worked out by hand from the bundled Google card for gemini-3-pro-image:
 * standard output image $120/M tokens (1K/2K = 1120 tokens → $0.1344, 4K = 2000 → $0.24),
 * input text $2/M, output text $12/M; batch and flex at half those rates.
 */
describe('log formats: every file counts read = accepted + rejected and prices as worked out by hand', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await testEngine();
    await applyRates(engine, bundledRates());
  });

  async function load(files: LogFile[], mode: 'append' | 'replace' = 'replace') {
    const diagnostics = await ingestFiles(engine, files, { mode });
    await reprice(engine);
    return { diagnostics, report: await buildReport(engine) };
  }

  function balanced(d: FileDiagnostics) {
    expect(d.rowsRead).toBe(d.rowsAccepted + d.rowsRejected);
  }

  it.each([
    ['hostile.csv', 'csv', 8, 3, '0.808400000000'],
    ['hostile.csv.gz', 'csv.gz', 8, 3, '0.808400000000'],
    ['flat.ndjson', 'ndjson', 5, 3, '0.508800000000'],
    ['flat.ndjson.gz', 'ndjson.gz', 5, 3, '0.508800000000'],
    ['array.json', 'json', 3, 2, '0.537600000000'],
    ['array.json.gz', 'json.gz', 3, 2, '0.537600000000'],
    ['tabs.tsv', 'tsv', 2, 2, '0.187200000000'],
    ['tabs.tsv.gz', 'tsv.gz', 2, 2, '0.187200000000'],
    ['requests.parquet', 'parquet', 3, 2, '0.509000000000'],
    ['gemini-responses.jsonl', 'gemini-response ndjson', 2, 2, '0.271240000000'],
    ['gemini-batch.jsonl', 'gemini-batch ndjson', 3, 2, '0.187220000000'],
  ])('%s (%s): %i read, %i accepted, total $%s', async (name, format, read, accepted, total) => {
    const { diagnostics, report } = await load([fixture(name)]);
    const d = diagnostics[0]!;
    expect(d).toMatchObject({ file: name, format, rowsRead: read, rowsAccepted: accepted, rowsRejected: read - accepted });
    balanced(d);
    expect(report.requests).toBe(accepted);
    expect(report.unpricedRequests).toBe(0);
    expect(report.rejectedRows).toBe(read - accepted);
    expect(formatExact(report.totalCost)).toBe(total);
  });

  it('names file, row, column, value and reason of every rejected CSV row; offsets and epochs become UTC', async () => {
    const { diagnostics } = await load([fixture('hostile.csv')]);
    expect(diagnostics[0]!.rejects.map((r) => [r.row, r.column, r.value, r.reason])).toEqual([
      [4, 'timestamp', 'not-a-date', 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)'],
      [5, 'images', '-1', 'negative'],
      [6, 'billed_attempts', '3', 'more than attempt_count (2)'],
      [7, 'images', 'one', 'not a whole number'],
      [8, 'accepted_by_user', 'maybe', 'not true/false, yes/no or 1/0'],
    ]);
    expect(diagnostics[0]!.rejects.every((r) => r.file === 'hostile.csv')).toBe(true);
    expect(diagnostics[0]!.warnings).toEqual([{ column: 'image_size', from: '1k', to: '1K', rows: 1 }]);
    expect(diagnostics[0]!.ignoredColumns).toEqual(['note']);
    const rows = await engine.query<{ request_id: string; ts: string }>(`SELECT request_id, ts::VARCHAR AS ts FROM requests ORDER BY request_id`);
    // BOM stripped from the first header; +02:00 → 08:00 UTC; epoch seconds and milliseconds.
    expect(rows).toEqual([
      { request_id: 'r1', ts: '2026-03-01 08:00:00' },
      { request_id: 'r2', ts: '2026-03-01 09:00:00' },
      { request_id: 'r3', ts: '2026-03-01 10:00:00' },
    ]);
  });

  it('NDJSON: lines that are not JSON objects are rejected by line number; synonyms map camelCase keys', async () => {
    const { diagnostics } = await load([fixture('flat.ndjson')]);
    const d = diagnostics[0]!;
    expect(d.rejects.map((r) => [r.row, r.value])).toEqual([[3, '{not json'], [4, '[1,2]']]);
    expect(d.mappedColumns).toMatchObject({ request_id: 'id', timestamp: 'createdAt', image_size: 'imageSize', lane: 'service_tier', billed_attempts: 'billed' });
    // Nested objects become dotted columns, kept as attributes.
    expect(d.ignoredColumns).toEqual(['extra.nested']);
  });

  it('JSON array: -05:30 offset converted, unknown size rejected, 2048 normalised to 2K', async () => {
    const { diagnostics } = await load([fixture('array.json')]);
    expect(diagnostics[0]!.rejects.map((r) => [r.row, r.column, r.value])).toEqual([[3, 'image_size', '8K']]);
    expect(diagnostics[0]!.warnings).toEqual([{ column: 'image_size', from: '2048', to: '2K', rows: 1 }]);
    const rows = await engine.query<{ ts: string; job_type: string }>(`SELECT ts::VARCHAR AS ts, job_type FROM requests ORDER BY request_id`);
    expect(rows).toEqual([{ ts: '2026-03-01 09:00:00', job_type: 'final' }, { ts: '2026-03-01 15:00:00', job_type: 'draft' }]);
  });

  it('Gemini responses: token details by modality, size from the request or 1K with a warning', async () => {
    const { diagnostics } = await load([fixture('gemini-responses.jsonl')]);
    // createTime marks Vertex AI responses; Pro's 1120 image tokens are 1K or 2K: the smaller, with a warning.
    expect(diagnostics[0]!.warnings).toEqual([
      { column: 'provider', from: '(not in the log)', to: 'vertex (a Vertex AI response: createTime/trafficType)', rows: 2 },
      { column: 'image_size', from: '(1120 image tokens: 1K or 2K)', to: '1K', rows: 1 },
    ]);
    const rows = await engine.query(`SELECT request_id, image_size, input_tokens, output_text_tokens, output_image_tokens, lane FROM requests ORDER BY request_id`);
    expect(rows).toEqual([
      { request_id: 'resp-1', image_size: '1K', input_tokens: 10, output_text_tokens: 100, output_image_tokens: 1120, lane: 'standard' },
      { request_id: 'resp-2', image_size: '2K', input_tokens: 10, output_text_tokens: 100, output_image_tokens: 1120, lane: 'standard' },
    ]);
  });

  it('Gemini Batch output: lane batch, keys as request ids, an error line rejected with its message', async () => {
    const { diagnostics } = await load([fixture('gemini-batch.jsonl')]);
    expect(diagnostics[0]!.rejects).toEqual([
      expect.objectContaining({ row: 2, column: 'error', reason: 'batch request failed, not billed: Request contains an invalid argument.' }),
    ]);
    expect(await engine.query(`SELECT request_id, lane, image_size FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'job-1', lane: 'batch', image_size: '1K' },
      { request_id: 'job-3', lane: 'batch', image_size: '4K' },
    ]);
  });

  it('per-attempt log: rolled up into one request each (attempts, billed, last acceptance, first timestamp)', async () => {
    const { diagnostics, report } = await load([fixture('attempts.csv')]);
    expect(diagnostics[0]).toMatchObject({ rowsRead: 6, rowsAccepted: 6, rowsRejected: 0 });
    expect(await engine.query(`SELECT request_id, ts::VARCHAR AS ts, attempt_count, billed_attempts, accepted FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'a1', ts: '2026-03-03 00:00:00', attempt_count: 2, billed_attempts: 2, accepted: true },
      { request_id: 'a2', ts: '2026-03-03 01:00:00', attempt_count: 3, billed_attempts: 2, accepted: false },
      { request_id: 'a3', ts: '2026-03-03 02:00:00', attempt_count: 1, billed_attempts: 1, accepted: null },
    ]);
    expect(report.requests).toBe(3);
    expect(report.attempts).toBe(6);
    expect(formatExact(report.totalCost)).toBe('0.672000000000');
    expect(formatExact(report.retry.retryCost)).toBe('0.268800000000');
  });

  it('several files at once, then appended; a file that is not a log changes nothing', async () => {
    const first = await load([fixture('hostile.csv'), fixture('flat.ndjson')]);
    expect(first.diagnostics.map((d) => d.rowsAccepted)).toEqual([3, 3]);
    expect(formatExact(first.report.totalCost)).toBe('1.317200000000');
    const second = await load([fixture('tabs.tsv')], 'append');
    expect(second.report.requests).toBe(8);
    expect(second.report.rejectedRows).toBe(7);
    for (const bad of ['not-a-log.json', 'garbage.bin', 'empty.csv', 'mixed.jsonl']) {
      await expect(load([fixture('tabs.tsv'), fixture(bad)], 'replace')).rejects.toBeInstanceOf(NotALogError);
      const after = await buildReport(engine);
      expect(after.requests).toBe(8);
      expect(formatExact(after.totalCost)).toBe('1.504400000000');
    }
  });

  it('refuses non-logs with one clear message each', async () => {
    const message = async (file: LogFile) => (await load([file]).catch((e: unknown) => e)) as Error;
    expect((await message(fixture('empty.csv'))).message).toBe('empty.csv: the file is empty');
    expect((await message(fixture('garbage.bin'))).message).toMatch(/^garbage\.bin: a binary file, not a request log/);
    expect((await message(fixture('not-a-log.json'))).message).toMatch(/^not-a-log\.json: a JSON object, not a request log \(keys: name, version, dependencies\)/);
    expect((await message(fixture('mixed.jsonl'))).message).toMatch(/row 1 is a flat request record, row 2 is a Gemini API response/);
    expect((await message(text('notes.csv', 'title,author\nA,B\n'))).message).toMatch(/no timestamp or model column/);
  });

  it('semicolon- and pipe-separated text, header-only files and CRLF line ends', async () => {
    const { diagnostics, report } = await load([
      text('excel.csv', 'timestamp;model;image_size\r\n2026-03-01T00:00:00Z;gemini-3-pro-image;1K\r\n'),
      text('export.txt', 'timestamp|model|size\n2026-03-01T00:00:00Z|gemini-3-pro-image|4K\n'),
      text('header-only.csv', 'timestamp,model\n'),
    ]);
    expect(diagnostics.map((d) => [d.format, d.rowsRead, d.rowsAccepted])).toEqual([['csv', 1, 1], ['csv', 1, 1], ['csv', 0, 0]]);
    expect(formatExact(report.totalCost)).toBe('0.374400000000');
  });

  it('every read names the dialect sniffed once: quoted fields, doubled quotes and header names that need quoting', async () => {
    const csv = 'timestamp,model,image_size,"team\'s name",Note\r\n'
      + '2026-03-01T00:00:00Z,gemini-3-pro-image,1K,"a, b","say ""hi"""\r\n'
      + '2026-03-01T00:00:01Z,gemini-3-pro-image,4K,c,plain\r\n';
    const { diagnostics, report } = await load([text('quoted.csv', csv)]);
    expect(diagnostics.map((d) => [d.rowsRead, d.rowsAccepted])).toEqual([[2, 2]]);
    expect(formatExact(report.totalCost)).toBe('0.374400000000');
    const rows = await engine.query<{ team: string; note: string }>(
      `SELECT attributes['team''s name'] AS team, attributes['Note'] AS note FROM requests ORDER BY ts`);
    expect(rows).toEqual([{ team: 'a, b', note: 'say "hi"' }, { team: 'c', note: 'plain' }]);
  });

  it('huge strings and a malformed CSV line: every row still accounted for', async () => {
    const huge = 'x'.repeat(3_000_000);
    const csv = `timestamp,model,note\n2026-03-01T00:00:00Z,gemini-3-pro-image,"${huge}"\n2026-03-01T00:00:00Z,gemini-3-pro-image,a,b,c\n2026-03-01T01:00:00Z,gemini-3-pro-image,ok\n`;
    const { diagnostics } = await load([text('huge.csv', csv), text('huge.ndjson', `{"timestamp":"2026-03-01T00:00:00Z","model":"${huge}"}\n`)]);
    expect(diagnostics[0]).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    expect(diagnostics[0]!.rejects[0]).toMatchObject({ row: 2, reason: expect.stringMatching(/^malformed line/) });
    expect(diagnostics[1]).toMatchObject({ rowsRead: 1, rowsAccepted: 1 });
    const [unknown] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM priced WHERE unpriced_reason = 'unknown_model'`);
    expect(unknown!.n).toBe(1);
  });

  it('cancelling while parsing leaves the data as it was', async () => {
    await load([fixture('tabs.tsv')]);
    const lines = Array.from({ length: 60_000 }, (_, i) => `{"timestamp":${1772355600 + i},"model":"gemini-3-pro-image"}`).join('\n');
    const controller = new AbortController();
    const stages: string[] = [];
    const loading = ingestFiles(engine, [text('big.ndjson', lines)], {
      mode: 'replace',
      signal: controller.signal,
      onProgress: (stage, fraction) => {
        stages.push(`${stage} ${fraction === undefined ? '' : Math.round(fraction * 100)}`);
        if (stage.startsWith('Parsing')) controller.abort();
      },
    });
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(stages[0]).toBe('Reading big.ndjson 0');
    expect(stages.some((s) => s.startsWith('Parsing big.ndjson'))).toBe(true);
    const [n] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM requests`);
    expect(n!.n).toBe(2);
  });
});

describe('a file the browser holds (a Blob) loads as its bytes do', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await testEngine();
    await applyRates(engine, bundledRates());
  });

  async function figures(file: LogFile, sliceBytes?: number) {
    const diagnostics = await ingestFiles(engine, [file], { mode: 'replace', today: '2026-12-01', sliceBytes });
    await reprice(engine);
    const report = await buildReport(engine);
    return { diagnostics, total: formatExact(report.totalCost), requests: report.requests };
  }

  // Past the 64 KiB head, so the CSV is scanned in slices and handed to the engine as the Blob itself.
  const rows = Array.from({ length: 3000 }, (_, i) =>
    `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},${i % 500 === 7 ? '"a note, quoted"' : 'plain'}`);
  const csv = `timestamp,model,image_size,note\n${rows.join('\n')}\n2026-03-01T00:00:00Z,gemini-3-pro-image,1K,too,many\n`;

  it('a large plain CSV is passed on unread; its figures equal the bytes path', async () => {
    const blob = new Blob([csv]);
    const sniffed = await sniffBlob('big.csv', blob);
    expect(sniffed).toMatchObject({ kind: 'delimited', delimiter: ',', hasQuotes: true, format: 'csv' });
    expect(sniffed.kind === 'delimited' && sniffed.parts).toEqual([blob]);
    const fromBlob = await figures({ name: 'big.csv', bytes: blob });
    const fromBytes = await figures({ name: 'big.csv', bytes: new TextEncoder().encode(csv) });
    expect(fromBlob).toEqual(fromBytes);
    // 1,000 images each of 1K, 2K ($0.1344) and 4K ($0.24); the last line has too many fields.
    expect(fromBlob.total).toBe('508.800000000000');
    expect(fromBlob.diagnostics[0]).toMatchObject({ rowsRead: 3001, rowsAccepted: 3000, rowsRejected: 1 });
  });

  it('checking a CSV cut in slices moves the progress bar slice by slice, with the rows read so far', async () => {
    const sniffed = await sniffBlob('big.csv', new Blob([csv]), { sliceBytes: 16_384 });
    const slices = sniffed.kind === 'delimited' ? sniffed.parts.length : 0;
    expect(slices).toBeGreaterThan(5);
    const stages: [string, number | undefined][] = [];
    await ingestFiles(engine, [{ name: 'big.csv', bytes: new Blob([csv]) }], {
      mode: 'replace', today: '2026-12-01', sliceBytes: 16_384, onProgress: (stage, fraction) => stages.push([stage, fraction]),
    });
    const checking = stages.filter(([stage]) => stage.startsWith('Checking big.csv:'));
    expect(checking).toHaveLength(slices);
    const rowsSoFar = checking.map(([stage]) => Number(stage.replace(/^Checking big\.csv: ([\d,]+) rows$/, '$1').replaceAll(',', '')));
    const fractions = checking.map(([, fraction]) => fraction!);
    for (let k = 1; k < slices; k++) {
      expect(rowsSoFar[k]).toBeGreaterThan(rowsSoFar[k - 1]!);
      expect(fractions[k]).toBeGreaterThan(fractions[k - 1]!);
    }
    // Every data row read, the malformed last line too; checking ends at 85 %, where saving starts.
    expect(checking.at(-1)).toEqual(['Checking big.csv: 3,001 rows', 0.85]);
    expect(fractions[0]).toBeGreaterThan(0.1);
    expect(stages.at(-1)).toEqual(['Saving big.csv', 0.85]);
    expect(stages.filter(([stage]) => stage.startsWith('Reading')).every(([, fraction]) => fraction! <= 0.1)).toBe(true);
  });

  it('a log past the row limit (a tab’s) is refused before it is read, counted with what is kept; Parquet by its footer', async () => {
    const blob = new Blob([csv]);
    // 3,001 data lines (the last malformed) in 193 KB: estimated from the first 64 KiB.
    const estimate = (await estimateRows(blob))!;
    expect(Math.abs(estimate - 3001)).toBeLessThan(3001 * 0.02);
    expect(await estimateRows(new TextEncoder().encode('timestamp,model\na,b\nc,d\n'))).toBe(2);
    expect(await estimateRows(new TextEncoder().encode('timestamp,model\na,b\nc,d'))).toBe(2);
    expect(await estimateRows(readFileSync('test/fixtures/logs/requests.parquet'))).toBeUndefined();
    expect(await estimateRows(readFileSync('test/fixtures/logs/hostile.csv.gz'))).toBeUndefined();

    await figures({ name: 'tabs.tsv', bytes: readFileSync('test/fixtures/logs/tabs.tsv') });
    const before = await engine.query<{ n: number }>('SELECT count(*)::BIGINT AS n FROM requests');
    const refused = await ingestFiles(engine, [{ name: 'big.csv', bytes: blob }], { mode: 'replace', today: '2026-12-01', rowLimit: 2_000 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LargeLogError);
    expect(refused).toMatchObject({ file: 'big.csv', rows: estimate, kept: 0, limit: 2_000 });
    expect(await engine.query('SELECT count(*)::BIGINT AS n FROM requests')).toEqual(before);

    const [loaded] = await ingestFiles(engine, [{ name: 'big.csv', bytes: blob }], { mode: 'replace', today: '2026-12-01', rowLimit: 5_000 });
    expect(loaded).toMatchObject({ rowsRead: 3001, rowsAccepted: 3000 });
    // Added to what is kept, the same file passes the limit.
    await expect(ingestFiles(engine, [{ name: 'again.csv', bytes: blob }], { mode: 'append', today: '2026-12-01', rowLimit: 5_000 }))
      .rejects.toMatchObject({ name: 'LargeLogError', file: 'again.csv', kept: 3000 });

    const parquet = readFileSync('test/fixtures/logs/requests.parquet');
    const [whole] = await ingestFiles(engine, [{ name: 'requests.parquet', bytes: parquet }], { mode: 'replace', today: '2026-12-01' });
    await expect(ingestFiles(engine, [{ name: 'requests.parquet', bytes: new Blob([parquet]) }], { mode: 'replace', today: '2026-12-01', rowLimit: whole!.rowsRead - 1 }))
      .rejects.toMatchObject({ name: 'LargeLogError', rows: whole!.rowsRead, kept: 0 });
    const [again] = await ingestFiles(engine, [{ name: 'requests.parquet', bytes: new Blob([parquet]) }], { mode: 'replace', today: '2026-12-01', rowLimit: whole!.rowsRead });
    expect(again).toMatchObject({ rowsRead: whole!.rowsRead, rowsAccepted: whole!.rowsAccepted });
  });

  it('CRLF throughout is read where it lies; what must be rewritten or parsed is read whole: mixed line ends, gzip, JSON, Parquet', async () => {
    const windows = `timestamp,model,image_size,note\r\n${rows.join('\r\n')}\r\n`;
    const crlf = await sniffBlob('windows.csv', new Blob([windows]));
    expect(crlf.kind === 'delimited' && crlf.parts[0] instanceof Blob).toBe(true);
    expect(await figures({ name: 'windows.csv', bytes: new Blob([windows]) }, 16_384)).toEqual(await figures({ name: 'windows.csv', bytes: new TextEncoder().encode(windows) }));
    const mixed = await sniffBlob('mixed.csv', new Blob([`timestamp,model\n${rows.join('\r\n')}`]));
    expect(mixed.kind === 'delimited' && mixed.parts[0] instanceof Uint8Array).toBe(true);
    // With no quote anywhere, a chunk is looked at as a whole, not line by line: a CR must still be found,
    // at the first row or only past the first 64 KiB.
    const unquoted = rows.map((r) => r.replace('"a note, quoted"', 'a note'));
    for (const text of [`timestamp,model,image_size,note\n${unquoted.join('\r\n')}\r\n`, `timestamp,model,image_size,note\n${unquoted.slice(0, 2000).join('\n')}\n${unquoted.slice(2000).join('\r\n')}\r\n`]) {
      const sniffed = await sniffBlob('mixed.csv', new Blob([text]));
      expect(sniffed.kind === 'delimited' && !sniffed.hasQuotes && sniffed.parts[0] instanceof Uint8Array).toBe(true);
      const fromBlob = await figures({ name: 'mixed.csv', bytes: new Blob([text]) }, 16_384);
      expect(fromBlob.requests).toBe(3000);
      expect(fromBlob).toEqual(await figures({ name: 'mixed.csv', bytes: new TextEncoder().encode(text) }));
    }
    for (const name of ['hostile.csv.gz', 'array.json', 'requests.parquet', 'tabs.tsv']) {
      const bytes = readFileSync(`test/fixtures/logs/${name}`);
      expect(await figures({ name, bytes: new Blob([bytes]) })).toEqual(await figures({ name, bytes }));
    }
  });

  it('reads rows of 7 MiB (beyond DuckDB’s default line limit), one across the 16 MiB buffer boundary', async () => {
    const long = (size: string) => `2026-03-02T00:00:00Z,gemini-3-pro-image,${size},${'x'.repeat(7 * 1024 * 1024)}`;
    const text = `timestamp,model,image_size,note\n${[...rows.slice(0, 100), long('1K'), long('2K'), long('4K'), ...rows.slice(100, 300)].join('\n')}\n`;
    const fromBlob = await figures({ name: 'wide.csv', bytes: new Blob([text]) });
    expect(await figures({ name: 'wide.csv', bytes: new TextEncoder().encode(text) })).toEqual(fromBlob);
    // 101 requests each at 1K and 2K ($0.1344) and at 4K ($0.24).
    expect(fromBlob.total).toBe('51.388800000000');
    expect(fromBlob.diagnostics[0]).toMatchObject({ rowsRead: 303, rowsAccepted: 303, rowsRejected: 0 });
  });

  it('refuses an overlong row with the message the bytes path gives', async () => {
    const long = `timestamp,model,note\n${rows.slice(0, 500).join('\n')}\n2026-03-01T00:00:00Z,gemini-3-pro-image,${'x'.repeat(9 * 1024 * 1024)}\n`;
    const fromBlob = await figures({ name: 'long.csv', bytes: new Blob([long]) }).catch((e: unknown) => e as Error);
    const fromBytes = await figures({ name: 'long.csv', bytes: new TextEncoder().encode(long) }).catch((e: unknown) => e as Error);
    expect((fromBlob as Error).message).toBe('long.csv: data row 501 is 9 MiB long; one row may be at most 8 MiB (is this a request log?)');
    expect((fromBytes as Error).message).toBe((fromBlob as Error).message);
  });

  it('a small log keeps its strings uncompressed, a large one (counted with what is kept) compact; the figures are the same', async () => {
    // More rows than a row group (122,880), which the engine writes out, compressed or not, as the statement ends.
    const lines = Array.from({ length: 130_000 }, (_, i) =>
      `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},note ${i % 1000}`);
    const file = text('many.csv', `timestamp,model,image_size,note\n${lines.join('\n')}\n`);
    const load = async (mode: 'replace' | 'append', plainStringsRows?: number) => {
      const [d] = await ingestFiles(engine, [file], { mode, today: '2026-12-01', plainStringsRows });
      // Only the rows checked by this load: the part it added last.
      const [part] = await engine.query<{ part: string }>('SELECT part FROM request_parts ORDER BY base DESC LIMIT 1');
      const stored = await engine.query<{ compression: string }>(
        `SELECT DISTINCT compression FROM pragma_storage_info('${part!.part}') WHERE column_name = 'image_size' AND segment_type = 'VARCHAR' ORDER BY 1`);
      const [setting] = await engine.query<{ value: string }>(`SELECT current_setting('disabled_compression_methods') AS value`);
      await reprice(engine);
      const report = await buildReport(engine);
      return { rows: d!.rowsAccepted, compression: stored.map((r) => r.compression), setting: setting!.value, total: formatExact(report.totalCost) };
    };
    // 130,000 requests: 43,334 at 1K and 43,333 at 2K ($0.1344 each), 43,333 at 4K ($0.24).
    const one = '22047.964800000000';
    const plain = await load('replace');
    expect(plain).toEqual({ rows: 130_000, compression: ['Uncompressed'], setting: '', total: one });
    const compact = await load('replace', 0);
    expect(compact.compression).not.toContain('Uncompressed');
    expect(compact).toMatchObject({ rows: 130_000, setting: '', total: one });
    // Appended to the 130,000 rows kept, the file passes a limit of 150,000 that it alone would not.
    await load('replace');
    const appended = await load('append', 150_000);
    expect(appended.compression).not.toContain('Uncompressed');
    expect(appended).toMatchObject({ rows: 130_000, setting: '', total: '44095.929600000000' });
  });

  it('a CSV cut into slices between rows loads as one: rows numbered across slices, no quoted field split', async () => {
    // A quoted note spans a line break near every cut; a malformed line sits in a later slice.
    const lines = Array.from({ length: 2000 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      if (i === 1200) return `2026-03-${day}T00:00:00Z,gemini-3-pro-image,1K,too,many`;
      const note = i % 37 === 0 ? '"two\nlines, quoted"' : `row ${i}`;
      return `2026-03-${day}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},${note}`;
    });
    const text = `timestamp,model,image_size,note\n${lines.join('\n')}\n`;
    const sniffed = await sniffBlob('sliced.csv', new Blob([text]), { sliceBytes: 8192 });
    expect(sniffed.kind === 'delimited' && sniffed.parts.length).toBeGreaterThan(8);
    // No sliver: a tail shorter than a quarter of a slice stays with the slice before it.
    const sizes = sniffed.kind === 'delimited' ? sniffed.parts.map((p) => (p as Blob).size) : [];
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(8192 / 4);
    const justOver = await sniffBlob('sliced.csv', new Blob([text]), { sliceBytes: text.length - 1000 });
    expect(justOver.kind === 'delimited' && justOver.parts.length).toBe(1);
    const whole = await figures({ name: 'sliced.csv', bytes: new TextEncoder().encode(text) });
    const sliced = await figures({ name: 'sliced.csv', bytes: new Blob([text]) }, 8192);
    expect(sliced).toEqual(whole);
    const [rejects] = await engine.query<{ rows: string }>(`SELECT string_agg(source_row::VARCHAR, ',' ORDER BY source_row) AS rows FROM load_rejects`);
    expect(rejects!.rows).toBe('1201');
    expect(whole.diagnostics[0]).toMatchObject({ rowsRead: 2000, rowsAccepted: 1999, rowsRejected: 1 });
    // 1,999 requests of 1K, 2K and 4K in turn (row 1201, a 1K, is rejected): 666 + 667 at $0.1344, 666 at $0.24.
    expect(whole.total).toBe('338.995200000000');
  });

  it('a CSV without quotes is cut between rows too, whatever the size of the chunks it is read in', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      i === 1500 ? '2026-03-01T00:00:00Z,gemini-3-pro-image,1K,too,many' : `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},row ${i}`);
    const text = `timestamp,model,image_size,note\n${lines.join('\n')}\n`;
    const whole = await figures({ name: 'plain.csv', bytes: new TextEncoder().encode(text) });
    for (const chunk of [1, 1000, 65_536]) {
      // A Blob read as a stream of `chunk`-byte pieces: a cut can fall at a chunk's first or last line end.
      const blob = new Blob([text]);
      const bytes = new TextEncoder().encode(text);
      Object.defineProperty(blob, 'stream', {
        value: () => new ReadableStream<Uint8Array>({
          start(c) {
            for (let at = 0; at < bytes.length; at += chunk) c.enqueue(bytes.slice(at, at + chunk));
            c.close();
          },
        }),
      });
      const sniffed = await sniffBlob('plain.csv', blob, { sliceBytes: 8192 });
      // "row 12" holds a space inside a field, wherever the chunks cut it: no field needs a trim.
      expect(sniffed.kind === 'delimited' && sniffed.padded).toBe(false);
      const parts = sniffed.kind === 'delimited' ? (sniffed.parts as Blob[]) : [];
      expect(parts.length).toBeGreaterThan(8);
      // Every slice after the first is the header and whole rows.
      for (const part of parts.slice(1)) expect(await part.text()).toMatch(/^timestamp,model,image_size,note\n(2026-03-\d\dT00:00:00Z,gemini-3-pro-image,[124]K,(row \d+|too,many)\n)+$/);
      expect((await Promise.all(parts.map((p) => p.text()))).map((t, i) => (i === 0 ? t : t.slice(t.indexOf('\n') + 1))).join('')).toBe(text);
      expect(await figures({ name: 'plain.csv', bytes: blob }, 8192)).toEqual(whole);
      const [rejects] = await engine.query<{ rows: string }>(`SELECT string_agg(source_row::VARCHAR, ',') AS rows FROM load_rejects`);
      expect(rejects!.rows).toBe('1501');
    }
  });

  it('fields are trimmed when a space or text outside ASCII pads one anywhere in the file; a file with none is read untrimmed', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},row ${i}`);
    const clean = `timestamp,model,image_size,note\n${lines.join('\n')}\n`;
    // Late in the file, in the last slices: a Unicode space after a size, ASCII spaces around a model and a size.
    lines[1700] = lines[1700]!.replace(',4K,', ',4K\u00a0,');
    lines[1900] = lines[1900]!.replace(',gemini-3-pro-image,2K,', ', gemini-3-pro-image , 2K ,');
    const padded = `timestamp,model,image_size,note\n${lines.join('\n')}\n`;
    const scanned = async (text: string) => {
      const sniffed = await sniffBlob('f.csv', new Blob([text]), { sliceBytes: 8192 });
      return sniffed.kind === 'delimited' && sniffed.padded;
    };
    expect([await scanned(clean), await scanned(padded)]).toEqual([false, true]);
    // 667 requests each at 1K and 2K ($0.1344), 666 at 4K ($0.24), in both files.
    for (const text of [clean, padded]) {
      const sliced = await figures({ name: 'f.csv', bytes: new Blob([text]) }, 8192);
      expect(sliced).toMatchObject({ total: '339.129600000000', requests: 2000 });
      expect(sliced.diagnostics[0]).toMatchObject({ rowsRead: 2000, rowsAccepted: 2000, rowsRejected: 0 });
      expect(await figures({ name: 'f.csv', bytes: new TextEncoder().encode(text) })).toEqual(sliced);
    }
    const [models] = await engine.query<{ models: string }>(`SELECT string_agg(DISTINCT model_raw, '|') AS models FROM requests`);
    expect(models!.models).toBe('gemini-3-pro-image');
  });

  /** A CSV written as Parquet by native DuckDB in row groups of `groupRows` rows. */
  async function parquetOf(text: string, groupRows: number) {
    const dir = mkdtempSync(join(tmpdir(), 'pq-chunks-'));
    const native = await openNativeEngine({ threads: 1 });
    try {
      writeFileSync(join(dir, 'in.csv'), text);
      await native.exec(`COPY (SELECT * FROM read_csv('${join(dir, 'in.csv')}', all_varchar = true, header = true))
        TO '${join(dir, 'out.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE ${groupRows})`);
      const [meta] = await native.query<{ groups: number }>(`SELECT count(DISTINCT row_group_id)::INTEGER AS groups FROM parquet_metadata('${join(dir, 'out.parquet')}')`);
      return { bytes: readFileSync(join(dir, 'out.parquet')), groups: meta!.groups };
    } finally {
      await native.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Loads `file` with Parquet decoded `chunkRows` at a time, noting the chunks the engine was asked to show. */
  async function chunkedFigures(file: LogFile, chunkRows?: number) {
    const shown: (number | 'all')[] = [];
    let chunks = 0;
    const watched: Engine = {
      ...engine,
      query: engine.query.bind(engine),
      exec: engine.exec.bind(engine),
      attachParquet: async (name, contents, options) => ({ chunks } = await engine.attachParquet(name, contents, options)),
      readParquetChunk: async (name, chunk) => {
        shown.push(chunk);
        await engine.readParquetChunk(name, chunk);
      },
    };
    const diagnostics = await ingestFiles(watched, [file], { mode: 'replace', today: '2026-12-01', parquetChunkRows: chunkRows });
    await reprice(engine);
    const report = await buildReport(engine);
    const [rows] = await engine.query<{ rejects: string; numbered: number; matching: number }>(`
      SELECT (SELECT string_agg(source_row::VARCHAR, ',' ORDER BY source_row) FROM load_rejects) AS rejects,
        count(*) FILTER (WHERE request_id = ${`'${file.name}#'`} || source_row)::INTEGER AS numbered,
        count(*) FILTER (WHERE attributes['note'] = 'row ' || (source_row - 1))::INTEGER AS matching FROM requests`);
    return { figures: { diagnostics, total: formatExact(report.totalCost), requests: report.requests, ...rows }, chunks, shown };
  }

  it('a Parquet file of many row groups is decoded a chunk at a time: rows numbered across chunks, figures as decoded whole', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      return `${i === 5000 || i === 10_000 ? 'not a date' : `2026-03-${day}T00:00:00Z`},gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},row ${i}`;
    });
    const { bytes, groups } = await parquetOf(`timestamp,model,image_size,note\n${lines.join('\n')}\n`, 2048);
    expect(groups).toBeGreaterThanOrEqual(5);
    const whole = await chunkedFigures({ name: 'groups.parquet', bytes });
    expect([whole.chunks, whole.shown]).toEqual([1, []]);
    const chunked = await chunkedFigures({ name: 'groups.parquet', bytes: new Blob([bytes]) }, 4096);
    expect(chunked.chunks).toBeGreaterThanOrEqual(3);
    // Chunk 0 is shown as the file is opened; validation reads each later one once, in order.
    expect(chunked.shown).toEqual(Array.from({ length: chunked.chunks - 1 }, (_, k) => k + 1));
    expect(chunked.figures).toEqual(whole.figures);
    // Rows 5001 (a 4K) and 10001 (a 2K) rejected: 4,000 at 1K and 3,999 at 2K ($0.1344), 3,999 at 4K ($0.24).
    expect(whole.figures).toMatchObject({ total: '2034.825600000000', requests: 11_998, rejects: '5001,10001', numbered: 11_998, matching: 11_998 });
    expect(whole.figures.diagnostics[0]).toMatchObject({ format: 'parquet', rowsRead: 12_000, rowsAccepted: 11_998, rowsRejected: 2 });
    // Each chunk is dropped with the file: nothing of it is left in the engine.
    expect(await engine.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'raw_%' UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'raw_%'`)).toEqual([]);
  });

  it('a per-attempt Parquet log in many chunks is rolled up from every row at once', async () => {
    // 3,000 requests of two attempts each, every first attempt before every second: a request's rows lie in different chunks.
    const lines = [1, 2].flatMap((attempt) => Array.from({ length: 3000 }, (_, i) =>
      `req-${i},${attempt},2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]}`));
    const { bytes } = await parquetOf(`request_id,attempt,timestamp,model,image_size\n${lines.join('\n')}\n`, 2048);
    const whole = await chunkedFigures({ name: 'attempts.parquet', bytes });
    const chunked = await chunkedFigures({ name: 'attempts.parquet', bytes }, 2048);
    expect(chunked.chunks).toBeGreaterThanOrEqual(3);
    expect(chunked.shown).toEqual(['all']);
    expect(chunked.figures).toEqual(whole.figures);
    expect(whole.figures.diagnostics[0]).toMatchObject({ rowsRead: 6000, rowsAccepted: 6000, rowsRejected: 0 });
    // Two billed attempts each: 1,000 requests each of 1K and 2K ($0.1344 × 2) and 4K ($0.24 × 2).
    expect(whole.figures).toMatchObject({ requests: 3000, total: '1017.600000000000' });
  });

  it.each([
    ['wasm', false], ['native', false], ['wasm', true], ['native', true],
  ] as const)('%s, quotes %s: a CSV is counted as it is validated; rows after malformed lines keep their numbers and ids; a quote never closed is counted', async (kind, quoted) => {
    const lines = Array.from({ length: 2000 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      if (i === 1200) return `2026-03-${day}T00:00:00Z,gemini-3-pro-image,1K,too,many`;
      if (i === 1500) return `2026-03-${day}T00:00:00Z,gemini-3-pro-image`;
      return `2026-03-${day}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},row ${i}`;
    });
    // The last line's note opens a quote it never closes: the row is kept, its note counted (a quote
    // anywhere else would change the dialect the sniffer finds for the slice: see the test above).
    if (quoted) lines.push('2026-03-01T00:00:00Z,gemini-3-pro-image,1K,"never closed');
    const text = `timestamp,model,image_size,note\n${lines.join('\n')}\n`;
    const on = kind === 'native' ? await openNativeEngine({ threads: 2 }) : engine;
    try {
      if (on !== engine) await applyRates(on, bundledRates());
      for (const [bytes, sliceBytes] of [[new TextEncoder().encode(text), undefined], [new Blob([text]), 8192]] as const) {
        const [d] = await ingestFiles(on, [{ name: 'plain.csv', bytes }], { mode: 'replace', today: '2026-12-01', sliceBytes });
        expect(d).toMatchObject(quoted ? { rowsRead: 2001, rowsAccepted: 1999, rowsRejected: 2 } : { rowsRead: 2000, rowsAccepted: 1998, rowsRejected: 2 });
        expect(d!.warnings.filter((w) => w.from.includes('quote')).map((w) => [w.column, Number(w.rows)])).toEqual(quoted ? [['note', 1]] : []);
        await reprice(on);
        // Rows 1201 and 1501 (both 1K) rejected: 665 at 1K and 667 at 2K ($0.1344), 666 at 4K ($0.24); the unclosed row a 1K.
        expect(formatExact((await buildReport(on)).totalCost)).toBe(quoted ? '338.995200000000' : '338.860800000000');
        const [rejects] = await on.query<{ rows: string }>(`SELECT string_agg(source_row::VARCHAR, ',' ORDER BY source_row) AS rows FROM load_rejects`);
        expect(rejects!.rows).toBe('1201,1501');
        // With no request id in the log, a request's id is its file and row: the note says which row it was.
        const [ids] = await on.query<{ numbered: number; matching: number }>(`
          SELECT count(*) FILTER (WHERE request_id = 'plain.csv#' || source_row) AS numbered,
                 count(*) FILTER (WHERE attributes['note'] = 'row ' || (source_row - 1)) AS matching FROM requests`);
        expect([Number(ids!.numbered), Number(ids!.matching)]).toEqual([quoted ? 1999 : 1998, 1998]);
      }
    } finally {
      if (on !== engine) await on.close();
    }
  });
});
