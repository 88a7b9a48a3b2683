import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { openNativeEngine } from '../../src/node/native-engine';
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
  let native: Engine;

  beforeAll(async () => {
    wasm = await openNodeEngine();
    native = await openNativeEngine({ threads: 2 });
    for (const engine of [wasm, native]) {
      await ingestFiles(engine, files, { mode: 'replace' });
      await applyRates(engine, rates);
    }
  });
  afterAll(async () => {
    await wasm.close();
    await native.close();
  });

  it.each([
    ['the whole log', {}],
    ['one model and a date range', { models: ['gemini-3-pro-image'], from: '2026-07-01', to: '2026-07-20' }],
  ])('identical report JSON: %s', async (_, filters) => {
    const fromWasm = reportToJson(await buildReport(wasm, { filters }));
    const fromNative = reportToJson(await buildReport(native, { filters }));
    expect(fromWasm.requests).toBeGreaterThan(0);
    expect(JSON.stringify(fromNative, null, 1)).toBe(JSON.stringify(fromWasm, null, 1));
  });

  it('identical diagnostics and rejected rows', async () => {
    const sql = `SELECT source_file, source_row, "column", value, reason FROM load_rejects ORDER BY ALL`;
    const rejectsWasm = await wasm.query(sql);
    expect(rejectsWasm.length).toBeGreaterThan(0);
    expect(await native.query(sql)).toEqual(rejectsWasm);
    const files = `SELECT * FROM load_files ORDER BY ALL`;
    expect(await native.query(files)).toEqual(await wasm.query(files));
  });
});

describe('a usage cube written by the CLI', () => {
  it('opens in the browser engine with the same report as the log it came from', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'cube-')), 'cube.parquet');
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
