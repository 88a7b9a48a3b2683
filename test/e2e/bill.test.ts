import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBill, loadBill } from '../../src/db/bill';
import { BUNDLED_SKU_MAP } from '../../src/db/bill-skus';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { readBill, type BillComparison } from '../../src/domain/bill';
import { csvRecords } from '../support/csv';
import { addPico, formatUsd, parseUsd, ZERO, type Pico } from '../../src/domain/money';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { dropFile, launchBrowser, openApp, pageErrors } from './browser';

const DIR = 'test/fixtures/billing';
const BILL = 'gcp-billing-export-mismatched.csv';
const gaps = (JSON.parse(readFileSync(`${DIR}/expected-gaps.json`, 'utf8')) as Record<string, { gaps: { day: string; model: string; difference: string }[] }>)[BILL]!.gaps;

describe('the Bill view (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let expected: BillComparison;
  let totalCost: Pico;

  beforeAll(async () => {
    // The same log and bill on the Node engine: what the app must show.
    const engine = await testEngine();
    await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(`${DIR}/requests.csv`) }], { mode: 'replace' });
    await applyRates(engine, bundledRates());
    totalCost = (await buildReport(engine)).totalCost;
    const bill = readBill(BILL, readFileSync(`${DIR}/${BILL}`, 'utf8'));
    await loadBill(engine, bill, BUNDLED_SKU_MAP);
    expected = await compareBill(engine, bill, BUNDLED_SKU_MAP);

    browser = await launchBrowser();
    page = await openApp(browser);
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', `${DIR}/requests.csv`);
    await page.locator('[data-testid="file-diagnostics-0"][data-file="requests.csv"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads a bill and shows bill vs logs, largest difference first, with credits, other currencies and unmapped SKUs', async () => {
    await page.click('[data-testid="nav-bill"]');
    await page.setInputFiles('[data-testid="bill-file-input"]', `${DIR}/${BILL}`);
    await page.waitForSelector('[data-testid="bill-table"] tbody tr', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="view-bill"][data-status="ready"]');
    const usd = expected.currencies.find((c) => c.currency === 'USD')!;
    expect(await page.textContent('[data-testid="bill-cost"]')).toContain(formatUsd(usd.cost));
    expect(await page.textContent('[data-testid="bill-credits"]')).toContain(formatUsd(usd.credits));
    expect(await page.textContent('[data-testid="bill-log-cost"]')).toContain(formatUsd(expected.logCost));
    const rows = await page.locator('[data-testid="bill-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.col, td.textContent]))),
    );
    expect(rows).toHaveLength(expected.rows.length);
    // the injected gaps head the table, largest first, each at its exact amount
    const sorted = [...gaps].sort((a, b) => Math.abs(Number(b.difference)) - Math.abs(Number(a.difference)));
    sorted.forEach((g, i) => {
      expect(rows[i]).toMatchObject({ day: g.day, model: g.model });
      const shown = rows[i]!.difference!.replace(/[$,]/g, '');
      expect(parseUsd(shown.replace(/^-/, ''))).toBe(parseUsd(g.difference.replace(/^-/, '')));
    });
    expect(rows.slice(sorted.length).every((r) => r.difference === '$0.00' || r.difference === '–')).toBe(true);
    expect(await page.textContent('[data-testid="bill-other-currencies"]')).toContain('EUR');
    expect(await page.textContent('[data-testid="bill-problems"]')).toMatch(/row \d+, column cost: "n\/a" is not a number/);
    expect(await page.textContent('[data-testid="bill-unmapped-table"]')).toContain('Standard Storage US Multi-region');
    expect(pageErrors(page)).toEqual([]);
  });

  it('a bill dropped on the Bill view is read as a bill: the logs stay as they were and the log drop overlay closes', async () => {
    await dropFile(page, '[data-testid="bill-drop"]', { name: 'focus-export.csv', text: readFileSync(`${DIR}/focus-export.csv`, 'utf8'), type: 'text/csv' });
    await expect.poll(() => page.textContent('[data-testid="bill-summary"]'), { timeout: 60_000 }).toContain('focus-export.csv');
    expect(await page.$('[data-testid="drop-overlay"]')).toBeNull();
    expect(await page.$('[data-testid="view-bill"]')).not.toBeNull();
    await page.click('[data-testid="nav-data"]');
    expect(await page.locator('[data-testid^="file-diagnostics-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-file')))).toEqual(['requests.csv']);
    await page.click('[data-testid="nav-bill"]');
    await page.setInputFiles('[data-testid="bill-file-input"]', `${DIR}/${BILL}`);
    await expect.poll(() => page.textContent('[data-testid="bill-summary"]'), { timeout: 60_000 }).toContain(BILL);
  });

  it('downloads the FOCUS export per day; its list cost is the report total to the picodollar', async () => {
    await page.selectOption('[data-testid="focus-grain"]', 'day');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="focus-export"]')]);
    expect(download.suggestedFilename()).toBe('pixelspend-focus-day.csv');
    const [header, ...rows] = csvRecords(readFileSync((await download.path())!, 'utf8'));
    expect(header!.slice(0, 3)).toEqual(['BilledCost', 'BillingAccountId', 'BillingAccountName']);
    const list = rows.reduce((s, r) => addPico(s, parseUsd(r[header!.indexOf('ListCost')]!)), ZERO);
    expect(list).toBe(totalCost);
    expect(rows.every((r) => r[header!.indexOf('ChargeCategory')] === 'Usage')).toBe(true);
    expect(await page.textContent('[data-testid="focus-note"]')).toMatch(/unpriced requests left out/);
  });
});
