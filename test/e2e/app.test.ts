import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatUsd, toUsdNumber } from '../../src/domain/money';
import type { PriceOverride } from '../../src/domain/rate-card';
import type { Report } from '../../src/domain/report';
import { STORE_KEY } from '../../src/state/store';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { baseUrl, launchBrowser, openApp, pageErrors } from './browser';

/**
 * Opens the app with DuckDB's worker script and wasm held back until `release` is called, so what
 * the page shows before the engine is ready can be read; `stored` is written to the app's saved inputs first.
 */
async function openWithEngineHeld(browser: Browser, stored?: object): Promise<{ page: Page; errors: string[]; release: () => void }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (stored) await page.addInitScript(`localStorage.setItem(${JSON.stringify(STORE_KEY)}, ${JSON.stringify(JSON.stringify({ state: stored, version: 2 }))})`);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/duckdb-(browser-)?(eh|mvp)[^/]*\.(js|wasm)$/, async (route) => {
    await held;
    await route.continue();
  });
  const figuresFetched = page.waitForResponse(/\/assets\/bundled-first-figures-[^/]*\.js$/);
  await page.goto(baseUrl());
  await figuresFetched;
  return { page, errors, release };
}

describe('the app on the bundled sample, in headless Chromium', () => {
  let browser: Browser;
  let engine: Engine;
  let expected: Report;

  beforeAll(async () => {
    browser = await launchBrowser();
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, bundledRates());
    expected = await buildReport(engine);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the total the Node engine computes for the same data', async () => {
    const page = await openApp(browser);
    expect(await page.textContent('[data-testid="total-cost"]')).toBe(formatUsd(expected.totalCost));
    expect(await page.textContent('[data-testid="requests"]')).toBe(expected.requests.toLocaleString('en-US'));
    expect(await page.textContent('[data-testid="unpriced-requests"]')).toBe(expected.unpricedRequests.toLocaleString('en-US'));
    const rows = await page.$$eval('[data-testid="by-model-table"] tbody tr', (trs) =>
      trs.map((tr) => [tr.querySelector('[data-col="model"] span')?.getAttribute('title') ?? '', tr.querySelector('[data-col="cost"]')?.textContent ?? ''] as const),
    );
    const want = expected.byModel.map((m) => [m.model, formatUsd(toUsdNumber(m.cost))] as const);
    expect(new Map(rows)).toEqual(new Map(want));
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('shows a view fetched ahead as soon as its tab is clicked, never a blank screen first', async () => {
    const page = await openApp(browser);
    const views = ['spend', 'batch', 'retry', 'acceptance', 'duplicates', 'explorer', 'reconcile', 'bill', 'compare', 'rates', 'plan', 'data'];
    // Every view's chunk is fetched after the first figures; importing a fetched module resolves once it has run.
    const fetched = await page.waitForFunction((n) => {
      const names = performance.getEntriesByType('resource').map((e) => e.name).filter((name) => /-page-[^/]*\.js$/.test(name));
      return names.length >= n ? names : null;
    }, views.length);
    // As text: the test runner would rewrite an import() written here.
    await page.evaluate(`Promise.all(${JSON.stringify(await fetched.jsonValue())}.map((name) => import(name)))`);
    // React renders a click's update in a microtask queued by the click: checked in the next one.
    const shown = await page.evaluate(async (ids) => {
      const seen: string[] = [];
      for (const id of ids) {
        (document.querySelector(`[data-testid="nav-${id}"]`) as HTMLElement).click();
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        seen.push(document.querySelector(`[data-testid="view-${id}"], [data-testid="view-loading"]`) ? id : `${id}: nothing on screen`);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return seen;
    }, views);
    expect(shown).toEqual(views);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('draws the sample\'s first figures before the engine is ready, the figures the engine then computes', async () => {
    const { page, errors, release } = await openWithEngineHeld(browser);
    await page.waitForSelector('[data-testid="view-overview"][data-first-figures="true"] [data-testid="total-cost"]');
    expect(await page.getAttribute('[data-testid="engine-status"]', 'data-state')).toBe('loading');
    expect(await page.textContent('[data-testid="loading"]')).toBe('Starting the database engine…');
    const first = {
      total: await page.textContent('[data-testid="total-cost"]'),
      requests: await page.textContent('[data-testid="requests"]'),
      models: await page.$$eval('[data-testid="by-model-table"] tbody tr', (trs) => trs.map((tr) => tr.textContent)),
      filterBar: await page.isVisible('[data-testid="filter-bar"]'),
    };
    expect(first.total).toBe(formatUsd(expected.totalCost));
    expect(first.requests).toBe(expected.requests.toLocaleString('en-US'));
    expect(first.filterBar).toBe(true);

    release();
    await page.waitForSelector('main[data-load="ready"]', { timeout: 90_000 });
    // The engine's own answers have replaced them.
    await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]:not([data-first-figures])', { timeout: 90_000 });
    expect({
      total: await page.textContent('[data-testid="total-cost"]'),
      requests: await page.textContent('[data-testid="requests"]'),
      models: await page.$$eval('[data-testid="by-model-table"] tbody tr', (trs) => trs.map((tr) => tr.textContent)),
      filterBar: await page.isVisible('[data-testid="filter-bar"]'),
    }).toEqual(first);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws nothing before the engine is ready where the saved rates differ from a first visit\'s', async () => {
    const override: PriceOverride = { priceId: 'gemini-3-pro-image|google|standard|2026-02-01', field: 'per_million_tokens.output_image', value: '150' };
    await applyRates(engine, bundledRates({ overrides: [override] }));
    const overridden = formatUsd((await buildReport(engine)).totalCost);
    expect(overridden).not.toBe(formatUsd(expected.totalCost));

    const { page, errors, release } = await openWithEngineHeld(browser, { overrides: [override] });
    // The first figures' chunk has arrived: give the page time to draw them, as it would have.
    await page.waitForTimeout(1_000);
    expect(await page.getAttribute('[data-testid="engine-status"]', 'data-state')).toBe('loading');
    expect(await page.$('[data-testid="total-cost"]')).toBeNull();
    release();
    await page.waitForSelector('main[data-load="ready"]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]:not([data-first-figures])');
    expect(await page.textContent('[data-testid="total-cost"]')).toBe(overridden);
    expect(errors).toEqual([]);
    await page.close();
  });
});
