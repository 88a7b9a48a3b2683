import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPlain, parseUsd, type Pico } from '../../src/domain/money';
import { BUDGET_FIXTURE, fixtureSpendByMonthTeam } from '../support/budgets';
import { cli } from '../support/cli';

const FIXTURE = BUDGET_FIXTURE;



describe('pixelspend-report --budgets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pixelspend-budgets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'budgets.csv');
  writeFileSync(file, 'month,scope,value,budget_usd\n2026-06,overall,,50\n2026-06,team,design,20\n2026-07,team,ads,12\n2026-07,overall,,25\n');

  it('adds a budgets section: actual and variance per month and team equal the loop; thresholds apply', async () => {
    const r = await cli('--logs', FIXTURE, '--budgets', file, '--budget-thresholds', '50,90', '--engine', 'wasm');
    expect(r.code).toBe(0);
    const budgets = JSON.parse(r.stdout).budgets as { as_of: string; thresholds: object; rows: { month: string; scope: string; value: string | null; budget: number; actual: number; variance: number; status: string; forecast: { as_of: string } | null }[] };
    expect([budgets.as_of, budgets.thresholds]).toEqual(['2026-07-20', { warn_percent: 50, over_percent: 90 }]);
    const want = fixtureSpendByMonthTeam();
    expect(budgets.rows.map((b) => [b.month, b.scope, b.value])).toEqual([['2026-06', 'overall', null], ['2026-06', 'team', 'design'], ['2026-07', 'overall', null], ['2026-07', 'team', 'ads']]);
    for (const b of budgets.rows) {
      const actual = want.get(`${b.month}|${b.value === null ? 'overall' : `team=${b.value}`}`)!;
      // JSON carries money as numbers: close to the exact figure, within float rounding
      expect(b.actual).toBeCloseTo(Number(formatPlain(actual as Pico)), 9);
      expect(b.variance).toBeCloseTo(Number(formatPlain((actual - parseUsd(String(b.budget))) as Pico)), 9);
      const used = Number((actual * 100n) / parseUsd(String(b.budget)));
      expect(b.status).toBe(used >= 90 ? 'over' : used >= 50 ? 'warn' : 'ok');
      expect(b.forecast?.as_of ?? null).toBe(b.month === '2026-07' ? '2026-07-20' : null);
    }
  });

  it('prints a budgets table, and refuses a bad file naming the line and column', async () => {
    const table = await cli('--logs', FIXTURE, '--budgets', file, '--format', 'table', '--engine', 'wasm');
    expect(table.stdout).toContain('Budgets (as of 2026-07-20; thresholds 80 / 100 %)');
    expect(table.stdout).toMatch(/2026-06 +team = design +\$20 /);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'month,scope,value,budget_usd\n2026-06,overall,,50\n2026-06,team,,20\n');
    const r = await cli('--logs', FIXTURE, '--budgets', bad, '--engine', 'wasm');
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toContain('bad budgets file bad.csv: line 3, column value: scope "team" needs a value');
    const usage = await cli('--logs', FIXTURE, '--budget-thresholds', '100,80');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--budget-thresholds: the warning threshold (100 %) must be below the over threshold (80 %)');
  });
});
