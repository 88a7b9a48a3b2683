import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCube } from '../../src/db/cube';
import { applyRates } from '../../src/db/workspace';
import { forecastMonth } from '../../src/domain/budget';
import { addDays, collapseDays, lastDay, type CubeRow } from '../../src/domain/cube';
import { formatUsd, mulPico, parseUsd } from '../../src/domain/money';
import { actualOutcome } from '../../src/domain/policy';
import { computeScenario, scenarioFromCube } from '../../src/domain/scenario';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { baseUrl, launchBrowser } from './browser';

/** Opens a path in a fresh browser context (its own local storage) and waits for the plan calculator. */
async function openPlan(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
    errors.push(`blocked request to ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(new URL(path, baseUrl()).toString());
  await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 90_000 });
  await page.waitForSelector('[data-testid="calc-monthly-exact"]', { timeout: 90_000 });
  return { page, errors };
}

const text = (page: Page, testId: string) => page.textContent(`[data-testid="${testId}"]`);
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const DEFAULT_EXACT = formatUsd(mulPico(parseUsd('0.0672'), 30_000)); // 1,000 Flash 1K a day × 30

describe('plan: scenarios travel in links, in headless Chromium', () => {
  let browser: Browser;
  let cube: CubeRow[];
  beforeAll(async () => {
    browser = await launchBrowser();
    const engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, bundledRates());
    cube = await loadCube(engine);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a saved scenario opens from its link in a fresh page with the same figures, and survives a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await openPlan(context, '?view=plan');
    expect(await text(page, 'calc-monthly-exact')).toBe(DEFAULT_EXACT);

    await page.fill('[data-testid="scenario-name"]', 'E2E plan');
    await page.fill('[data-testid="volume"]', '2500');
    await page.selectOption('[data-testid="line-0-size"]', '2K');
    await page.selectOption('[data-testid="line-0-lane"]', 'batch');
    await page.fill('[data-testid="line-0-acceptance"]', '80');
    // Flash batch 2K: 1680 tokens × $30/1M = $0.0504 exact, $0.050 listed; 2,500 a day × 30 = 75,000 images
    const exact = formatUsd(mulPico(parseUsd('0.0504'), 75_000));
    const listed = formatUsd(mulPico(parseUsd('0.050'), 75_000));
    await page.waitForFunction((want) => document.querySelector('[data-testid="calc-monthly-exact"]')?.textContent === want, exact);
    expect([await text(page, 'calc-monthly-exact'), await text(page, 'calc-monthly-listed'), await text(page, 'calc-per-accepted')]).toEqual([exact, listed, '$0.0630']);
    expect(Number(await page.getAttribute('[data-testid="recompute-ms"]', 'data-ms'))).toBeGreaterThan(0);

    await page.click('[data-testid="save-scenario"]');
    await page.waitForSelector('[data-testid="saved-note"]');
    await page.click('[data-testid="plan-tab-scenarios"]');
    const saved = page.locator('[data-testid="saved-scenario"]', { hasText: 'E2E plan' });
    const href = await saved.locator('[data-testid="scenario-link"]').getAttribute('href');
    expect(href).toMatch(/[?&]scenario=[A-Za-z0-9_-]+/);

    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const opened = await openPlan(fresh, href!);
    expect([
      await text(opened.page, 'calc-monthly-exact'),
      await text(opened.page, 'calc-monthly-listed'),
      await text(opened.page, 'calc-per-accepted'),
      await opened.page.inputValue('[data-testid="scenario-name"]'),
      await opened.page.inputValue('[data-testid="volume"]'),
    ]).toEqual([exact, listed, '$0.0630', 'E2E plan', '2500']);
    expect(await opened.page.$('[data-testid="scenario-link-problem"]')).toBeNull();
    expect(opened.errors).toEqual([]);
    await fresh.close();

    // Kept across reloads: the saved scenario is still listed, and the address bar still holds the draft.
    await page.reload();
    await page.waitForSelector('[data-testid="calc-monthly-exact"]', { timeout: 90_000 });
    expect(await text(page, 'calc-monthly-exact')).toBe(exact);
    await page.click('[data-testid="plan-tab-scenarios"]');
    expect(await page.locator('[data-testid="saved-scenario"] [data-testid="saved-name"]').allTextContents()).toEqual(['E2E plan']);

    // Duplicate, then compare the two side by side.
    await saved.locator('[data-testid="duplicate-scenario"]').click();
    await page.locator('[data-testid="current-scenario"] [data-testid="compare-pick"]').check();
    await page.locator('[data-testid="saved-scenario"]', { hasText: 'E2E plan copy' }).locator('[data-testid="compare-pick"]').check();
    expect(await text(page, 'delta-monthly_cost-1')).toBe('+$0.00 / +0.0%');

    // The printed summary: the comparison alone, on one page, without the app's navigation.
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('.app__nav', (el) => getComputedStyle(el).display)).toBe('none');
    expect(await page.$eval('[data-testid="export-comparison"]', (el) => el.getClientRects().length)).toBe(0);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('start from my data, policies and budget on the bundled sample match the Node engine', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await openPlan(context, '?view=plan');
    const last = lastDay(cube)!;
    const fromData = scenarioFromCube(cube)!.scenario;
    await page.click('[data-testid="start-from-data"]');
    await page.waitForSelector('[data-testid="from-data-note"]');
    expect(await page.inputValue('[data-testid="volume"]')).toBe(String(fromData.volume));
    expect(await text(page, 'calc-monthly-exact')).toBe(formatUsd(computeScenario(fromData, bundledRates(), Date.now()).cost));

    const actual = actualOutcome(collapseDays(cube, addDays(last, -29), last));
    await page.click('[data-testid="plan-tab-policies"]');
    expect(await text(page, 'policy-cost-actual')).toBe(formatUsd(actual.cost.mid));
    expect(await page.$$eval('[data-testid^="policy-row-"]', (rows) => rows.length)).toBe(5); // actual + 4 presets ticked by default

    await page.click('[data-testid="plan-tab-budget"]');
    const forecast = forecastMonth(cube, last, parseUsd('100'));
    await page.click('[data-testid="budget-add"]');
    expect(await page.inputValue('[data-testid="budget-month-0"]')).toBe(last.slice(0, 7));
    expect(await page.inputValue('[data-testid="budget-scope-0"]')).toBe('overall');
    await page.fill('[data-testid="budget-amount-0"]', '100');
    await page.waitForSelector('[data-testid="budget-warning"]');
    expect(await text(page, 'budget-mtd')).toBe(formatUsd(forecast.monthToDate));
    expect(await text(page, 'budget-forecast')).toBe(formatUsd(forecast.forecast));
    expect(await text(page, 'budget-warning')).toContain('over the budget of $100.00');
    expect(await text(page, 'budget-next-month')).toBe(formatUsd(computeScenario(fromData, bundledRates(), Date.now()).cost));
    expect(errors).toEqual([]);
    await context.close();
  });

  const hostile: [string, string][] = [
    ['a script tag', encodeURIComponent('<script>alert(1)</script>')],
    ['garbage base64', 'Zm9v!!YmFy'],
    ['valid base64 of non-JSON', b64url('not json at all')],
    ['huge numbers', b64url(JSON.stringify({ name: 'x', volume: 1e300, per: 'day', daysPerMonth: 30, retryPercent: 0, lines: [{ model: 'gemini-3.1-flash-image', provider: 'google', lane: 'standard', size: '1K', share: 1e308, acceptance: null }] }))],
    ['markup in the name', b64url(JSON.stringify({ name: '<img src=x onerror=alert(1)>', volume: 5, per: 'day', daysPerMonth: 30, retryPercent: 0, lines: [{ model: 'gemini-3.1-flash-image', provider: 'google', lane: 'standard', size: '1K', share: 1, acceptance: null }] }))],
    ['far too long', 'A'.repeat(7000)], // over the 6,000-character limit, under the server's URL limit
  ];

  it.each(hostile)('a poisoned link (%s) shows the message and the safe defaults', async (_, token) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await openPlan(context, `?view=plan&scenario=${token}`);
    await page.waitForSelector('[data-testid="scenario-link-problem"]');
    expect(await text(page, 'scenario-link-problem')).toMatch(/could not be used \(the scenario in the link .+\)/);
    expect(await text(page, 'calc-monthly-exact')).toBe(DEFAULT_EXACT);
    expect(await page.inputValue('[data-testid="scenario-name"]')).toBe('Flash 1K, 1,000 a day');
    expect(await page.$$eval('img[onerror], script:not([src]):not([type])', (els) => els.length)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
