/**
 * The plan view's slider-to-figures time in headless Chromium on a 1M-row log:
 *   TZ=UTC npx tsx scripts/bench-browser.mts [--rows 1000000] [--port 4444] [--out /tmp/dist-plan-bench]
 * Builds the app, serves it, loads the log through the Data view's file input, then moves
 * the calculator's volume input and reads the time the view measures from the input event
 * to the effect after the new figures commit (`data-ms` on [data-testid=recompute-ms]);
 * also times a policy-window change end to end from the page. Nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launchChromium, serveBuild } from './lib/preview';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ROWS = Number(arg('--rows', '1000000'));
const PORT = Number(arg('--port', '4444'));
const OUT = arg('--out', '/tmp/dist-plan-bench');
const CSV = `/tmp/pixelspend-bench-${ROWS}.csv`;

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms (n=${samples.length})`;
}

if (!existsSync(CSV)) {
  const gen = spawnSync('npx', ['tsx', 'scripts/generate-sample.mts', '--rows', String(ROWS), '--out', CSV], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('generating the log failed');
}
const { url, stop } = await serveBuild({ port: PORT, outDir: OUT });
try {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}?view=data`);
  await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="file-diagnostics-0"]', { timeout: 120_000 }); // the bundled sample
  await page.check('[data-testid="mode-replace"]');
  const loadStart = performance.now();
  await page.setInputFiles('[data-testid="file-input"]', CSV);
  await page.waitForFunction(
    (rows) => document.querySelector('[data-testid="file-diagnostics-0"] [data-testid="diag-rows-read"]')?.textContent === rows,
    ROWS.toLocaleString('en-US'),
    { timeout: 900_000, polling: 500 },
  );
  console.log(`Chromium: ${ROWS.toLocaleString('en-US')} rows loaded and priced in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const cubeStart = performance.now();
  await page.click('[data-testid="nav-plan"]');
  await page.waitForSelector('[data-testid="calc-monthly-exact"]', { timeout: 300_000 });
  console.log(`Chromium: plan view ready (cube built from the 1M-row log) in ${(performance.now() - cubeStart).toFixed(0)} ms`);
  await page.click('[data-testid="start-from-data"]');

  const slider: number[] = [];
  for (let i = 0; i < 60; i++) {
    // Clear the last reading, so the next one is known to come from this move.
    await page.evaluate(() => document.querySelector('[data-testid="recompute-ms"]')?.removeAttribute('data-ms'));
    await page.fill('[data-testid="volume"]', String(2000 + i * 37));
    await page.waitForFunction(() => document.querySelector('[data-testid="recompute-ms"]')?.hasAttribute('data-ms'), undefined, { timeout: 10_000 });
    const ms = Number(await page.getAttribute('[data-testid="recompute-ms"]', 'data-ms'));
    if (i >= 5) slider.push(ms); // the first moves warm up the JIT
  }
  console.log(`Chromium slider → figures (input event → figures committed): ${stats(slider)}`);

  await page.click('[data-testid="plan-tab-policies"]');
  await page.waitForSelector('[data-testid="policy-table"]');
  const windowTimes: number[] = [];
  for (let i = 0; i < 12; i++) {
    const value = ['90', '0', '30'][i % 3]!; // starts at 30: every step changes the window
    const ms = await page.evaluate(async (v) => {
      const select = document.querySelector<HTMLSelectElement>('[data-testid="policy-window"]')!;
      const table = document.querySelector('[data-testid="policy-table"] tbody')!;
      const before = table.textContent;
      const start = performance.now();
      select.value = v;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      while (table.textContent === before && performance.now() - start < 5000) await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - start;
    }, value);
    windowTimes.push(ms);
  }
  console.log(`Chromium policy window change → replay table (6 presets from the cube, to the next frame): ${stats(windowTimes)}`);
  await browser.close();
} finally {
  stop();
}
