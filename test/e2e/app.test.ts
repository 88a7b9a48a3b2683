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
});
