/**
 * Time from choosing a log file (the Data view's file input, as a drop does) to every dashboard
 * view showing its figures, in headless Chromium on the production build:
 *   npx tsx scripts/generate-sample.mts --rows 1000000 --out /tmp/requests-1m.csv
 *   TZ=UTC npx tsx scripts/bench-dashboard.mts [--runs 3] [--port 4433] [--out-dir /tmp/dist-dash] [--skip-build] FILE…
 * Default FILE: data/sample/requests.csv. Prints each run and the medians; asserts nothing.
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, serveBuild } from './lib/preview';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '4433' },
    'out-dir': { type: 'string', default: '/tmp/dist-dash' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const VIEWS = ['overview', 'spend', 'batch', 'retry', 'acceptance', 'duplicates', 'explorer'];
const files = positionals.length ? positionals : ['data/sample/requests.csv'];
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { url, stop } = await serveBuild({ port: values.port, outDir: values['out-dir'], build: !values['skip-build'] });
try {
  const browser = await launchChromium();
  console.log(`Chromium ${browser.version()}, ${runs} run(s) per file; times from choosing the file`);
  for (const file of files) {
    const totals: number[] = [];
    const loads: number[] = [];
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${url}?view=overview`);
      await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]', { timeout: 120_000 });
      await page.click('[data-testid="nav-data"]');
      await page.check('[data-testid="mode-replace"]');
      const t0 = Date.now();
      await page.setInputFiles('[data-testid="file-input"]', resolve(file));
      await page.locator(`[data-testid="file-diagnostics-0"][data-file="${basename(file)}"]`).waitFor({ timeout: 600_000 });
      const loaded = Date.now() - t0;
      const marks: string[] = [`loaded+priced ${loaded} ms`];
      for (const view of VIEWS) {
        const t = Date.now();
        await page.click(`[data-testid="nav-${view}"]`);
        await page.waitForSelector(`[data-testid="view-${view}"][data-status="ready"]`, { timeout: 600_000 });
        marks.push(`${view} ${Date.now() - t}`);
      }
      const total = Date.now() - t0;
      // Explorer interactions on the loaded log: each is a page query plus a count in DuckDB.
      for (const [name, selector] of [['next page', '[data-testid="explorer-next"]'], ['sort by cost', '[data-testid="sort-cost"]']] as const) {
        const t = Date.now();
        await page.click(selector);
        await page.waitForSelector('[data-testid="view-explorer"][data-status="ready"]', { timeout: 600_000 });
        marks.push(`explorer ${name} ${Date.now() - t}`);
      }
      loads.push(loaded);
      totals.push(total);
      console.log(`${basename(file)} (${(statSync(file).size / 1e6).toFixed(1)} MB) run ${run + 1}: all views ready ${total} ms | ${marks.join(', ')}`);
      await page.close();
    }
    console.log(`${basename(file)}: median load ${median(loads)} ms, median all views ready ${median(totals)} ms`);
  }
  await browser.close();
} finally {
  stop();
}
