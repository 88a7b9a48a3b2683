import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { buildReport } from '../../src/db/report';
import { Session } from '../../src/db/session';
import { warmUpCsv, warmUpEngine } from '../../src/db/warm-up';
import { reprice } from '../../src/db/workspace';
import { loadRates } from '../../src/db/rates';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const catalog = (engine: Engine) => engine.query(`
  SELECT database_name, table_name AS name FROM duckdb_tables()
  UNION ALL SELECT database_name, view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL`);

/** Records the statements an engine runs. */
function counting(engine: Engine): { engine: Engine; statements: () => number; sql: string[] } {
  const sql: string[] = [];
  const counted: Engine = Object.create(engine) as Engine;
  counted.query = (text, params) => { sql.push(text); return engine.query(text, params); };
  counted.exec = (text) => { sql.push(text); return engine.exec(text); };
  return { engine: counted, statements: () => sql.length, sql };
}

describe('the engine warm-up: a small log run through a load’s code before the user chooses a file', () => {
  it('its log passes validation whole, and it leaves the loaded log, its figures and the catalog as they were', async () => {
    const engine = await testEngine();
    await loadRates(engine, bundledRates());
    await ingestFiles(engine, [{ name: 'requests.csv', bytes: new Uint8Array(readFileSync('data/sample/requests.csv')) }], { mode: 'replace', today: '2026-12-01' });
    await reprice(engine);
    const before = { report: await buildReport(engine), catalog: await catalog(engine) };

    // Every generated row is a valid request: were one refused, its checks would run on an error path a load rarely takes.
    expect(await warmUpEngine(engine, { rows: 5_000 })).toBe(5_000);
    expect(await catalog(engine)).toEqual(before.catalog);
    expect(await buildReport(engine)).toEqual(before.report);
    // Its file is gone too: registering the name again is a new file, not the warm-up's.
    await expect(engine.query(`SELECT count(*) FROM read_csv('pixelspend_warm_up.csv')`)).rejects.toThrow();
  });

  it('its log is the same at every call, with repeated prompts, retries, batch and feedback in it', () => {
    const text = warmUpCsv(2_000);
    expect(warmUpCsv(2_000)).toBe(text);
    const rows = text.trim().split('\n').slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(2_000);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2_000);
    expect(new Set(rows.map((r) => r[10])).size).toBeLessThan(2_000);
    expect(rows.some((r) => Number(r[8]) > 1)).toBe(true);
    expect(rows.some((r) => r[4] === 'batch')).toBe(true);
    expect(new Set(rows.map((r) => r[11]))).toEqual(new Set(['true', 'false', '']));
  });

  it('a session warms up once, not at all once the user has loaded a file, and stops when a load comes first', async () => {
    const fresh = counting(await testEngine());
    const session = new Session(fresh.engine);
    await session.warmUp();
    const whole = fresh.statements();
    expect(whole).toBeGreaterThan(3);
    await session.warmUp();
    expect(fresh.statements()).toBe(whole);

    const loaded = counting(await testEngine());
    const user = new Session(loaded.engine);
    await user.setRates(bundledRates());
    await user.loadFiles([{ name: 'tabs.tsv', bytes: readFileSync('test/fixtures/logs/tabs.tsv') }], { mode: 'replace' });
    const after = loaded.statements();
    await user.warmUp();
    expect(loaded.statements()).toBe(after);

    // A load chosen while the warm-up runs goes first; the warm-up stops and leaves nothing behind.
    const racing = counting(await testEngine());
    const raced = new Session(racing.engine);
    await raced.setRates(bundledRates());
    const start = racing.statements();
    const warm = raced.warmUp();
    const load = raced.loadFiles([{ name: 'tabs.tsv', bytes: readFileSync('test/fixtures/logs/tabs.tsv') }], { mode: 'replace' });
    await Promise.all([warm, load]);
    // The warm-up cleaned up after the load and checked nothing: it stopped before its validation.
    const ran = racing.sql.slice(start);
    expect(ran.some((text) => text.includes('CREATE OR REPLACE TABLE warm_up_rows'))).toBe(false);
    expect(ran.at(-1)).toContain('DROP VIEW IF EXISTS warm_up_raw');
    expect(fresh.sql.some((text) => text.includes('CREATE OR REPLACE TABLE warm_up_rows'))).toBe(true);
    const { engine } = racing;
    expect((await load)?.map((d) => [d.file, d.rowsAccepted])).toEqual([['tabs.tsv', 2]]);
    expect((await catalog(engine)).filter((t) => String(t.name).startsWith('warm_up'))).toEqual([]);
    await expect(engine.query(`SELECT count(*) FROM warm_up_rows`)).rejects.toThrow();
  });
});
