import { createHash } from 'node:crypto';
import { copyFileSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { fitsInMemory, logSize, openLogFile, openNativeEngine, parseSize } from '../../src/node/native-engine';
import { openNodeEngine } from '../../src/db/node-engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { reportToJson } from '../../src/domain/report';
import { bundledRates } from '../support/rates';

/**
 * The browser's engine (DuckDB-WASM) and the CLI's (native DuckDB) run the same SQL builders
 * on the same files and must give the same report, byte for byte, filtered and not.
 */
describe('native DuckDB = DuckDB-WASM', () => {
  const files = [
    { name: 'requests.csv', bytes: readFileSync('data/sample/requests.csv') },
    { name: 'hostile.csv', bytes: readFileSync('test/fixtures/logs/hostile.csv') },
  ];
  const rates = bundledRates();
  let wasm: Engine;
  // The log in a file (a log too large for memory) and in memory (the CLI given these small files).
  const natives: Record<'file' | 'plain', Engine> = {} as never;

  beforeAll(async () => {
    wasm = await openNodeEngine();
    natives.file = await openNativeEngine({ threads: 2 });
    natives.plain = await openNativeEngine({ threads: 2, logs: ['data/sample/requests.csv', 'test/fixtures/logs/hostile.csv'] });
    for (const engine of [wasm, natives.file, natives.plain]) {
      await ingestFiles(engine, files, { mode: 'replace' });
      await applyRates(engine, rates);
    }
  });
  afterAll(async () => {
    await wasm.close();
    for (const native of Object.values(natives)) await native.close();
  });

  it('keeps the log in memory or in a file, as it was opened', async () => {
    const where = (engine: Engine) => engine.query<{ path: string | null }>(`SELECT path FROM duckdb_databases() WHERE database_name = 'store'`);
    expect(await where(natives.plain)).toEqual([{ path: null }]);
    expect(await where(natives.file)).toEqual([{ path: expect.stringMatching(/store\.duckdb$/) }]);
  });

  describe.each(['file', 'plain'] as const)('the log in %s', (store) => {
    it.each([
      ['the whole log', {}],
      ['one model and a date range', { models: ['gemini-3-pro-image'], from: '2026-07-01', to: '2026-07-20' }],
    ])('identical report JSON: %s', async (_, filters) => {
      const fromWasm = reportToJson(await buildReport(wasm, { filters }));
      const fromNative = reportToJson(await buildReport(natives[store], { filters }));
      expect(fromWasm.requests).toBeGreaterThan(0);
      expect(JSON.stringify(fromNative, null, 1)).toBe(JSON.stringify(fromWasm, null, 1));
    });

    it('identical diagnostics and rejected rows', async () => {
      const sql = `SELECT source_file, source_row, "column", value, reason FROM load_rejects ORDER BY ALL`;
      const rejectsWasm = await wasm.query(sql);
      expect(rejectsWasm.length).toBeGreaterThan(0);
      expect(await natives[store].query(sql)).toEqual(rejectsWasm);
      const files = `SELECT * FROM load_files ORDER BY ALL`;
      expect(await natives[store].query(files)).toEqual(await wasm.query(files));
    });
  });
});

describe('where native DuckDB keeps a log', () => {
  it('reads DuckDB\'s memory limit as it prints it', () => {
    expect(parseSize('18.8 GiB')).toBe(18.8 * 2 ** 30);
    expect(parseSize('500.0 MiB')).toBe(500 * 2 ** 20);
    expect(parseSize('4.0 GB')).toBe(4e9);
    expect(parseSize('931.3 GiB')).toBe(931.3 * 2 ** 30);
    expect(parseSize('1024 bytes')).toBeNaN();
    expect(parseSize('')).toBeNaN();
  });

  it('holds logs in memory up to half the limit, a compressed byte counted as four text bytes', () => {
    const gib = 2 ** 30;
    // 8 GiB of memory: 512 MiB of CSV is estimated at 4 GiB, 128 MiB of Parquet too.
    expect(fitsInMemory([{ bytes: 512 * 2 ** 20, compressed: false }], 8 * gib)).toBe(true);
    expect(fitsInMemory([{ bytes: 512 * 2 ** 20 + 1, compressed: false }], 8 * gib)).toBe(false);
    expect(fitsInMemory([{ bytes: 128 * 2 ** 20, compressed: true }], 8 * gib)).toBe(true);
    expect(fitsInMemory([{ bytes: 128 * 2 ** 20 + 1, compressed: true }], 8 * gib)).toBe(false);
    // Several logs are counted together.
    expect(fitsInMemory([{ bytes: 256 * 2 ** 20, compressed: false }, { bytes: 64 * 2 ** 20, compressed: true }], 8 * gib)).toBe(true);
    expect(fitsInMemory([{ bytes: 256 * 2 ** 20, compressed: false }, { bytes: 64 * 2 ** 20 + 1, compressed: true }], 8 * gib)).toBe(false);
    // A limit that could not be read keeps the log in a file.
    expect(fitsInMemory([{ bytes: 1, compressed: false }], NaN)).toBe(false);
  });

  it('knows a compressed log by its first bytes, not its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-size-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const as = (from: string, name: string) => {
      copyFileSync(from, join(dir, name));
      return logSize(join(dir, name));
    };
    expect(as('test/fixtures/logs/requests.parquet', 'export')).toEqual({ bytes: 834, compressed: true });
    expect(as('test/fixtures/logs/hostile.csv.gz', 'hostile.log')).toEqual({ bytes: 321, compressed: true });
    expect(as('test/fixtures/logs/hostile.csv', 'hostile.parquet')).toEqual({ bytes: lstatSync('test/fixtures/logs/hostile.csv').size, compressed: false });
  });

  it('in a file when the logs would take more than half its memory limit', async () => {
    // The sample is 6.8 MB, estimated at 54 MB: over half of 100 MB.
    const small = await openNativeEngine({ logs: ['data/sample/requests.csv'], memoryLimit: '200MB' });
    const tight = await openNativeEngine({ logs: ['data/sample/requests.csv'], memoryLimit: '100MB' });
    try {
      expect([small.store, tight.store]).toEqual(['plain', 'file']);
    } finally {
      await small.close();
      await tight.close();
    }
  });
});

describe('row numbers on native DuckDB', () => {
  it('are the file\'s, around malformed lines, when the file is read on several threads', async () => {
    // The sample's rows sixteen times (≈ 115 MB, several of the reader's buffers) with a short line
    // and a long one among them: native DuckDB copies the file in parallel and numbers rows by the
    // copy's row ids, DuckDB-WASM by ROW_NUMBER() as it streams; every row must get the same number
    // (with the copy's insertion order not kept, `preserve_insertion_order = false`, they differ).
    const sample = readFileSync('data/sample/requests.csv', 'utf8');
    const [header, ...rows] = sample.trimEnd().split('\n');
    const copies = Array.from({ length: 16 }, () => rows).flat();
    copies.splice(150_001, 0, 'short,line');
    copies.splice(310_002, 0, Array.from({ length: 40 }, (_, i) => i).join(','));
    const big = new TextEncoder().encode(`${header}\n${copies.join('\n')}\n`);
    // Native DuckDB reads it as the CLI does, from a Blob cut into slices (here of 32 MiB, so the two
    // malformed lines fall in different slices), DuckDB-WASM from one buffer.
    const rowsOf = async (engine: Engine, sliced: boolean) => {
      const bytes = sliced ? new Blob([big]) : big.slice();
      await ingestFiles(engine, [{ name: 'big.csv', bytes }], { mode: 'replace', today: '2026-12-01', sliceBytes: sliced ? 32 * 1024 * 1024 : undefined });
      return {
        rows: await engine.query(`SELECT count(*)::BIGINT AS n, max(source_row) AS last, sum(hash(source_row || '/' || request_id) % 1000003)::BIGINT AS signature FROM requests`),
        rejects: await engine.query(`SELECT source_row, "column", reason FROM load_rejects ORDER BY ALL`),
      };
    };
    const wasm = await openNodeEngine();
    const native = await openNativeEngine({ threads: 2 });
    try {
      const fromWasm = await rowsOf(wasm, false);
      expect(fromWasm.rows).toEqual([expect.objectContaining({ n: 800_000, last: 800_002 })]);
      expect(fromWasm.rejects.map((r) => r.source_row)).toEqual([150_002, 310_003]);
      expect(await rowsOf(native, true)).toEqual(fromWasm);
    } finally {
      await wasm.close();
      await native.close();
    }
  });
});

describe('a usage cube written by the CLI', () => {
  it('opens in the browser engine with the same report as the log it came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cube-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'cube.parquet');
    const rates = bundledRates();
    const native = await openNativeEngine();
    await ingestFiles(native, [{ name: 'requests.csv', bytes: readFileSync('data/sample/requests.csv') }], { mode: 'replace' });
    await applyRates(native, rates);
    await native.exec(`COPY (SELECT * FROM usage_cube ORDER BY ALL) TO '${out}' (FORMAT parquet)`);
    const fromLog = reportToJson(await buildReport(native, { filters: { jobTypes: ['final'] } }));
    await native.close();

    const wasm = await openNodeEngine();
    const [d] = await ingestFiles(wasm, [{ name: 'cube.parquet', bytes: readFileSync(out) }], { mode: 'replace' });
    expect(d!.format).toMatch(/^usage cube \(parquet\): \d+ cells$/);
    expect(d!.rowsRead).toBe(50_000);
    await applyRates(wasm, rates);
    const fromCube = reportToJson(await buildReport(wasm, { filters: { jobTypes: ['final'] } }));
    expect(fromCube).toEqual(fromLog);
    expect(fromCube.total_cost).toBeGreaterThan(0);
    // Logs cannot be added to a summary, and a cube opens alone.
    await expect(ingestFiles(wasm, [{ name: 'more.csv', bytes: readFileSync('test/fixtures/logs/hostile.csv') }], { mode: 'append' })).rejects.toThrow(/usage cube is open/);
    await wasm.close();
  });
});

describe('logs on disk (the CLI)', () => {
  const rates = bundledRates();
  it('are read where they lie, never written, and give what their bytes give; a slice of one is copied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'on-disk-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const logs = ['hostile.csv', 'tabs.tsv', 'requests.parquet'].map((name) => {
      copyFileSync(`test/fixtures/logs/${name}`, join(dir, name));
      return join(dir, name);
    });
    const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = logs.map(digest);
    const native = await openNativeEngine({ threads: 2 });
    const wasm = await openNodeEngine();
    try {
      const [folder] = await native.query<{ path: string }>(`SELECT current_setting('file_search_path') AS path`);
      const whole = await openLogFile(logs[0]!);
      await native.registerFile('linked.csv', whole);
      await native.registerFile('copied.csv', whole.slice(0, 100));
      expect(lstatSync(join(folder!.path, 'linked.csv')).isSymbolicLink()).toBe(true);
      expect(lstatSync(join(folder!.path, 'copied.csv')).isSymbolicLink()).toBe(false);
      await native.dropFile('linked.csv');

      const fromDisk = await ingestFiles(native, await Promise.all(logs.map(async (path) => ({ name: path.split('/').pop()!, bytes: await openLogFile(path) }))), { mode: 'replace', today: '2026-12-01' });
      const fromBytes = await ingestFiles(wasm, logs.map((path) => ({ name: path.split('/').pop()!, bytes: readFileSync(path) })), { mode: 'replace', today: '2026-12-01' });
      expect(fromDisk).toEqual(fromBytes);
      expect(fromDisk.map((d) => d.rowsAccepted).every((n) => n > 0)).toBe(true);
      expect(fromDisk.some((d) => d.rowsRejected > 0)).toBe(true);
      for (const engine of [native, wasm]) await applyRates(engine, rates);
      expect(reportToJson(await buildReport(native))).toEqual(reportToJson(await buildReport(wasm)));
    } finally {
      await native.close();
      await wasm.close();
    }
    // Closing the engine removed its folder and the links in it, not what they pointed to.
    expect(logs.map(digest)).toEqual(before);
  });
});
