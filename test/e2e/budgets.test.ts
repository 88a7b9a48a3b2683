import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBudgetLines } from '../../src/db/budgets';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import { budgetSentence, DEFAULT_THRESHOLDS, scopeLabel, type BudgetLine, type BudgetRow } from '../../src/domain/budget';
import { formatUsd, parseUsd, type Pico } from '../../src/domain/money';
import { BUDGET_FIXTURE, fixtureSpendByMonthTeam } from '../support/budgets';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { baseUrl, launchBrowser, openApp, pageErrors } from './browser';

const FIXTURE = BUDGET_FIXTURE;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Three months × two teams, and an overall budget for the month in progress (July, to the 20th). */
const ENTERED: { month: string; attribute: string; value: string; amount: string }[] = [
  { month: '2026-05', attribute: 'team', value: 'design', amount: '20' },
  { month: '2026-05', attribute: 'team', value: 'ads', amount: '20' },
  { month: '2026-06', attribute: 'team', value: 'design', amount: '25' },
  { month: '2026-06', attribute: 'team', value: 'ads', amount: '18.50' },
  { month: '2026-07', attribute: 'team', value: 'design', amount: '16' },
  { month: '2026-07', attribute: 'team', value: 'ads', amount: '12' },
  { month: '2026-07', attribute: 'overall', value: '', amount: '60' },
];


const label = (e: (typeof ENTERED)[number]) => (e.attribute === 'overall' ? 'overall' : `${e.attribute} = ${e.value}`);

describe('budgets by month and team in the app (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let nodeLines: BudgetLine[];
  const spend = fixtureSpendByMonthTeam();

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openApp(browser);
    const engine = await testEngine();
    await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(FIXTURE) }], { mode: 'replace' });
    await applyRates(engine, bundledRates());
    const rows: BudgetRow[] = ENTERED.map((e) => ({ month: e.month, scope: e.attribute === 'overall' ? null : { attribute: e.attribute, value: e.value }, amount: parseUsd(e.amount) }));
    nodeLines = (await loadBudgetLines(engine, rows, DEFAULT_THRESHOLDS)).lines;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('budgets entered in the Plan view show budget vs actual and variance equal to the loop and the Node engine', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', FIXTURE);
    await page.locator('[data-testid="file-diagnostics-0"][data-file="requests.csv"]').waitFor({ timeout: 90_000 });
    await page.click('[data-testid="nav-plan"]');
    await page.click('[data-testid="plan-tab-budget"]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid="budget-empty"]');
    for (const [i, e] of ENTERED.entries()) {
      await page.click('[data-testid="budget-add"]');
      await page.fill(`[data-testid="budget-month-${i}"]`, e.month);
      await page.fill(`[data-testid="budget-scope-${i}"]`, e.attribute);
      if (e.value) await page.fill(`[data-testid="budget-value-${i}"]`, e.value);
      await page.fill(`[data-testid="budget-amount-${i}"]`, e.amount);
    }
    for (const [i, e] of ENTERED.entries()) {
      const actual = spend.get(`${e.month}|${e.attribute === 'overall' ? 'overall' : `${e.attribute}=${e.value}`}`)!;
      const budget = parseUsd(e.amount);
      expect(actual).toBeGreaterThan(0n);
      const used = (actual * 100n) / budget;
      const cell = page.locator(`[data-testid="budget-actual-${i}"]`);
      await cell.filter({ hasText: formatUsd(actual as Pico) }).waitFor({ timeout: 60_000 });
      expect(await page.textContent(`[data-testid="budget-variance-${i}"]`)).toMatch(new RegExp(`^${formatUsd((actual - budget) as Pico).replace(/[$.]/g, '\\$&')} \\(`));
      const line = nodeLines.find((l) => l.month === e.month && scopeLabel(l.scope) === label(e))!;
      expect(line.actual).toBe(actual);
      // July is in progress: its row is flagged by the forecast, which is never below spend so far
      const status = e.month === '2026-07' ? line.forecastStatus! : used >= 100n ? 'over' : used >= 80n ? 'warn' : 'ok';
      expect(await page.getAttribute(`[data-testid="budget-row-${i}"]`, 'class')).toContain(`budget-row--${status}`);
      expect(await page.textContent(`[data-testid="budget-used-${i}"]`)).toContain(`${used} %`);
    }
    const forecasts = await page.$$eval('[data-testid="budget-forecast-value"]', (cells) => cells.map((c) => c.textContent));
    expect(forecasts).toEqual(nodeLines.filter((l) => l.month === '2026-07').map((l) => formatUsd(l.forecast!.forecast)));
    expect(pageErrors(page)).toEqual([]);
  });

  it('the Overview shows July against its budgets at the thresholds, per scope', async () => {
    await page.click('[data-testid="nav-overview"]');
    const card = page.locator('[data-testid="overview-budget"]');
    await card.waitFor({ timeout: 60_000 });
    const july = nodeLines.filter((l) => l.month === '2026-07');
    const rank = { ok: 0, warn: 1, over: 2 } as const;
    const worst = july.flatMap((l) => [l.status, l.forecastStatus!]).reduce((a, b) => (rank[b] > rank[a] ? b : a));
    expect(await card.getAttribute('data-status')).toBe(worst);
    const lines = await page.$$eval('[data-testid="overview-budget-line"]', (li) => li.map((l) => l.textContent));
    expect(lines).toEqual(july.map((l) => `${scopeLabel(l.scope)}: ${budgetSentence(l, DEFAULT_THRESHOLDS)}${l.unpricedRequests > 0 ? ` (${l.unpricedRequests} unpriced requests not included)` : ''}`));
    // the overall line says it in words, e.g. "65 % of July 2026's budget used; forecast 101 % — over 100 %"
    const overall = spend.get('2026-07|overall')!;
    expect(lines.find((l) => l!.startsWith('overall'))).toContain(`${(overall * 100n) / parseUsd('60')} % of July 2026's budget used; forecast `);
  });

  it('the table travels in a link to a fresh browser, and the budget tab works at 390 px without serious axe findings', async () => {
    await page.click('[data-testid="nav-plan"]');
    await page.click('[data-testid="plan-tab-budget"]');
    await page.waitForSelector('[data-testid="budget-table"]');
    const link = new URL(page.url());
    expect(link.searchParams.get('budgets')).toMatch(/^[A-Za-z0-9_-]+$/);
    // bypassCSP lets the test inject axe; the app itself runs under its CSP in every other test
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const other = await context.newPage();
    await other.goto(`${baseUrl()}?view=plan&budgets=${link.searchParams.get('budgets')}`);
    await other.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 90_000 });
    await other.click('[data-testid="plan-tab-budget"]', { timeout: 90_000 });
    await other.waitForSelector('[data-testid="budget-table"]');
    const rows = await other.$$eval('[data-testid^="budget-row-"]', (trs) => trs.map((tr) => [...tr.querySelectorAll('input')].map((i) => i.value)));
    // the link carries the table in its canonical order: month, overall first, then by team
    expect(rows).toEqual([
      ['2026-05', 'team', 'ads', '20'], ['2026-05', 'team', 'design', '20'], ['2026-06', 'team', 'ads', '18.5'], ['2026-06', 'team', 'design', '25'],
      ['2026-07', 'overall', '', '60'], ['2026-07', 'team', 'ads', '12'], ['2026-07', 'team', 'design', '16'],
    ]);
    // nothing sticks out of a 390 px page (wide tables scroll in their own box); name what does
    const wide = await other.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      return [...document.body.querySelectorAll<HTMLElement>('*')]
        .filter((el) => !el.parentElement?.closest('[data-scroll-box]') && el.getBoundingClientRect().right > width + 1 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= width + 1)
        .slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.dataset.testid ?? ''}]`);
    });
    expect(wide).toEqual([]);
    await other.addScriptTag({ path: AXE });
    const violations = await other.evaluate(async () => {
      const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe.run;
      return (await run(document, { resultTypes: ['violations'] })).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);

    // a poisoned link is refused with a message and leaves the table as it was
    await other.goto(`${baseUrl()}?view=plan&budgets=${encodeURIComponent('<script>alert(1)</script>')}`);
    await other.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 90_000 });
    await other.click('[data-testid="plan-tab-budget"]', { timeout: 90_000 });
    expect(await other.textContent('[data-testid="budget-link-problem"]')).toContain('the budgets link is not valid base64url');
    expect(await other.$$eval('[data-testid^="budget-row-"]', (trs) => trs.length)).toBe(7);
    expect(await other.$$eval('script:not([src]):not([type])', (els) => els.length)).toBe(0);
    await context.close();
  });
});
