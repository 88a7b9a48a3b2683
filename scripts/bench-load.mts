/**
 * Load time of request logs, in Node (DuckDB-WASM blocking build, as the CLI and tests) and,
 * with --browser, in headless Chromium through the Data view's file input:
 *   npx tsx scripts/generate-sample.mts --rows 1000000 --out /tmp/requests-1m.csv
 *   TZ=UTC npx tsx scripts/bench-load.mts [--runs 3] [--browser] [--port 4423] [--out /tmp/dist-load-bench] FILE…
 * Default FILE: data/sample/requests.csv. Prints medians; asserts nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ingestFiles } from '../src/db/ingest/ingest';
import { openNodeEngine } from '../src/db/node-engine';
import { buildReport } from '../src/db/report';
import { applyRates } from '../src/db/workspace';
import { resolveRates } from '../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';
import { launchChromium, serveBuild } from './lib/preview';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value ?? fallback;
};
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const runs = Number(option('--runs', '3'));
const port = Number(option('--port', '4423'));
const outDir = option('--out', '/tmp/dist-load-bench');
const inBrowser = flag('--browser');
const files = args.length > 0 ? args : ['data/sample/requests.csv'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
const rates = resolveRates(readRateCards(bundledRateCardPaths()));

console.log(`Node ${process.version}, ${runs} runs each, medians`);
for (const path of files) {
  const size = statSync(path).size;
  const timings = { read: [] as number[], ingest: [] as number[], price: [] as number[], report: [] as number[] };
  let rows = 0;
  const engine = await openNodeEngine();
  for (let run = 0; run < runs; run++) {
    let t = performance.now();
    const bytes = readFileSync(path);
    timings.read.push(performance.now() - t);
    t = performance.now();
    const [d] = await ingestFiles(engine, [{ name: basename(path), bytes }], { mode: 'replace' });
    timings.ingest.push(performance.now() - t);
    rows = d!.rowsRead;
    t = performance.now();
    await applyRates(engine, rates);
    timings.price.push(performance.now() - t);
    t = performance.now();
    await buildReport(engine);
    timings.report.push(performance.now() - t);
  }
  await engine.close();
  console.log(
    `node  ${basename(path)} (${(size / 1e6).toFixed(1)} MB, ${rows.toLocaleString('en-US')} rows): ` +
      `read file ${ms(median(timings.read))}, load+validate ${ms(median(timings.ingest))}, price ${ms(median(timings.price))}, ` +
      `full report ${ms(median(timings.report))}; load+price ${ms(median(timings.ingest.map((x, i) => x + timings.price[i]!)))}`,
  );
}

if (inBrowser) {
  const { url, stop } = await serveBuild({ port, outDir });
  const browser = await launchChromium();
  try {
    for (const path of files) {
      const samples: number[] = [];
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage();
        await page.goto(url);
        await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 120_000 });
        await page.waitForSelector('[data-testid="total-cost"]', { timeout: 120_000 });
        await page.click('[data-testid="nav-data"]');
        const t = performance.now();
        await page.setInputFiles('[data-testid="file-input"]', resolve(path));
        await page.waitForSelector(`[data-testid="file-diagnostics-0"][data-file="${basename(path)}"]`, { timeout: 600_000 });
        samples.push(performance.now() - t);
        await page.close();
      }
      console.log(`chromium  ${basename(path)}: file chosen → diagnostics shown (read, validate, price) ${ms(median(samples))} (runs: ${samples.map(ms).join(', ')})`);
    }
  } finally {
    await browser.close();
    stop();
  }
}
