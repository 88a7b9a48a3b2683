import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDuplicates, loadRetryBreakdown } from '../../src/db/dashboard';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import type { Filters } from '../../src/domain/filters';
import { divideRounded, formatPlain, formatUsd, sumPico, toUsdNumber, type Pico } from '../../src/domain/money';
import type { Report } from '../../src/domain/report';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const rates = bundledRates();
const int = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const unit = (p: Pico) => formatUsd(toUsdNumber(p), Math.abs(toUsdNumber(p)) < 1 ? 4 : 2);

/** Every headline figure the views show, computed on the Node engine for the same data. */
interface Expected {
  report: Report;
  overview: Record<string, string>;
  spend: Record<string, string>;
  batch: Record<string, string>;
  retry: Record<string, string>;
  acceptance: Record<string, string>;
  duplicates: Record<string, string>;
  explorerTotal: number;
}

async function expectedFor(engine: Engine, filters: Filters, eligible?: string[]): Promise<Expected> {
  const report = await buildReport(engine, { filters, batchEligibleJobTypes: eligible });
  const retry = await loadRetryBreakdown(engine, filters);
  const dup = await loadDuplicates(engine, filters, 50);
  // Independent sums over the acceptance groups and retry groups (not the views' helpers).
  let accepted = 0;
  let withFeedback = 0;
  for (const a of report.acceptance) {
    accepted += a.accepted;
    withFeedback += a.withFeedback;
  }
  const feedbackCost = sumPico(report.acceptance.map((a) => a.cost));
  const proRetry = sumPico(retry.byModel.filter((g) => rates.models.get(g.key)?.family === 'pro').map((g) => g.retryCost));
  const retried = retry.byModel.reduce((n, g) => n + g.retried, 0);
  const priced = retry.byModel.reduce((n, g) => n + g.requests, 0);
  return {
    report,
    overview: {
      'total-cost': formatUsd(report.totalCost),
      requests: int(report.requests),
      'retry-cost': formatUsd(report.retry.retryCost),
      'batch-realized': formatUsd(report.batch.realizedSavings),
      'batch-missed': formatUsd(report.batch.potentialSavingsEligible),
      'cost-per-accepted': accepted ? unit(divideRounded(feedbackCost, accepted)) : '—',
      'unpriced-requests': int(report.unpricedRequests),
    },
    spend: { 'spend-total': formatUsd(report.totalCost) },
    batch: {
      'batch-realized': formatUsd(report.batch.realizedSavings),
      'batch-missed': formatUsd(report.batch.potentialSavingsEligible),
      'batch-missed-all': formatUsd(report.batch.potentialSavingsAll),
    },
    retry: {
      'retry-cost': formatUsd(report.retry.retryCost),
      'retry-share': pct(report.retry.retryShare),
      'retry-rate': pct(priced ? retried / priced : 0),
      'pro-retry-cost': formatUsd(proRetry),
    },
    acceptance: { 'acceptance-rate': withFeedback ? pct(accepted / withFeedback) : '—' },
    duplicates: {
      'duplicate-requests': int(dup.requestsInRepeats - dup.repeatedHashes),
      'duplicate-cost': formatUsd(report.duplicates.duplicateCost),
      'repeated-hashes': int(dup.repeatedHashes),
    },
    explorerTotal: report.requests,
  };
}

async function showView(page: Page, view: string) {
  await page.click(`[data-testid="nav-${view}"]`);
  await page.waitForSelector(`[data-testid="view-${view}"][data-status="ready"]`, { timeout: 90_000 });
}

async function readFigures(page: Page, view: string, ids: string[]): Promise<Record<string, string>> {
  const root = `[data-testid="view-${view}"]`;
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = ((await page.textContent(`${root} [data-testid="${id}"]`)) ?? '').trim();
  return out;
}

/** Waits until a view shows exactly the expected figures (a re-query may still be on its way). */
async function expectFigures(page: Page, view: string, want: Record<string, string>) {
  await expect.poll(() => readFigures(page, view, Object.keys(want)), { timeout: 60_000, interval: 200 }).toEqual(want);
}

async function expectEveryView(page: Page, e: Expected) {
  await showView(page, 'overview');
  await expectFigures(page, 'overview', e.overview);
  await showView(page, 'spend');
  await expectFigures(page, 'spend', e.spend);
  const byModel = await page.$$eval('[data-testid="spend-model-table"] tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('[data-col="key"] span')?.getAttribute('title') ?? '', tr.querySelector('[data-col="cost"]')?.textContent ?? ''] as const),
  );
  expect(new Map(byModel)).toEqual(new Map(e.report.byModel.map((m) => [m.model, formatUsd(m.cost)] as const)));
  await showView(page, 'batch');
  await expectFigures(page, 'batch', e.batch);
  await showView(page, 'retry');
  await expectFigures(page, 'retry', e.retry);
  await showView(page, 'acceptance');
  await expectFigures(page, 'acceptance', e.acceptance);
  expect(await page.$$eval('[data-testid="acceptance-table"] tbody tr', (trs) => trs.length)).toBe(Math.max(1, e.report.acceptance.length));
  await showView(page, 'duplicates');
  await expectFigures(page, 'duplicates', e.duplicates);
  await showView(page, 'explorer');
  await expect.poll(() => page.getAttribute('[data-testid="explorer-total"]', 'data-total'), { timeout: 60_000 }).toBe(String(e.explorerTotal));
}

function parseCsv(text: string): string[][] {
  // The exported tables here hold no quoted cells: split plainly and check that assumption.
  expect(text).not.toContain('"');
  return text.trimEnd().split('\r\n').map((line) => line.split(','));
}

describe('the dashboard on the bundled sample, in headless Chromium', () => {
  let browser: Browser;
  let engine: Engine;
  let all: Expected;
  let pro: Expected;

  beforeAll(async () => {
    browser = await launchBrowser();
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    all = await expectedFor(engine, {});
    pro = await expectedFor(engine, { models: ['gemini-3-pro-image'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('every view shows the figures the Node engine computes', async () => {
    const page = await openApp(browser, '?view=overview');
    await expectEveryView(page, all);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('a model filter in the link changes every view to the filtered figures', async () => {
    expect(pro.overview['total-cost']).not.toBe(all.overview['total-cost']);
    expect(pro.duplicates['duplicate-cost']).not.toBe(all.duplicates['duplicate-cost']);
    const page = await openApp(browser, '?view=overview&model=gemini-3-pro-image');
    await expectEveryView(page, pro);
    // Pro alone: no job type has both families, and the page says so instead of judging.
    await showView(page, 'acceptance');
    expect(await page.isVisible('[data-testid="no-verdicts"]')).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('filters that match nothing show a designed empty state with a way out', async () => {
    const page = await openApp(browser, '?view=overview');
    await page.goto(`${new URL(page.url()).origin}/?view=spend&job=no_such_job`);
    await page.waitForSelector('[data-testid="view-spend"][data-status="ready"] [data-testid="empty-no-match"]', { timeout: 90_000 });
    await page.click('[data-testid="empty-no-match"] button');
    await expectFigures(page, 'spend', all.spend);
    await page.close();
  });

  it('the filter bar filters, lands in the URL, and Clear filters restores the totals', async () => {
    const batchOnly = await expectedFor(engine, { lanes: ['batch'] });
    const page = await openApp(browser, '?view=overview');
    await page.click('[data-testid="filter-lane"] summary');
    await page.check('[data-testid="filter-lane"] input[value="batch"]');
    await expectFigures(page, 'overview', batchOnly.overview);
    expect(new URL(page.url()).searchParams.get('lane')).toBe('batch');
    await page.click('[data-testid="filter-clear"]');
    await expectFigures(page, 'overview', all.overview);
    expect(new URL(page.url()).searchParams.get('lane')).toBeNull();
    await page.close();
  });

  it('models ticked faster than the views answer end on the last tick’s figures, in every view', async () => {
    const page = await openApp(browser, '?view=overview');
    await showView(page, 'duplicates');
    await page.click('[data-testid="filter-model"] summary');
    const values = await page.$$eval('[data-testid="filter-model"] input[type="checkbox"]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    const ticked = values.slice(0, 3);
    expect(ticked).toHaveLength(3);
    // 10 ms apart: each tick comes before the reads of the one before have run, and those are skipped.
    await page.evaluate(async (models) => {
      for (const model of models) {
        document.querySelector<HTMLInputElement>(`[data-testid="filter-model"] input[value="${model}"]`)!.click();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }, ticked);
    const last = await expectedFor(engine, { models: ticked });
    expect(last.duplicates).not.toEqual(all.duplicates);
    await expectFigures(page, 'duplicates', last.duplicates);
    await expectEveryView(page, last);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('ticking filters moves nothing on the page, at 1280 and 1000 px wide', async () => {
    const page = await openApp(browser, '?view=overview');
    const top = () => page.$eval('[data-testid="view-overview"]', (el) => el.getBoundingClientRect().top);
    for (const width of [1280, 1000]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]');
      const before = await top();
      await page.click('[data-testid="filter-model"] summary');
      // A long label ("Nano Banana 2 (gemini-3.1-flash-image)"), then a second value ("2 selected").
      await page.check('[data-testid="filter-model"] input[value="gemini-3.1-flash-image"]');
      expect(await top(), `${width} px, one model`).toBe(before);
      expect(await page.getAttribute('[data-testid="filter-model"] .multi-select__value', 'title')).toContain('gemini-3.1-flash-image');
      await page.check('[data-testid="filter-model"] input[value="gemini-3-pro-image"]');
      expect(await top(), `${width} px, two models`).toBe(before);
      await page.click('[data-testid="filter-clear"]');
      expect(await top(), `${width} px, cleared`).toBe(before);
    }
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('editing the batch-eligible job types moves the missed-savings figure', async () => {
    const page = await openApp(browser, '?view=overview');
    await showView(page, 'batch');
    await page.uncheck('[data-testid="eligible-draft"]');
    await page.check('[data-testid="eligible-final"]');
    const edited = await expectedFor(engine, {}, ['final', 'thumbnail', 'variant']);
    expect(edited.batch['batch-missed']).not.toBe(all.batch['batch-missed']);
    await expectFigures(page, 'batch', edited.batch);
    await page.close();
  });

  it('exports a table and an explorer page as CSV with exact figures', async () => {
    const page = await openApp(browser, '?view=overview');
    await showView(page, 'spend');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="spend-model-table-export"]')]);
    expect(download.suggestedFilename()).toBe('pixelspend-spend-by-model.csv');
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(rows[0]).toEqual(['Model', 'Requests', 'Images', 'Spend (USD)', 'Share', 'Per image (USD)', 'Unpriced']);
    const got = new Map(rows.slice(1).map((r) => [r[0], [Number(r[1]), r[3]]]));
    expect(got).toEqual(new Map(all.report.byModel.map((m) => [m.model, [m.requests, formatPlain(m.cost)]])));

    await showView(page, 'explorer');
    await page.click('[data-testid="sort-cost"]');
    await page.waitForSelector('[data-testid="view-explorer"][data-status="ready"]');
    await expect.poll(() => page.textContent('[data-testid="explorer-table"] tbody tr:first-child [data-col="cost"]')).not.toBe('$0');
    const [pageCsv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="explorer-export"]')]);
    const lines = parseCsv(readFileSync((await pageCsv.path())!, 'utf8'));
    expect(lines).toHaveLength(26);
    const costAt = lines[0]!.indexOf('cost');
    const top = await engine.query<{ cost: string }>('SELECT max(cost)::VARCHAR AS cost FROM priced');
    expect(lines[1]![costAt]).toBe(top[0]!.cost);
    await page.close();
  });

  it('exports every request matching the filters from the explorer', async () => {
    const page = await openApp(browser, '?view=overview&model=gemini-3-pro-image&size=4K');
    await showView(page, 'explorer');
    const want = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM priced WHERE model_key = 'gemini-3-pro-image' AND image_size = '4K'`);
    expect(want[0]!.n).toBeGreaterThan(100);
    await expect.poll(() => page.getAttribute('[data-testid="explorer-total"]', 'data-total')).toBe(String(want[0]!.n));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="explorer-export-all"]')]);
    const lines = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(lines).toHaveLength(want[0]!.n + 1);
    const model = lines[0]!.indexOf('model_key');
    const size = lines[0]!.indexOf('image_size');
    expect(new Set(lines.slice(1).map((l) => `${l[model]} ${l[size]}`))).toEqual(new Set(['gemini-3-pro-image 4K']));
    await page.close();
  });
});
