import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { applyRates } from '../../src/db/workspace';
import { formatUsd, mulPico, sumPico, type Pico } from '../../src/domain/money';
import { IMAGE_SIZES, type ImageSize } from '../../src/domain/rate-card';
import { perImagePrices } from '../../src/domain/scenario';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const rates = bundledRates();

interface Req {
  model: string;
  size: string;
  day: string;
  images: number;
  billed: number;
}

describe('provider comparison: the last 30 days priced on every provider × lane', () => {
  let browser: Browser;
  let engine: Engine;
  let requests: Req[];

  beforeAll(async () => {
    browser = await launchBrowser();
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    // Request by request, in Node: the 30 UTC days up to the log's last day.
    requests = await engine.query<Req>(`
      WITH last AS (SELECT max(ts)::DATE AS d FROM priced WHERE model_key IS NOT NULL)
      SELECT model_key AS model, COALESCE(image_size, '') AS size, strftime(ts, '%Y-%m-%d') AS day, images::INTEGER AS images, billed_attempts::INTEGER AS billed
      FROM priced, last WHERE ts IS NOT NULL AND model_key IS NOT NULL AND ts::DATE > last.d - INTERVAL 30 DAY AND ts::DATE <= last.d`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('each provider × lane costs what an independent per-request loop in Node says, and says how many it cannot price', async () => {
    expect(requests.length).toBeGreaterThan(1000);
    const candidates = [...new Set(rates.prices.map((p) => `${p.provider}|${p.lane}`))];
    const want = new Map<string, { cost: string; unpriced: number }>();
    for (const c of candidates) {
      const [provider, lane] = c.split('|') as [string, string];
      const costs: Pico[] = [];
      let unpriced = 0;
      for (const r of requests) {
        const found = (IMAGE_SIZES as readonly string[]).includes(r.size)
          ? perImagePrices(rates, { model: r.model, provider, lane, size: r.size as ImageSize }, Date.parse(`${r.day}T00:00:00Z`))
          : { reason: 'size_not_offered' as const };
        if ('reason' in found) unpriced++;
        else costs.push(mulPico(found.exact, r.images * r.billed));
      }
      want.set(`${provider}-${lane}`, { cost: costs.length ? formatUsd(sumPico(costs)) : '—', unpriced });
    }
    // The comparison is worth something only if providers differ.
    expect(new Set([...want.values()].map((w) => w.cost)).size).toBeGreaterThan(3);

    const page = await openApp(browser, '?view=overview');
    await page.click('[data-testid="nav-compare"]');
    await page.waitForSelector('[data-testid="view-compare"][data-status="ready"] [data-testid="compare-table"]', { timeout: 90_000 });
    const got = new Map<string, { cost: string; unpriced: number }>();
    for (const id of want.keys()) {
      const cost = (await page.textContent(`[data-testid="compare-cost-${id}"]`))!;
      const unpriced = await page.$eval(`[data-testid="compare-unpriced-${id}"]`, (td) => td.querySelector('summary')?.textContent ?? '0');
      got.set(id, { cost, unpriced: Number(unpriced.replace(/,/g, '')) });
    }
    expect(got).toEqual(want);
    expect(await page.textContent('[data-testid="compare-summary"]')).toContain(`${requests.length.toLocaleString('en-US')} requests`);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
