import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumProfile } from '../../scripts/lib/preview';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatUsd } from '../../src/domain/money';
import { loadSampleLog, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { baseUrl } from './browser';

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

const wasmCacheBytes = (profile: string) => {
  try {
    return bytesUnder(join(profile, 'Default', 'Code Cache', 'wasm'));
  } catch {
    return 0;
  }
};

describe('the browser keeps the engine compiled from one visit to the next', () => {
  let total: string;
  beforeAll(async () => {
    const engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, bundledRates());
    total = formatUsd((await buildReport(engine)).totalCost);
    await engine.close();
  });

  // V8's optimising compiler on, as users have it (the other e2e files run the baseline one alone).
  it("a visit leaves DuckDB's optimised code in the profile's cache, and the next visit starts from it", async () => {
    const profile = mkdtempSync(join(tmpdir(), 'pixelspend-profile-'));
    const context = await launchChromiumProfile(profile);
    try {
      const visit = async () => {
        const page = await context.newPage();
        const warnings: string[] = [];
        page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && warnings.push(m.text()));
        page.on('pageerror', (e) => warnings.push(e.message));
        await page.goto(`${baseUrl()}?view=overview`);
        await page.waitForSelector('[data-testid="view-overview"]:not([data-first-figures])[data-status="ready"] [data-testid="total-cost"]', { timeout: 90_000 });
        return { page, warnings };
      };
      const first = await visit();
      // Chrome stores the module once enough of it runs optimised: the sample and the engine's warm-up are enough.
      // The engine's worker used to wrap the response it compiled, and the cache held 16 kB after any number of visits.
      await expect.poll(() => wasmCacheBytes(profile), { timeout: 60_000, interval: 500 }).toBeGreaterThan(1_000_000);
      expect(await first.page.textContent('[data-testid="total-cost"]')).toBe(total);
      expect(first.warnings).toEqual([]);
      await first.page.close();

      const second = await visit();
      expect(await second.page.textContent('[data-testid="total-cost"]')).toBe(total);
      expect(second.warnings).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 180_000);
});
