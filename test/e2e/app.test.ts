import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatUsd, toUsdNumber } from '../../src/domain/money';
import type { Report } from '../../src/domain/report';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

describe('the app on the bundled sample, in headless Chromium', () => {
  let browser: Browser;
  let expected: Report;

  beforeAll(async () => {
    browser = await launchBrowser();
    const engine = await testEngine();
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
});
