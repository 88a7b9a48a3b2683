import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/domain/money';
import { LOG_COLUMNS } from '../../src/domain/log-schema';
import { SOURCE_CASES, sum, tokens } from '../support/sources';
import { launchBrowser, openApp } from './browser';

const SOURCES = 'test/fixtures/sources';

async function overviewFigures(page: Page) {
  await page.click('[data-testid="nav-overview"]');
  await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]');
  return { total: await page.textContent('[data-testid="total-cost"]'), requests: await page.textContent('[data-testid="requests"]') };
}

describe('real sources in the app (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openApp(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a Gemini API JSONL without timestamps: the app asks for the date, then shows its figures', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', `${SOURCES}/gemini-api.jsonl`);
    await page.waitForSelector('[data-testid="ask-time"]', { timeout: 60_000 });
    expect(await page.isDisabled('[data-testid="default-date-apply"]')).toBe(true);
    await page.fill('[data-testid="default-date"]', '2026-03-10');
    await page.click('[data-testid="default-date-apply"]');
    const card = page.locator('[data-testid="file-diagnostics-0"][data-file="gemini-api.jsonl"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe('3');
    expect(await card.locator('[data-testid="diag-warnings"]').textContent()).toContain('2026-03-10 UTC (your choice)');
    const expected = SOURCE_CASES.find((c) => c.file === 'gemini-api.jsonl')!.total;
    expect(await overviewFigures(page)).toEqual({ total: formatUsd(expected), requests: '3' });
  }, 180_000);

  it('an unknown CSV: its columns are mapped in the Data view, then its figures show', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', `${SOURCES}/unknown-shape.csv`);
    await page.waitForSelector('[data-testid="ask-mapping"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="mapping-sample"] tbody tr').count()).toBe(2);
    expect(await page.locator('.mapping-grid select').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(LOG_COLUMNS.map((c) => `map-${c.name}`));
    await page.selectOption('[data-testid="map-timestamp"]', 'when');
    await page.selectOption('[data-testid="map-model"]', 'engine');
    await page.selectOption('[data-testid="map-image_size"]', 'px');
    await page.click('[data-testid="map-apply"]');
    await page.locator('[data-testid="file-diagnostics-0"][data-file="unknown-shape.csv"]').waitFor({ timeout: 60_000 });
    // standard Pro: 4K (2000 × $120/M) + 2K (1120 × $120/M)
    expect(await overviewFigures(page)).toEqual({ total: formatUsd(sum(tokens(2000, 120), tokens(1120, 120))), requests: '2' });
  }, 180_000);

  it('the Spend view groups by an attribute of the log', async () => {
    await page.click('[data-testid="nav-spend"]');
    await page.waitForSelector('[data-testid="spend-attribute-select"]', { timeout: 60_000 });
    await page.selectOption('[data-testid="spend-attribute-select"]', 'squad');
    await page.waitForSelector('[data-testid="spend-attribute-table"] tbody tr');
    const rows = await page.locator('[data-testid="spend-attribute-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    );
    expect(rows).toEqual([['brand', '1'], ['growth', '1']]);
  }, 180_000);

  it('every source fixture at once: asked for one date, each file balanced, the Overview shows their hand-worked total', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', SOURCE_CASES.map((c) => `${SOURCES}/${c.file}`));
    await page.waitForSelector('[data-testid="ask-time"]', { timeout: 60_000 });
    await page.fill('[data-testid="default-date"]', '2026-03-10');
    await page.click('[data-testid="default-date-apply"]');
    await page.locator(`[data-testid="file-diagnostics-${SOURCE_CASES.length - 1}"]`).waitFor({ timeout: 120_000 });
    for (const [i, c] of SOURCE_CASES.entries()) {
      const card = page.locator(`[data-testid="file-diagnostics-${i}"][data-file="${c.file}"]`);
      expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe(String(c.read));
      expect(await card.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe(String(c.accepted));
    }
    const requests = SOURCE_CASES.reduce((n, c) => n + c.accepted, 0);
    expect(await overviewFigures(page)).toEqual({ total: formatUsd(sum(...SOURCE_CASES.map((c) => c.total))), requests: String(requests) });
  }, 300_000);
});
