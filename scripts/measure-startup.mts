/**
 * Bundle sizes and cold start-up in headless Chromium, on the production build:
 *   npx tsx scripts/measure-startup.mts [--runs 5] [--port 4391] [--out-dir /tmp/pixelspend-measure] [--no-build]
 * Prints JS/CSS gzip sizes (the initial JS: what index.html loads before anything renders), wasm sizes,
 * and the phases of a cold start (a fresh browser per run, so no HTTP or code cache), each a median:
 * HTML received → first figure on screen (the sample's first figures, built with the app) → engine ready →
 * sample loaded in the engine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, serveBuild } from './lib/preview';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};
const runs = Number(option('--runs', '5'));
const port = Number(option('--port', '4391'));
const outDir = option('--out-dir', '/tmp/pixelspend-measure');
const build = !args.includes('--no-build');

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();
const { url, stop } = await serveBuild({ port, outDir, build });
try {
  const assets = join(outDir, 'assets');
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
  const gzipOf = new Map<string, number>();
  let jsRaw = 0;
  let jsGzip = 0;
  console.log('asset sizes (raw / gzip):');
  for (const file of readdirSync(assets).sort()) {
    const bytes = readFileSync(join(assets, file));
    const gz = gzipSync(bytes, { level: 9 }).length;
    gzipOf.set(file, gz);
    if (file.endsWith('.js') && !file.includes('worker')) {
      jsRaw += bytes.length;
      jsGzip += gz;
    }
    const big = statSync(join(assets, file)).size > 1024 * 1024;
    console.log(`  ${file.padEnd(48)} ${big ? mb(bytes.length) : kb(bytes.length)} / ${big ? mb(gz) : kb(gz)}`);
  }
  console.log(`app JavaScript, every chunk (excluding DuckDB workers): ${kb(jsRaw)} raw, ${kb(jsGzip)} gzip`);
  // Initial JS: the entry script and the chunks index.html modulepreloads (all fetched before the first render).
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const initialGzip = initial.reduce((sum, f) => sum + (gzipOf.get(f) ?? 0), 0);
  console.log(`initial JS (index.html's script and modulepreloads: ${initial.join(', ')}): ${kb(initialGzip)} gzip`);

  type Phases = { html: number; engine: number; sample: number; figure: number; live: number; wasmStart: number; wasmEnd: number; csvStart: number; csvEnd: number; engineBadgeMs: number };
  const samples: Phases[] = [];
  for (let run = 0; run < runs; run++) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // Stamps the first moment each milestone is in the DOM (MutationObserver callbacks run before paint).
      // A string, not a function: tsx would wrap named functions in a helper the page does not have.
      await page.addInitScript(`
        const marks = {};
        const milestones = {
          engine: '[data-testid="engine-status"][data-state="ready"]',
          sample: '[data-testid="filter-bar"]',
          figure: '[data-testid="total-cost"]',
        };
        window.__startupMarks = marks;
        new MutationObserver(() => {
          for (const [name, selector] of Object.entries(milestones)) {
            if (marks[name] === undefined && document.querySelector(selector)) marks[name] = performance.now();
          }
          if (marks.live === undefined && document.querySelector('main[data-load="ready"]')) marks.live = performance.now();
        }).observe(document, { subtree: true, childList: true, attributes: true });
      `);
      await page.goto(url);
      // Polled: waitForFunction evaluates its string with eval, which the app's CSP forbids.
      for (const deadline = Date.now() + 120_000; !(await page.evaluate('window.__startupMarks.live !== undefined'));) {
        if (Date.now() > deadline) throw new Error('the sample did not load in the engine within 120 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const measured = (await page.evaluate(`(() => {
        const marks = window.__startupMarks;
        const nav = performance.getEntriesByType('navigation')[0];
        const resources = performance.getEntriesByType('resource');
        const wasm = resources.find((r) => /\\.wasm$/.test(r.name));
        const csv = resources.find((r) => /sample-[^/]*\\.duckdb$/.test(r.name));
        const badge = document.querySelector('[data-testid="engine-status"]')?.textContent ?? '';
        return {
          html: nav.responseEnd,
          engine: marks.engine ?? NaN,
          sample: marks.sample ?? NaN,
          figure: marks.figure ?? NaN,
          live: marks.live ?? NaN,
          wasmStart: wasm?.startTime ?? NaN,
          wasmEnd: wasm?.responseEnd ?? NaN,
          csvStart: csv?.startTime ?? NaN,
          csvEnd: csv?.responseEnd ?? NaN,
          engineBadgeMs: Number(/ready in (\\d+) ms/.exec(badge)?.[1] ?? NaN),
        };
      })()`)) as Phases;
      samples.push(measured);
    } finally {
      await browser.close();
    }
  }
  const median = (xs: number[]) => {
    const sorted = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
  };
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '–');
  const row = (label: string, key: keyof Phases) => {
    const xs = samples.map((s) => s[key]);
    console.log(`  ${label.padEnd(44)} ${ms(median(xs)).padStart(8)}   [${xs.map((x) => (Number.isFinite(x) ? x.toFixed(0) : '–')).join(', ')}]`);
  };
  console.log(`cold start, ms since navigation, median of ${runs} (a fresh browser each run):`);
  row('HTML received', 'html');
  row('sample log fetch started', 'csvStart');
  row('sample log fetched', 'csvEnd');
  row('wasm fetched (when preloaded by the page)', 'wasmEnd');
  row('filter bar shown', 'sample');
  row('first figure on screen (total spend)', 'figure');
  row('engine ready', 'engine');
  row('sample loaded in the engine', 'live');
  row('engine start itself (badge: bundle → open)', 'engineBadgeMs');
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()} (the machine is shared: figures vary with load)`);
} finally {
  stop();
}
