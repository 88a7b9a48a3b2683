import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { Session, StaleReadError, UnpricedLoadError } from '../../src/db/session';
import { cachedQuery } from '../../src/hooks/query-cache';
import { parseUsd } from '../../src/domain/money';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const file = (name: string) => ({ name, bytes: readFileSync(`test/fixtures/logs/${name}`) });

describe('Session loads: the start-up sample never replaces what the user loaded', () => {
  it('a default load queued after a user load is skipped; one queued before is replaced by the user load', async () => {
    const session = new Session(await testEngine());
    await session.setRates(bundledRates());
    const first = session.loadFiles([file('hostile.csv')], { mode: 'replace', asDefault: true });
    const user = session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const late = session.loadFiles([file('hostile.csv')], { mode: 'replace', asDefault: true });
    expect((await first)?.map((d) => d.file)).toEqual(['hostile.csv']);
    expect((await user)?.map((d) => d.file)).toEqual(['tabs.tsv']);
    expect(await late).toBeNull();
    expect(session.files.map((d) => d.file)).toEqual(['tabs.tsv']);
    expect(await session.read((e) => e.query(`SELECT request_id FROM requests ORDER BY request_id`))).toEqual([{ request_id: 't1' }, { request_id: 't2' }]);
  });

  it('append keeps every file’s diagnostics; a refused file changes neither data nor diagnostics', async () => {
    const session = new Session(await testEngine());
    await session.setRates(bundledRates());
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    await session.loadFiles([file('attempts.csv')], { mode: 'append' });
    const version = session.version;
    await expect(session.loadFiles([file('garbage.bin')], { mode: 'replace' })).rejects.toThrow(/binary file/);
    expect(session.version).toBe(version);
    expect(session.files.map((d) => [d.file, d.rowsRead])).toEqual([['tabs.tsv', 2], ['attempts.csv', 6]]);
    const [n] = await session.read((e) => e.query<{ n: number }>(`SELECT count(*) AS n FROM priced`));
    expect(n!.n).toBe(5);
  });
  it('rates given with the start-up load are priced with it, and still apply when the load is skipped or refused', async () => {
    const total = (session: Session) => session.read(async (e) => (await e.query<{ cost: string }>(`SELECT COALESCE(sum(cost), 0)::VARCHAR AS cost FROM priced_cube`))[0]!.cost);
    // tabs.tsv: one Gemini 3 Pro request on the batch lane, one on flex; $1 a request on both lanes adds exactly $2.
    const plusOne = bundledRates({ overrides: ['batch', 'flex'].map((lane) => ({ priceId: `gemini-3-pro-image|google|${lane}|2026-02-01`, field: 'per_request', value: '1' })) });
    const reference = new Session(await testEngine());
    await reference.setRates(bundledRates());
    await reference.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const base = parseUsd(await total(reference));
    expect(base).toBeGreaterThan(0n);

    const fresh = new Session(await testEngine());
    await fresh.loadFiles([file('tabs.tsv')], { mode: 'replace', asDefault: true, rates: bundledRates() });
    expect(fresh.rates).not.toBeNull();
    expect(parseUsd(await total(fresh))).toBe(base);

    const skipped = new Session(await testEngine());
    await skipped.setRates(bundledRates());
    await skipped.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    expect(await skipped.loadFiles([file('hostile.csv')], { mode: 'replace', asDefault: true, rates: plusOne })).toBeNull();
    expect(parseUsd(await total(skipped))).toBe(base + 2_000_000_000_000n);

    const refused = new Session(await testEngine());
    await refused.setRates(bundledRates());
    await refused.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    await expect(refused.loadFiles([file('garbage.bin')], { mode: 'replace', rates: plusOne })).rejects.toThrow(/binary file/);
    expect(parseUsd(await total(refused))).toBe(base + 2_000_000_000_000n);
  });

  it('rate changes asked for in a row price only the last; a load with its own rates supersedes one queued before it', async () => {
    const engine = await testEngine();
    let pricings = 0;
    const counted = Object.create(engine) as Engine;
    counted.exec = (sql) => {
      if (sql.includes('TEMP TABLE rate_models AS')) pricings++;
      return engine.exec(sql);
    };
    const session = new Session(counted);
    const total = async () => parseUsd((await session.read((e) => e.query<{ cost: string }>(`SELECT COALESCE(sum(cost), 0)::VARCHAR AS cost FROM priced_cube`)))[0]!.cost);
    // tabs.tsv: one Gemini 3 Pro request on the batch lane, one on flex; $n a request on both lanes adds exactly $2n.
    const plus = (dollars: number) => bundledRates({ overrides: ['batch', 'flex'].map((lane) => ({ priceId: `gemini-3-pro-image|google|${lane}|2026-02-01`, field: 'per_request', value: String(dollars) })) });
    await session.setRates(bundledRates());
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const base = await total();
    expect(pricings).toBe(1);

    pricings = 0;
    const last = plus(3);
    await Promise.all([session.setRates(plus(1)), session.setRates(plus(2)), session.setRates(last)]);
    expect(pricings).toBe(1);
    expect(session.rates).toBe(last);
    expect(await total()).toBe(base + 6_000_000_000_000n);

    pricings = 0;
    await Promise.all([session.setRates(plus(5)), session.loadFiles([file('tabs.tsv')], { mode: 'replace', rates: plus(7) })]);
    expect(pricings).toBe(1);
    expect(await total()).toBe(base + 14_000_000_000_000n);

    // One already running is not undone: the change after it is priced after it.
    pricings = 0;
    const running = session.setRates(plus(8));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await Promise.all([running, session.setRates(plus(9))]);
    expect(pricings).toBe(2);
    expect(await total()).toBe(base + 18_000_000_000_000n);
  });

  it('a log read and stored but not priced (the tab out of memory) is not left half made: nothing stays loaded, and the error says so', async () => {
    const engine = await testEngine();
    let failing = false;
    const exec = engine.exec.bind(engine);
    engine.exec = async (sql) => {
      if (failing && sql.includes('TEMP TABLE usage_cube')) throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)\n\nPossible solutions: …');
      return exec(sql);
    };
    const session = new Session(engine);
    await session.setRates(bundledRates());
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const version = session.version;
    failing = true;
    const error = await session.loadFiles([file('attempts.csv')], { mode: 'append' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(UnpricedLoadError);
    expect((error as Error).message).toBe('read, but it could not be summed and priced (Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used))');
    expect(session.files).toEqual([]);
    expect(session.version).toBeGreaterThan(version);
    failing = false;
    const counts = await session.read((e) => e.query<{ rows: number; files: number }>(
      `SELECT (SELECT count(*) FROM requests)::BIGINT AS rows, (SELECT count(*) FROM load_files)::BIGINT AS files`));
    expect(counts).toEqual([{ rows: 0, files: 0 }]);
    // The session works on: the next load is priced as usual.
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const [n] = await session.read((e) => e.query<{ n: number }>(`SELECT count(*) AS n FROM priced`));
    expect(n!.n).toBe(2);
  });
});

describe('Session reads: a read nobody waits for any more is not run', () => {
  it('skips a read whose callers all stopped waiting before its turn, runs one a caller still waits for, and keeps no skipped read', async () => {
    const session = new Session(await testEngine());
    await session.setRates(bundledRates());
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const ran: string[] = [];
    const count = (name: string) => (wanted: () => boolean) => session.read(async (e) => {
      ran.push(name);
      return (await e.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM requests'))[0]!.n;
    }, wanted);
    // A slow read first, so the reads below wait for their turn.
    const blocker = session.read((e) => e.query('SELECT count(*) FROM range(20000000) t(i) WHERE i % 7 = 3'));
    const [left, stayed, first, second] = [new AbortController(), new AbortController(), new AbortController(), new AbortController()];
    const skipped = cachedQuery(session, 'left', count('left'), left.signal);
    const run = cachedQuery(session, 'stayed', count('stayed'), stayed.signal);
    const shared = cachedQuery(session, 'shared', count('shared'), first.signal);
    expect(cachedQuery(session, 'shared', count('shared again'), second.signal)).toBe(shared);
    left.abort();
    first.abort();
    await blocker;
    await expect(skipped).rejects.toBeInstanceOf(StaleReadError);
    expect(await run).toBe(2);
    expect(await shared).toBe(2);
    expect(ran).toEqual(['stayed', 'shared']);
    expect(await cachedQuery(session, 'left', count('left, asked again'), new AbortController().signal)).toBe(2);
    expect(ran).toEqual(['stayed', 'shared', 'left, asked again']);
    // A caller without a signal waits for good.
    const plain = session.read((e) => e.query('SELECT 1 AS one'));
    expect(await plain).toEqual([{ one: 1 }]);
  });
});
