import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributeSources } from '../../src/db/attributes';
import { loadBudgetSpend, type BudgetSpend } from '../../src/db/budgets';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import { compareBudgets, DEFAULT_THRESHOLDS, forecastFromDays, scopeLabel, type BudgetRow } from '../../src/domain/budget';
import { formatExact, parseUsd, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { readSimpleCsv, sampleRowRequest } from '../support/csv';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const FIXTURE = 'test/fixtures/budgets/requests.csv';
const MONTHS = ['2026-05', '2026-06', '2026-07'];
const SCOPES = [null, { attribute: 'team', value: 'design' }, { attribute: 'team', value: 'ads' }, { attribute: 'key', value: 'k010' }];

/**
 * Budget vs actual from SQL (team is a cube dimension, key is row-level) equals a plain loop
 * over the fixture's rows priced one by one with the pure pricing engine.
 */
describe('budgets on a seeded three-month log', () => {
  const rates = bundledRates();
  const rows: BudgetRow[] = MONTHS.flatMap((month, m) => SCOPES.map((scope, s) => ({ month, scope, amount: parseUsd(String(40 + 25 * m + 15 * s)) })));
  let spend: BudgetSpend;
  let inCube: Set<string>;

  beforeAll(async () => {
    const engine = await testEngine();
    await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(FIXTURE) }], { mode: 'replace' });
    await applyRates(engine, rates);
    inCube = (await attributeSources(engine))!.inCube;
    spend = await loadBudgetSpend(engine, rows);
  });

  function expected() {
    const cells = new Map<string, { cost: bigint; requests: number; unpriced: number }>();
    const days = new Map<string, Map<string, bigint>>();
    for (const row of readSimpleCsv(FIXTURE)) {
      const priced = priceRequest(sampleRowRequest(row), rates);
      const day = row.timestamp!.slice(0, 10);
      const labels = ['overall', ...(row.team ? [`team = ${row.team}`] : []), `key = ${row.key}`];
      for (const label of labels) {
        const key = `${day.slice(0, 7)}|${label}`;
        const c = cells.get(key) ?? { cost: 0n, requests: 0, unpriced: 0 };
        c.requests += 1;
        if (priced.priced) c.cost += priced.cost;
        else c.unpriced += 1;
        cells.set(key, c);
        const perDay = days.get(label) ?? days.set(label, new Map()).get(label)!;
        if (priced.priced) perDay.set(day, (perDay.get(day) ?? 0n) + priced.cost);
      }
    }
    return { cells, days };
  }

  it('reads team from the cube and key row by row, as spend by attribute does', () => {
    expect([inCube.has('team'), inCube.has('key')]).toEqual([true, false]);
    expect([spend.first, spend.last]).toEqual(['2026-05-01', '2026-07-20']);
  });

  it('budget vs actual per month and scope equals the loop, unpriced requests counted', () => {
    const { cells } = expected();
    const lines = compareBudgets(rows, spend.days, DEFAULT_THRESHOLDS, spend.last, spend.first ?? undefined);
    expect(lines).toHaveLength(12);
    for (const line of lines) {
      const want = cells.get(`${line.month}|${scopeLabel(line.scope)}`)!;
      expect({ at: `${line.month} ${scopeLabel(line.scope)}`, actual: formatExact(line.actual), variance: formatExact(line.variance), requests: line.requests, unpriced: line.unpricedRequests })
        .toEqual({ at: `${line.month} ${scopeLabel(line.scope)}`, actual: formatExact(want.cost as Pico), variance: formatExact((want.cost - line.budget) as Pico), requests: want.requests, unpriced: want.unpriced });
    }
    // the fixture is not trivial: something is unpriced, and each team spends in every month
    expect(lines.reduce((n, l) => n + l.unpricedRequests, 0)).toBeGreaterThan(0);
    expect(lines.filter((l) => l.scope?.attribute === 'team').every((l) => l.actual > 0n)).toBe(true);
  });

  it('July is the month in progress: its forecast per scope runs on that scope\'s days from the loop', () => {
    const { days } = expected();
    const lines = compareBudgets(rows, spend.days, DEFAULT_THRESHOLDS, spend.last, spend.first ?? undefined);
    for (const line of lines) {
      if (line.month !== '2026-07') {
        expect(line.forecast).toBeNull();
        continue;
      }
      const perDay = [...(days.get(scopeLabel(line.scope)) ?? new Map<string, bigint>()).entries()].map(([day, cost]) => ({ day, cost: cost as Pico }));
      const want = forecastFromDays(perDay, '2026-07-20', line.budget, 30, '2026-05-01');
      expect([line.forecast!.asOf, formatExact(line.forecast!.monthToDate), formatExact(line.forecast!.forecast), formatExact(line.forecast!.forecastHigh)])
        .toEqual(['2026-07-20', formatExact(want.monthToDate), formatExact(want.forecast), formatExact(want.forecastHigh)]);
    }
  });
});
