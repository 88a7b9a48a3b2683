import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { readPriceFile } from '../../src/domain/importers/detect';
import { formatUsd } from '../../src/domain/money';
import { layerRateCards, resolveRates, type RateCard } from '../../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const bundled = readRateCards(bundledRateCardPaths());
const rates = bundledRates();
const int = (n: number) => n.toLocaleString('en-US');

async function reportWith(engine: Engine, overlay: { name: string; card: RateCard } | null, filters = {}) {
  await applyRates(engine, overlay ? resolveRates(layerRateCards(bundled, [overlay])) : rates);
  return buildReport(engine, { filters });
}

async function totalShown(page: Page, want: string) {
  await page.click('[data-testid="nav-overview"]');
  await expect.poll(() => page.textContent('[data-testid="view-overview"][data-status="ready"] [data-testid="total-cost"]').catch(() => null), { timeout: 90_000 }).toBe(want);
}

describe('price history: dated entries and previewed imports', () => {
  let browser: Browser;
  let engine: Engine;
  beforeAll(async () => {
    browser = await launchBrowser();
    engine = await testEngine();
    await loadSampleLog(engine);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a dated entry added in the UI re-prices only the requests from its date on (totals equal the Node engine)', async () => {
    // By hand: the bundled Flash batch entry ends on 2026-07-15, a new one at $45/1M image tokens starts then.
    const flashBatch = JSON.parse(readFileSync('data/rate-cards/google-gemini.json', 'utf8')).prices.find(
      (p: { model: string; provider: string; lane: string }) => p.model === 'gemini-3.1-flash-image' && p.provider === 'google' && p.lane === 'batch',
    );
    const card: RateCard = {
      format: 'pixelspend-rate-card',
      version: 1,
      name: 'by hand',
      prices: [
        { ...flashBatch, to: '2026-07-15' },
        { ...flashBatch, id: 'new', from: '2026-07-15', to: null, per_million_tokens: { ...flashBatch.per_million_tokens, output_image: '45.00' } },
      ],
    };
    const before = await reportWith(engine, null);
    const beforeEarly = await reportWith(engine, null, { to: '2026-07-14' });
    const after = await reportWith(engine, { name: 'by hand', card });
    const afterEarly = await reportWith(engine, { name: 'by hand', card }, { to: '2026-07-14' });
    expect(after.totalCost).toBeGreaterThan(before.totalCost);
    expect(afterEarly.totalCost).toBe(beforeEarly.totalCost);

    const page = await openApp(browser, '?view=overview');
    await page.click('[data-testid="nav-rates"]');
    await page.selectOption('[data-testid="history-key"]', 'gemini-3.1-flash-image|google|batch');
    expect(await page.$$eval('[data-testid="history-entry"]', (rows) => rows.length)).toBe(1);
    await page.fill('[data-testid="history-from"]', '2026-07-15');
    await page.fill('[data-testid="history-rate"]', '45.00');
    await page.click('[data-testid="history-add"]');
    await expect.poll(() => page.$$eval('[data-testid="history-entry"]', (rows) => rows.map((r) => r.getAttribute('data-from')))).toEqual(['2026-02-26', '2026-07-15']);
    // The requests each entry priced: independent count of priced Flash batch requests either side of the date.
    const [split] = await engine.query<{ early: number; late: number }>(`
      SELECT count(*) FILTER (WHERE ts < TIMESTAMP '2026-07-15') AS early, count(*) FILTER (WHERE ts >= TIMESTAMP '2026-07-15') AS late
      FROM priced WHERE model_key = 'gemini-3.1-flash-image' AND provider = 'google' AND lane = 'batch' AND unpriced_reason IS NULL`);
    await expect
      .poll(() => page.$$eval('[data-testid="history-requests"]', (tds) => tds.map((td) => td.textContent)), { timeout: 60_000 })
      .toEqual([int(Number(split!.early)), int(Number(split!.late))]);
    await totalShown(page, formatUsd(after.totalCost));
    await page.goto(page.url().replace('view=overview', 'view=overview&to=2026-07-14'));
    await expect.poll(() => page.textContent('[data-testid="total-cost"]').catch(() => null), { timeout: 90_000 }).toBe(formatUsd(beforeEarly.totalCost));
    expect(pageErrors(page)).toEqual([]);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  it('an entry edited in place moves the change date: requests between the two dates take the new price (totals equal the Node engine)', async () => {
    // By hand: laozhang's Pro entries change price on 2026-06-15 instead of 2026-07-01.
    const [early, late] = JSON.parse(readFileSync('data/rate-cards/gateways-resellers.json', 'utf8')).prices.filter(
      (p: { model: string; provider: string }) => p.model === 'gemini-3-pro-image' && p.provider === 'laozhang',
    );
    const card: RateCard = { format: 'pixelspend-rate-card', version: 1, name: 'by hand', prices: [{ ...early, to: '2026-06-15' }, { ...late, from: '2026-06-15' }] };
    const before = await reportWith(engine, null);
    const after = await reportWith(engine, { name: 'by hand', card });
    const window = { from: '2026-06-15', to: '2026-06-30' };
    expect((await reportWith(engine, { name: 'by hand', card }, window)).totalCost).toBeGreaterThan((await reportWith(engine, null, window)).totalCost);

    const page = await openApp(browser, '?view=overview');
    await page.click('[data-testid="nav-rates"]');
    // An editor left open on one price closes when another is picked (its entry is not in the new timeline).
    await page.selectOption('[data-testid="history-key"]', 'gemini-3.1-flash-image|google|batch');
    await page.click('[data-testid="history-edit"]');
    expect(await page.$('[data-testid="history-editor"]')).not.toBeNull();
    await page.selectOption('[data-testid="history-key"]', 'gemini-3-pro-image|laozhang|standard');
    expect(await page.$('[data-testid="history-editor"]')).toBeNull();
    await page.click('[data-testid="history-entry"][data-from="2026-07-01"] [data-testid="history-edit"]');
    await page.fill('[data-testid="history-edit-from"]', '2026-06-15');
    expect(await page.inputValue('[data-testid="history-edit-rate-1K"]')).toBe('0.09');
    await page.click('[data-testid="history-edit-save"]');
    await expect.poll(() => page.$$eval('[data-testid="history-entry"] th', (ths) => ths.map((th) => th.textContent))).toEqual(['2026-02-01 → 2026-06-15', '2026-06-15 → open']);
    expect(await page.$('[data-testid="history-problem"]')).toBeNull();
    await totalShown(page, formatUsd(after.totalCost));
    expect(after.totalCost).not.toBe(before.totalCost);
    expect(pageErrors(page)).toEqual([]);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  it('an import asks for its date and previews how many logged requests change price or lose it; Cancel keeps the prices', async () => {
    const json = JSON.parse(readFileSync('test/fixtures/importers/openrouter-models.json', 'utf8'));
    const loaded = readPriceFile(json, { name: 'openrouter-models.json', checked: '2026-09-15', from: '2026-09-15', knownModels: rates.aliases });
    const before = await reportWith(engine, null);
    const after = await reportWith(engine, { name: 'openrouter-models.json', card: loaded.card });
    const lost = after.unpricedRequests - before.unpricedRequests;
    expect(lost).toBeGreaterThan(100);

    const page = await openApp(browser, '?view=overview');
    await page.click('[data-testid="nav-rates"]');
    await page.waitForSelector('[data-testid="price-history"] [data-testid="history-requests"]');
    await page.fill('[data-testid="import-from"]', '2026-09-15');
    await page.setInputFiles('[data-testid="load-rate-card"]', 'test/fixtures/importers/openrouter-models.json');
    await page.waitForSelector('[data-testid="import-preview"]');
    // The counts appear once the log's cube is ready, however long the machine takes to build it.
    await page.waitForSelector('[data-testid="preview-unpriced"]', { timeout: 90_000 });
    expect(await page.textContent('[data-testid="preview-unpriced"]')).toBe(int(lost));
    expect(await page.textContent('[data-testid="preview-priced"]')).toBe('0');
    expect(await page.textContent('[data-testid="import-preview"]')).toContain('prices applied from 2026-09-15');
    await page.click('[data-testid="preview-cancel"]');
    expect(await page.$('[data-testid="user-cards"]')).toBeNull();
    await page.fill('[data-testid="import-from"]', '2026-09-15');
    await page.setInputFiles('[data-testid="load-rate-card"]', 'test/fixtures/importers/openrouter-models.json');
    await page.click('[data-testid="preview-apply"]');
    expect(await page.textContent('[data-testid="user-cards"]')).toContain('openrouter-models.json');
    await page.click('[data-testid="nav-overview"]');
    await expect.poll(() => page.textContent('[data-testid="view-overview"][data-status="ready"] [data-testid="unpriced-requests"]').catch(() => null), { timeout: 90_000 }).toBe(int(after.unpricedRequests));
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });
});
