/**
 * Bundle sizes and start-up in headless Chromium, on the production build:
 *   npx tsx scripts/measure-startup.mts [--runs 5] [--port 4391]
 * Prints JS/CSS gzip sizes, wasm sizes, engine start time and time to first figure (medians).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, serveBuild } from './lib/preview';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('--runs', 5);
const port = option('--port', 4391);
const outDir = '/tmp/pixelspend-measure';

const { url, stop } = await serveBuild({ port, outDir });
try {
const assets = join(outDir, 'assets');
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
let jsRaw = 0;
let jsGzip = 0;
console.log('asset sizes (raw / gzip):');
for (const file of readdirSync(assets).sort()) {
  const bytes = readFileSync(join(assets, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (file.endsWith('.js') && !file.includes('worker')) {
    jsRaw += bytes.length;
    jsGzip += gz;
  }
  const big = statSync(join(assets, file)).size > 1024 * 1024;
  console.log(`  ${file.padEnd(48)} ${big ? mb(bytes.length) : kb(bytes.length)} / ${big ? mb(gz) : kb(gz)}`);
}
console.log(`app JavaScript (excluding DuckDB workers): ${kb(jsRaw)} raw, ${kb(jsGzip)} gzip`);

  const engineStarts: number[] = [];
  const firstFigures: number[] = [];
  for (let run = 0; run < runs; run++) {
    const browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="total-cost"]', { timeout: 120_000 });
    firstFigures.push(await page.evaluate(() => performance.now()));
    const badge = (await page.textContent('[data-testid="engine-status"]')) ?? '';
    engineStarts.push(Number(/ready in (\d+) ms/.exec(badge)?.[1] ?? NaN));
    await browser.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`engine start (selectBundle → worker → instantiate → open), median of ${runs}: ${median(engineStarts).toFixed(0)} ms  [${engineStarts.join(', ')}]`);
  console.log(`navigation → first figure on screen (sample, 50,000 rows), median of ${runs}: ${median(firstFigures).toFixed(0)} ms  [${firstFigures.map((x) => x.toFixed(0)).join(', ')}]`);
} finally {
  stop();
}
