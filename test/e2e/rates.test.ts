import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatUsd } from '../../src/domain/money';
import type { PriceOverride } from '../../src/domain/rate-card';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const PRICE_ID = 'gemini-3-pro-image|google|standard|2026-02-01';
const FIELD = 'per_million_tokens.output_image';
const OVERRIDE: PriceOverride = { priceId: PRICE_ID, field: FIELD, value: '150' };
const row = `[data-testid="rate-row"][data-price-id="${PRICE_ID}"]`;

async function totalWith(overrides: PriceOverride[], variants: Record<string, string> = {}): Promise<string> {
  const engine = await testEngine();
  await applyRates(engine, bundledRates({ overrides, variants }));
  return formatUsd((await buildReport(engine)).totalCost);
}

async function waitForTotal(page: Page, want: string): Promise<string> {
  await page.click('[data-testid="nav-overview"]');
  await page
    .waitForFunction((w) => document.querySelector('[data-testid="total-cost"]')?.textContent === w, want, { timeout: 60_000 })
    .catch(() => undefined);
  return (await page.textContent('[data-testid="total-cost"]')) ?? '';
}

async function openEditor(page: Page) {
  await page.click('[data-testid="nav-rates"]');
  await page.click(`${row}[data-size="1K"] [data-testid="edit-price"]`);
  await page.waitForSelector(`[data-testid="price-editor"][data-price-id="${PRICE_ID}"]`);
}

describe('the rate-card screen re-prices the dashboard', () => {
  let browser: Browser;
  let original: string;
  let overridden: string;
  let documented: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const engine = await testEngine();
    await loadSampleLog(engine);
    original = await totalWith([]);
    overridden = await totalWith([OVERRIDE]);
    documented = await totalWith([], { 'flash-3.1-input-text-rates': 'documented' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('an override changes the Overview total to the Node figure, survives a reload marked, and resets', async () => {
    expect(overridden).not.toBe(original);
    const page = await openApp(browser);
    expect(await page.textContent('[data-testid="total-cost"]')).toBe(original);

    await openEditor(page);
    // Pro 1K at the bundled $120/1M: exact $0.1344, listed $0.134
    expect(await page.textContent(`${row}[data-size="1K"] [data-col="exact"]`)).toBe('$0.1344');
    expect(await page.textContent(`${row}[data-size="1K"] [data-col="listed"]`)).toBe('$0.134 listed');
    const input = `[data-testid="field-${FIELD}"] [data-testid="override-input"]`;
    expect(await page.inputValue(input)).toBe('120');
    await page.fill(input, '-5');
    await page.press(input, 'Enter');
    expect(await page.textContent(`[data-testid="field-${FIELD}"] [role="alert"]`)).toBe(`${FIELD}: must not be negative (got "-5")`);
    expect(await page.textContent('[data-testid="override-count"]')).toBe('0');

    await page.fill(input, '150');
    await page.press(input, 'Enter');
    await page.waitForSelector(`${row}[data-size="1K"][data-overridden="true"] [data-testid="override-marker"]`);
    expect(await page.textContent(`${row}[data-size="1K"] [data-col="exact"]`)).toBe('$0.168');
    expect(await page.textContent(`${row}[data-size="4K"] [data-col="exact"]`)).toBe('$0.3');
    expect(await waitForTotal(page, overridden)).toBe(overridden);

    await page.reload();
    await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 90_000 });
    expect(await waitForTotal(page, overridden)).toBe(overridden);
    await openEditor(page);
    expect(await page.getAttribute(`${row}[data-size="1K"]`, 'data-overridden')).toBe('true');
    expect(await page.inputValue(input)).toBe('150');
    expect(await page.textContent(`[data-testid="field-${FIELD}"] label`)).toContain('override');

    await page.click(`[data-testid="field-${FIELD}"] [data-testid="override-reset"]`);
    await page.waitForSelector(`${row}[data-size="1K"][data-overridden="false"]`);
    expect(await waitForTotal(page, original)).toBe(original);

    // Keyboard: Escape closes the editor and focus returns to the row's Edit button.
    await openEditor(page);
    await page.focus(input);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="price-editor"]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-price-id'))).toBe(PRICE_ID);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('choosing the documented Flash 3.1 variant re-prices the total to the Node figure', async () => {
    expect(documented).not.toBe(original);
    const page = await openApp(browser);
    await page.click('[data-testid="nav-rates"]');
    await page.selectOption('[data-testid="variant-flash-3.1-input-text-rates"]', 'documented');
    await page.waitForSelector('[data-testid="rate-row"][data-price-id="gemini-3.1-flash-image|google|standard|documented"]');
    expect(await waitForTotal(page, documented)).toBe(documented);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('a bad card is refused with its message and stored nowhere; an import shows what it could not express', async () => {
    const page = await openApp(browser);
    await page.click('[data-testid="nav-rates"]');
    const bad = JSON.parse(readFileSync('data/rate-cards/other-vendors.json', 'utf8'));
    bad.prices[0].lane = 'turbo';
    await page.setInputFiles('[data-testid="load-rate-card"]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const problems = await page.waitForSelector('[data-testid="load-problems"]');
    expect(await problems.textContent()).toContain('bad.json: prices[0] (gpt-image-1-low / openai / turbo / from 2026-03-01), lane: "turbo" is not one of standard, batch, flex, priority');
    expect(await page.$('[data-testid="user-cards"]')).toBeNull();
    expect(await page.$('[data-testid="rate-card-error"]')).toBeNull();

    await page.fill('[data-testid="import-from"]', '2026-01-01');
    await page.setInputFiles('[data-testid="load-rate-card"]', 'test/fixtures/importers/openrouter-models.json');
    await page.click('[data-testid="preview-apply"]');
    const notes = await page.waitForSelector('[data-testid="import-notes"]', { state: 'attached' });
    expect(await notes.textContent()).toContain('variable price (-1');
    expect(await page.textContent('[data-testid="user-cards"]')).toContain('openrouter-models.json');
    // OpenRouter Pro 1K is now token-priced: $0.1344 instead of the bundled $0.14
    expect(await page.textContent('[data-testid="rate-row"][data-price-id="gemini-3-pro-image|openrouter|standard|2026-01-01"][data-size="1K"] [data-col="exact"]')).toBe(
      '$0.1344',
    );
    await page.click('[data-testid="remove-card"]');
    await page.waitForSelector('[data-testid="rate-row"][data-price-id="gemini-3-pro-image|openrouter|standard|2026-02-01"]');

    // Export, then load the export back: it replaces every bundled entry and every figure stays the same.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-rate-card"]')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported.format).toBe('pixelspend-rate-card');
    expect(exported.prices).toHaveLength(bundledRates().prices.length);
    await page.setInputFiles('[data-testid="load-rate-card"]', { name: 'exported.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    // The preview says the export changes no request's price.
    await page.waitForSelector('[data-testid="import-preview"]');
    expect([await page.textContent('[data-testid="preview-changed"]'), await page.textContent('[data-testid="preview-unpriced"]')]).toEqual(['0', '0']);
    await page.click('[data-testid="preview-apply"]');
    await page.waitForSelector('[data-testid="load-result"]');
    expect(await page.$('[data-testid="load-problems"]')).toBeNull();
    expect(await page.textContent(`${row}[data-size="1K"] [data-col="source"]`)).toContain('exported.json');
    expect(await waitForTotal(page, original)).toBe(original);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
