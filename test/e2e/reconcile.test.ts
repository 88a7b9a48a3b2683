import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdUnit } from '../../src/components/format';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { loadReconciliation } from '../../src/db/reconcile';
import { RECONCILE_DIMENSIONS } from '../../src/db/sql/reconcile';
import { applyRates } from '../../src/db/workspace';
import { formatPlain, formatUsd, parseUsd, type Pico } from '../../src/domain/money';
import type { Reconciliation } from '../../src/domain/reconcile';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp } from './browser';

const FIXTURE = 'test/fixtures/reconcile/requests.csv';

/** What the Node engine gives on the same file with the bundled card (no override): the app must show the same. */
async function nodeReconciliation(): Promise<Reconciliation> {
  const engine = await testEngine();
  await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(FIXTURE) }], { mode: 'replace' });
  await applyRates(engine, bundledRates());
  return loadReconciliation(engine, { groupBy: { model: RECONCILE_DIMENSIONS.model } });
}

/** The log's own |billed − computed| is checked independently of the view: each billed row's variance from the Explorer cells. */
function variance(row: string[]): bigint {
  const money = (text: string) => parseUsd(text.replace('$', '').replace(/,/g, ''));
  return money(row[0]!) - money(row[1]!);
}

describe('Reconcile view (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let expected: Reconciliation;

  beforeAll(async () => {
    expected = await nodeReconciliation();
    browser = await launchBrowser();
    page = await openApp(browser);
    await page.click('[data-testid="nav-data"]');
    await page.click('[data-testid="mode-replace"]');
    await page.setInputFiles('[data-testid="file-input"]', FIXTURE);
    await page.locator('[data-testid="file-diagnostics-0"][data-file="requests.csv"]').waitFor({ timeout: 120_000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows billed, computed, difference and requests outside tolerance as the Node engine computes them', async () => {
    await page.click('[data-testid="nav-reconcile"]');
    await page.waitForSelector('[data-testid="view-reconcile"][data-status="ready"]', { timeout: 120_000 });
    expect(expected.requestsWithBilledCost).toBe(546);
    expect(await page.textContent('[data-testid="reconcile-billed"]')).toBe(formatUsd(expected.billed));
    expect(await page.textContent('[data-testid="reconcile-computed"]')).toBe(formatUsd(expected.computed));
    expect(await page.getAttribute('[data-testid="reconcile-difference-exact"]', 'data-exact')).toBe(formatPlain(expected.difference));
    expect(await page.textContent('[data-testid="reconcile-outside"]')).toBe(String(expected.requestsOutsideTolerance));
    expect(await page.textContent('[data-testid="reconcile-unpriced"]')).toBe(String(expected.unpricedRequests));
    const first = await page.locator('[data-testid="reconcile-groups"] tbody tr').first().locator('td').first().textContent();
    expect(first).toBe(expected.groups[0]!.key.model);
    // The Overview carries the same difference.
    await page.click('[data-testid="nav-overview"]');
    await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]');
    expect(await page.textContent('[data-testid="billed-vs-computed"]')).toBe(usdUnit(expected.difference));
  }, 240_000);

  it('a group opens the Explorer on its requests, largest |variance| first', async () => {
    await page.click('[data-testid="nav-reconcile"]');
    await page.waitForSelector('[data-testid="view-reconcile"][data-status="ready"]', { timeout: 120_000 });
    await page.locator('[data-testid="reconcile-open"]').first().click();
    await page.waitForSelector('[data-testid="view-explorer"][data-status="ready"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="explorer-table"] tbody tr td[data-col="abs_variance"]');
    const rows = await page.locator('[data-testid="explorer-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ['cost_usd', 'cost', 'abs_variance', 'model_key'].map((c) => tr.querySelector(`td[data-col="${c}"]`)?.textContent ?? '')),
    );
    expect(rows.length).toBe(25);
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set([expected.groups[0]!.key.model]));
    const variances = rows.map((r) => (variance(r) < 0n ? -variance(r) : variance(r)) as Pico);
    expect(variances).toEqual([...variances].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(variances[0]! > 0n).toBe(true);
    // The shown |Variance| is the billed − computed of its row.
    for (const [i, r] of rows.entries()) expect(parseUsd(r[2]!.replace('$', '').replace(/,/g, ''))).toBe(variances[i]);
  }, 240_000);
});
