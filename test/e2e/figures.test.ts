import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFilterOptions, loadRetryBreakdown } from '../../src/db/dashboard';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import type { Report } from '../../src/domain/report';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const rates = bundledRates();
const int = (n: number) => n.toLocaleString('en-US');

async function show(page: Page, view: string) {
  await page.click(`[data-testid="nav-${view}"]`);
  if (view === 'plan') await page.waitForSelector('[data-testid="scenario-lines"]', { timeout: 90_000 });
  else await page.waitForSelector(`[data-testid="view-${view}"][data-status="ready"]`, { timeout: 90_000 });
}

describe('figures on screen agree with each other and with the Node engine', () => {
  let browser: Browser;
  let engine: Engine;
  let report: Report;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    report = await buildReport(engine);
    page = await openApp(browser, '?view=overview');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Spend: the Models count is the number of models its table lists', async () => {
    await show(page, 'spend');
    const listed = await page.$$eval('[data-testid="spend-model-table"] tbody tr', (trs) => trs.length);
    // Independent: every model with any request, priced or not.
    const want = report.byModel.filter((m) => m.requests + m.unpricedRequests > 0).length;
    expect(listed).toBe(want);
    expect(await page.textContent('[data-testid="spend-models"]')).toBe(int(want));
  });

  it('Spend: the model × resolution chart labels every bar', async () => {
    const labels = [...new Set(report.byModelResolution.map((g) => (rates.models.get(g.model)?.label ?? g.model).replace(/\s/g, '')))];
    expect(labels.length).toBeGreaterThan(2);
    await page.locator('[data-testid="spend-model-resolution-chart"]').scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.$$eval('[data-testid="spend-model-resolution-chart"] .recharts-cartesian-axis-tick-value', (t) => t.map((x) => (x.textContent ?? '').replace(/\s/g, ''))), { timeout: 30_000 })
      .toEqual(expect.arrayContaining(labels));
  });

  it('Explorer: the intro says what it lists (all requests, priced or not)', async () => {
    await show(page, 'explorer');
    const intro = await page.textContent('[data-testid="view-explorer"] .view__intro');
    expect(intro).not.toMatch(/every priced request/i);
    await expect.poll(() => page.getAttribute('[data-testid="explorer-total"]', 'data-total')).toBe(String(report.requests));
  });

  it('Duplicates: repeats and repeated prompts count the same requests; table in the chart\'s order, with model names', async () => {
    const [all] = await engine.query<{ repeats: number; hashes: number }>(`
      WITH h AS (SELECT prompt_hash, count(*) AS n FROM priced WHERE prompt_hash IS NOT NULL AND prompt_hash <> '' GROUP BY 1)
      SELECT (sum(n - 1) FILTER (WHERE n > 1))::BIGINT AS repeats, count(*) FILTER (WHERE n > 1) AS hashes FROM h`);
    await show(page, 'duplicates');
    expect(await page.textContent('[data-testid="duplicate-requests"]')).toBe(int(Number(all!.repeats)));
    expect(await page.textContent('[data-testid="repeated-hashes"]')).toBe(int(Number(all!.hashes)));
    expect(Number(all!.repeats)).toBeGreaterThanOrEqual(Number(all!.hashes));
    expect(await page.textContent('[data-testid="duplicate-priced-note"]')).toContain(`${int(report.duplicates.duplicateRequests)} of the ${int(Number(all!.repeats))} repeats have a price`);
    const regen = await page.$$eval('[data-testid="duplicates-table"] tbody [data-col="regen"]', (tds) => tds.map((td) => Number(td.textContent!.replace(/[$,]/g, ''))));
    expect(regen.length).toBeGreaterThan(3);
    expect(regen).toEqual([...regen].sort((a, b) => b - a));
    const models = await page.$$eval('[data-testid="duplicates-table"] tbody [data-col="models"]', (tds) => tds.map((td) => td.textContent ?? ''));
    for (const text of models) for (const id of rates.models.keys()) expect(text.split(', ')).not.toContain(id);
  });

  it('Retry tax: the Pro-vs-Flash sentence states the ratio of the figures, not a fixed "twice"', async () => {
    const retry = await loadRetryBreakdown(engine, {});
    let proCost = 0n, proAttempts = 0, flashCost = 0n, flashAttempts = 0;
    for (const g of retry.byModel) {
      const family = rates.models.get(g.key)?.family;
      if (family === 'pro') {
        proCost += g.cost;
        proAttempts += g.billedAttempts;
      } else if (family === 'flash') {
        flashCost += g.cost;
        flashAttempts += g.billedAttempts;
      }
    }
    const ratio = Number(proCost) / proAttempts / (Number(flashCost) / flashAttempts);
    await show(page, 'retry');
    expect(await page.textContent('[data-testid="pro-flash-ratio"]')).toBe(`Here each Pro attempt costs about ${ratio.toFixed(1)}× a Flash one`);
  });

  it('Filters: the date boxes say the range of the loaded data', async () => {
    const options = await loadFilterOptions(engine);
    expect(await page.textContent('[data-testid="filter-data-range"]')).toBe(`Data: ${options.firstDay} to ${options.lastDay} (UTC)`);
  });

  it('Calculator: Share is a percentage of the weights, the timing is not shown, a volume above the limit says it was capped', async () => {
    await show(page, 'plan');
    await page.click('[data-testid="start-from-data"]');
    await page.waitForSelector('[data-testid="from-data-note"]');
    const weights = await page.$$eval('[data-testid="scenario-line"] input[aria-label$="weight"]', (els) => els.map((e) => Number((e as HTMLInputElement).value)));
    const shares = await page.$$eval('[data-testid^="line-"][data-testid$="-share-pct"]', (els) => els.map((e) => e.textContent ?? ''));
    const sum = weights.reduce((a, b) => a + b, 0);
    expect(weights.length).toBeGreaterThan(1);
    expect(shares).toEqual(weights.map((w) => `${((w / sum) * 100).toFixed(1)}%`));
    expect(await page.isVisible('[data-testid="recompute-ms"]')).toBe(false);
    expect(await page.textContent('[data-testid="view-plan"]')).not.toContain('recomputed in');
    await page.fill('[data-testid="volume"]', '250000000');
    expect(await page.textContent('[data-testid="volume-note"]')).toContain('capped at 100,000,000');
    expect(await page.inputValue('[data-testid="volume"]')).toBe('100000000');
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('dark mode and print', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('follows prefers-color-scheme, and the toggle overrides it both ways', async () => {
    const page = await openApp(browser, '?view=overview');
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await bg();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    expect(light).toBe('rgb(246, 247, 251)');
    expect(dark).toBe('rgb(20, 23, 31)');
    // system → light → dark → system
    await page.click('[data-testid="theme-toggle"]');
    expect(await bg()).toBe(light);
    await page.click('[data-testid="theme-toggle"]');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg()).toBe(dark);
    await page.click('[data-testid="theme-toggle"]');
    expect(await bg()).toBe(light);
    await page.close();
  });

  it('a printed view says its filters, the data range and the rate-card state', async () => {
    const page = await openApp(browser, '?view=overview&lane=batch&size=4K');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="print-header"]')).toBe(true);
    expect(await page.isVisible('[data-testid="filter-bar"]')).toBe(false);
    expect(await page.textContent('[data-testid="print-filters"]')).toBe('Filters: lanes: batch; sizes: 4K');
    expect(await page.textContent('[data-testid="print-range"]')).toMatch(/^Data: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC\)$/);
    expect(await page.textContent('[data-testid="print-rates"]')).toMatch(/^Rate card: bundled; 0 manual overrides/);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.isVisible('[data-testid="print-header"]')).toBe(false);
    await page.close();
  });
});
