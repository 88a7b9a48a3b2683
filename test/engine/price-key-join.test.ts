import { beforeAll, describe, expect, it } from 'vitest';
import { loadDuplicates, loadExplorerPage } from '../../src/db/dashboard';
import { loadDecisionCells } from '../../src/db/decisions';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { buildPriceKeyMacroSql, buildPricedCubeSql, priceKeysCollideSql } from '../../src/db/sql/pricing';
import { buildPricedDaysSql, buildPricedMonthsSql } from '../../src/db/sql/report';
import { applyRates, joinOnPriceKeys } from '../../src/db/workspace';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

/*
 * Rows and cells are joined to their price key on a hash of its ten columns. The figures are those
 * of a join on the columns (pricing-agreement.test.ts checks them against TypeScript) only while no
 * two keys share a hash; a hash of the day alone, which most keys of a day share, stands in for a
 * collision no real log is likely to hit.
 */
describe('rows and cells join their price key on a hash, and on the key itself where two keys share one', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, bundledRates());
    await engine.exec('CREATE TEMP MACRO day_hash(k0, k1, k2, k3, k4, k5, k6, k7, k8, k9) AS hash(k0)');
  });

  /** Every figure that reads the priced cube (rebuilt with the join as it is now) or prices rows as it is read. */
  async function figures() {
    await engine.exec(buildPricedCubeSql());
    await engine.exec(buildPricedDaysSql());
    await engine.exec(buildPricedMonthsSql());
    const page = { sort: [{ id: 'cost', desc: true }], columnFilters: [], search: '', pageIndex: 0, pageSize: 40 };
    return {
      report: await buildReport(engine),
      decisions: await loadDecisionCells(engine),
      explorer: await loadExplorerPage(engine, {}, page),
      duplicates: await loadDuplicates(engine, {}, 20),
    };
  }

  const collide = async (hash?: string) => (await engine.query<{ collide: boolean }>(priceKeysCollideSql(hash)))[0]!.collide;

  it('finds the sample’s keys apart by their hash, and a hash of the day shared', async () => {
    expect(await collide()).toBe(false);
    expect(await collide('day_hash')).toBe(true);
  });

  it('every figure is the same joined on the hash, on the key’s columns where hashes collide, and not on a shared hash alone', async () => {
    await joinOnPriceKeys(engine);
    const hashed = await figures();
    expect(hashed.report.requests).toBe(50_000);
    expect(hashed.decisions.length).toBeGreaterThan(10);
    expect(hashed.explorer.total).toBe(50_000);

    await joinOnPriceKeys(engine, 'day_hash');
    expect(await figures()).toEqual(hashed);

    // The same shared hash without the fallback joins a request, and a cell, to every key of its day.
    await engine.exec(buildPriceKeyMacroSql(false, 'day_hash'));
    const [joined] = await engine.query<{ rows: number; cells: number }>(`SELECT
      (SELECT count(*) FROM priced)::INTEGER AS rows, (SELECT count(*) FROM (${buildPricedCubeSql().replace(/^CREATE OR REPLACE TEMP TABLE priced_cube AS/, '')}))::INTEGER AS cells`);
    expect(joined!.rows).toBeGreaterThan(50_000);
    expect(joined!.cells).toBeGreaterThan((await engine.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM usage_cube'))[0]!.n);

    await joinOnPriceKeys(engine);
    expect(await figures()).toEqual(hashed);
  });
});
