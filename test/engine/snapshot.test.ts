import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadExplorerPage, loadFilterOptions, loadSpendOverTime } from '../../src/db/dashboard';
import type { Engine } from '../../src/db/engine';
import { computeFirstFigures, type FirstFigures } from '../../src/db/first-figures';
import { ingestFiles, NotALogError, openSnapshot, SNAPSHOT_PRICED, type FileDiagnostics } from '../../src/db/ingest/ingest';
import { openNodeEngine } from '../../src/db/node-engine';
import { buildReport } from '../../src/db/report';
import { buildRateTablesSql } from '../../src/db/rates';
import { Session } from '../../src/db/session';
import { buildPricedCubeSql, buildPriceKeysSql } from '../../src/db/sql/pricing';
import { applyRates, pricingFingerprint } from '../../src/db/workspace';
import { resolveActiveRates } from '../../src/hooks/use-active-rates';
import { parseUsd } from '../../src/domain/money';
import { DEFAULT_BATCH_ELIGIBLE, reportToJson } from '../../src/domain/report';
import { parseTagged } from '../../src/domain/tagged-json';
import { openNativeEngine } from '../../src/node/native-engine';
import { writeSnapshot } from '../../src/node/snapshot';
import { buildSampleSnapshot } from '../../scripts/lib/sample-snapshot';
import { bundledRates } from '../support/rates';

/**
 * A snapshot (a load's validated rows, load tables and diagnostics in a DuckDB file, written by
 * native DuckDB) opens in the browser's engine as the same log: the same diagnostics, rejected
 * rows, report and rows as reading and checking the files there.
 */
describe('snapshots', () => {
  const today = '2026-12-01';
  const files = () => [
    { name: 'requests.csv', bytes: new Uint8Array(readFileSync('data/sample/requests.csv')) },
    { name: 'hostile.csv', bytes: new Uint8Array(readFileSync('test/fixtures/logs/hostile.csv')) },
  ];
  const rates = bundledRates();
  let snapshot: Uint8Array;
  let read: Engine;
  let opened: Engine;
  let readDiagnostics: FileDiagnostics[];
  let openedDiagnostics: FileDiagnostics[];

  /** The ingest module as a new tab (or the CLI) has it: its table names numbered from the start. */
  const freshIngest = async () => {
    vi.resetModules();
    return import('../../src/db/ingest/ingest');
  };

  beforeAll(async () => {
    const native = await openNativeEngine();
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-test-'));
    const path = join(dir, 'log.duckdb');
    await writeSnapshot(native, path, await (await freshIngest()).ingestFiles(native, files(), { mode: 'replace', today }), rates);
    await native.close();
    snapshot = new Uint8Array(readFileSync(path));
    rmSync(dir, { recursive: true, force: true });
    read = await openNodeEngine();
    readDiagnostics = await ingestFiles(read, files(), { mode: 'replace', today });
    await applyRates(read, rates);
    opened = await openNodeEngine();
    // Opened without the session's rates: its log only, priced here.
    const { diagnostics, priced } = await openSnapshot(opened, { name: 'log.duckdb', bytes: snapshot.slice() });
    expect(priced).toBe(false);
    openedDiagnostics = diagnostics;
    await applyRates(opened, rates);
  });
  afterAll(async () => {
    await read.close();
    await opened.close();
  });

  /** Each priced table's rows, as text (its money is DECIMAL), in order. */
  const storedTables = async (engine: Engine) => {
    const tables: Record<string, unknown> = {};
    for (const t of SNAPSHOT_PRICED) {
      [tables[t]] = await engine.query(`SELECT count(*)::INTEGER AS n, md5(COALESCE(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), '')) AS rows FROM ${t} t`);
    }
    return tables;
  };

  /** An engine that keeps the text of every statement it runs. */
  const recording = (engine: Engine) => {
    const statements: string[] = [];
    const wrapped: Engine = Object.create(engine);
    wrapped.exec = (sql) => (statements.push(sql), engine.exec(sql));
    wrapped.query = (sql, params) => (statements.push(sql), engine.query(sql, params));
    return { engine: wrapped, statements };
  };
  const pricingRan = (statements: string[]) => [buildRateTablesSql(), buildPriceKeysSql(), buildPricedCubeSql()].some((s) => statements.includes(s));

  it('opens priced, running no pricing, where the session\'s rates are those it was priced with', async () => {
    const engine = await openNodeEngine();
    const { engine: watched, statements } = recording(engine);
    try {
      const session = new Session(watched);
      const diagnostics = await session.openSnapshot({ name: 'log.duckdb', bytes: snapshot.slice() }, { rates: bundledRates() });
      expect(diagnostics).toEqual(readDiagnostics);
      expect(statements.length).toBeGreaterThan(0);
      expect(pricingRan(statements)).toBe(false);
      expect(await storedTables(engine)).toEqual(await storedTables(read));
      for (const filters of [{}, { models: ['gemini-3-pro-image'], from: '2026-07-01', to: '2026-07-20' }]) {
        expect(JSON.stringify(reportToJson(await buildReport(engine, { filters })))).toBe(JSON.stringify(reportToJson(await buildReport(read, { filters }))));
      }
      const page = { sort: [{ id: 'cost', desc: true }], columnFilters: [], search: '', pageIndex: 3, pageSize: 50 };
      expect(await loadExplorerPage(engine, {}, page)).toEqual(await loadExplorerPage(read, {}, page));
    } finally {
      await engine.close();
    }
  });

  it('prices a snapshot afresh when the rates differ from its own', async () => {
    const overridden = bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.1K', value: '0.07' }] });
    expect(pricingFingerprint(overridden)).not.toBe(pricingFingerprint(rates));
    const before = reportToJson(await buildReport(read, {})).total_cost;
    const engine = await openNodeEngine();
    const { engine: watched, statements } = recording(engine);
    try {
      await new Session(watched).openSnapshot({ name: 'log.duckdb', bytes: snapshot.slice() }, { rates: overridden });
      expect(pricingRan(statements)).toBe(true);
      await applyRates(read, overridden);
      const report = reportToJson(await buildReport(engine, {}));
      expect(report.total_cost).not.toBe(before);
      expect(JSON.stringify(report)).toBe(JSON.stringify(reportToJson(await buildReport(read, {}))));
      expect(await storedTables(engine)).toEqual(await storedTables(read));
    } finally {
      await applyRates(read, rates);
      await engine.close();
    }
  });

  it('re-prices a snapshot opened priced in place when the rates change after, to what pricing from scratch gives', async () => {
    const overridden = bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.1K', value: '0.07' }] });
    const engine = await openNodeEngine();
    try {
      const session = new Session(engine);
      await session.openSnapshot({ name: 'log.duckdb', bytes: snapshot.slice() }, { rates });
      const { engine: watched, statements } = recording(engine);
      // The snapshot does not say what priced it: every key is priced again, only the changed ones' cells.
      await applyRates(watched, overridden);
      expect(statements.some((sql) => sql.startsWith('DELETE FROM priced_cube'))).toBe(true);
      expect(statements.some((sql) => sql.includes('CREATE OR REPLACE TEMP TABLE priced_cube'))).toBe(false);
      await applyRates(read, overridden);
      expect(JSON.stringify(reportToJson(await buildReport(engine, {})))).toBe(JSON.stringify(reportToJson(await buildReport(read, {}))));
      expect(await storedTables(engine)).toEqual(await storedTables(read));
    } finally {
      await applyRates(read, rates);
      await engine.close();
    }
  });

  it('opens with the diagnostics, rejected rows and warnings of reading the files', async () => {
    expect(openedDiagnostics.map((d) => [d.file, d.rowsRead, d.rowsRejected])).toEqual([['requests.csv', 50_000, 0], ['hostile.csv', readDiagnostics[1]!.rowsRead, readDiagnostics[1]!.rowsRejected]]);
    expect(readDiagnostics[1]!.rowsRejected).toBeGreaterThan(0);
    expect(openedDiagnostics).toEqual(readDiagnostics);
    for (const table of ['load_rejects', 'load_warnings', 'load_files']) {
      const sql = `SELECT * FROM ${table} ORDER BY ALL`;
      expect(await opened.query(sql), table).toEqual(await read.query(sql));
    }
  });

  it('gives the same report and the same rows', async () => {
    for (const filters of [{}, { models: ['gemini-3-pro-image'], from: '2026-07-01', to: '2026-07-20' }]) {
      const expected = reportToJson(await buildReport(read, { filters }));
      expect(expected.requests).toBeGreaterThan(0);
      expect(JSON.stringify(reportToJson(await buildReport(opened, { filters })))).toBe(JSON.stringify(expected));
    }
    const page = { sort: [{ id: 'cost', desc: true }], columnFilters: [], search: '', pageIndex: 3, pageSize: 50 };
    expect(await loadExplorerPage(opened, {}, page)).toEqual(await loadExplorerPage(read, {}, page));
  });

  it('takes loads appended after it, whose parts never take its parts\' names', async () => {
    const engine = await openNodeEngine();
    // A new tab numbers its parts from the start, as the session that wrote the snapshot did.
    const { ingestFiles, openSnapshot } = await freshIngest();
    try {
      const more = () => [{ name: 'more.csv', bytes: new TextEncoder().encode('timestamp,model\n2026-03-01T00:00:00Z,gemini-3-pro-image\n') }];
      const accepted = readDiagnostics.reduce((n, d) => n + d.rowsAccepted, 0);
      const counts = () => engine.query<{ rows: number; files: number }>('SELECT count(*)::INTEGER AS rows, count(DISTINCT source_file)::INTEGER AS files FROM requests');
      for (const name of ['log.duckdb', 'again.duckdb']) {
        await openSnapshot(engine, { name, bytes: snapshot.slice() }, pricingFingerprint(rates));
        await ingestFiles(engine, more(), { mode: 'append', today });
        expect(await counts(), name).toEqual([{ rows: accepted + 1, files: 3 }]);
      }
    } finally {
      await engine.close();
    }
  });

  it('refuses a file that is not a snapshot and leaves the data as it was', async () => {
    const before = JSON.stringify(reportToJson(await buildReport(opened, {})));
    const native = await openNativeEngine();
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-test-'));
    const path = join(dir, 'other.duckdb');
    await native.exec(`ATTACH '${path}' AS other; CREATE TABLE other.t AS SELECT 1 AS x; DETACH other`);
    await native.close();
    const bytes = new Uint8Array(readFileSync(path));
    rmSync(dir, { recursive: true, force: true });
    await expect(openSnapshot(opened, { name: 'other.duckdb', bytes }))
      .rejects.toThrow(new NotALogError('other.duckdb', 'a DuckDB database, but not a PixelSpend snapshot: it has no load diagnostics'));
    await expect(openSnapshot(opened, { name: 'requests.csv', bytes: files()[0]!.bytes })).rejects.toThrow(/requests\.csv: not a PixelSpend snapshot \(/);
    await applyRates(opened, rates);
    expect(JSON.stringify(reportToJson(await buildReport(opened, {})))).toBe(before);
  });

  it('the bundled sample\'s snapshot (built with the app) is the sample CSV, read in the browser\'s engine', async () => {
    const fromSnapshot = await openNodeEngine();
    const fromCsv = await openNodeEngine();
    try {
      // A first visit's rates: what start-up prices with, so the sample opens priced.
      const firstVisit = resolveActiveRates({ userCards: [], variants: {}, overrides: [] }).rates!;
      const { engine: watched, statements } = recording(fromSnapshot);
      const session = new Session(watched);
      const built = await buildSampleSnapshot();
      const [diagnostics] = (await session.openSnapshot({ name: 'sample-requests.csv', bytes: built.bytes }, { rates: firstVisit, asDefault: true }))!;
      expect(diagnostics).toEqual((await ingestFiles(fromCsv, [{ name: 'sample-requests.csv', bytes: files()[0]!.bytes }], { mode: 'replace' }))[0]);
      expect(diagnostics).toMatchObject({ format: 'csv', rowsRead: 50_000, rowsAccepted: 50_000 });
      expect(pricingRan(statements)).toBe(false);
      await applyRates(fromCsv, firstVisit);
      expect(await storedTables(fromSnapshot)).toEqual(await storedTables(fromCsv));
      const report = reportToJson(await buildReport(fromSnapshot, {}));
      expect(report.requests).toBe(50_000);
      expect(report.total_cost).toBe(5022.48305875);
      expect(JSON.stringify(report)).toBe(JSON.stringify(reportToJson(await buildReport(fromCsv, {}))));

      // The first figures built with it are what the Overview's queries give in the browser's engine,
      // for the inputs a first visit has, and the app's first-visit rates are the ones they were priced with.
      const first = parseTagged(built.figures) as FirstFigures;
      expect(first.pricing).toBe(pricingFingerprint(firstVisit));
      expect(first.filters).toEqual({});
      expect(first.batchEligibleJobTypes).toEqual(DEFAULT_BATCH_ELIGIBLE);
      expect(first.report.totalCost).toBe(parseUsd('5022.48305875'));
      expect(first.report).toEqual(await session.report({}, first.batchEligibleJobTypes));
      expect(first.spendByDay).toEqual(await session.read((engine) => loadSpendOverTime(engine, {}, 'day')));
      expect(first.filterOptions).toEqual(await session.read((engine) => loadFilterOptions(engine)));
      expect(first.spendByDay.reduce((sum, day) => sum + day.cost, 0n)).toBe(first.report.totalCost);
      expect(first).toEqual(await computeFirstFigures(fromCsv, firstVisit));
    } finally {
      await fromSnapshot.close();
      await fromCsv.close();
    }
  });
});
