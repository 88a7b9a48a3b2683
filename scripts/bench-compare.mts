/**
 * One run, three engines, one file: native DuckDB (the CLI), DuckDB-WASM in Node (the browser's
 * engine without a browser) and the production app in headless Chromium, each through the same
 * pipeline (load + validate, cube + price, every view's queries), with the ratios side by side;
 * `--arquero` adds a plain-JavaScript baseline of the core aggregates (scripts/lib/arquero-baseline.ts):
 *   npx tsx scripts/generate-sample.mts --rows 1000000 --out /tmp/requests-1m.csv
 *   npm run bench:compare -- [--runs 3] [--json] [--arquero] [--port 4437] [--out-dir /tmp/dist-compare] [--skip-build] [--browser-only] [--choose-after MS] [--returning] FILE
 * Medians of the runs. With --json the last line is one JSON object. Asserts nothing.
 * The browser chooses the file as soon as the sample's Overview is ready, or `--choose-after` ms later, as a
 * user picking a file from a dialog would: the app warms its engine up meanwhile (src/db/warm-up.ts).
 * Each browser run is a first visit (a fresh context, nothing cached) or, with `--returning`, the second
 * visit of a profile whose first did the same and was not timed: the browser has kept the engine's code.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBatchByJobType, loadDuplicates, loadExplorerPage, loadFilterOptions, loadRetryBreakdown, loadSpendOverTime } from '../src/db/dashboard';
import { loadAttributeNames } from '../src/db/attributes';
import { loadDecisionCells } from '../src/db/decisions';
import type { Engine } from '../src/db/engine';
import { ingestFiles } from '../src/db/ingest/ingest';
import { openNodeEngine } from '../src/db/node-engine';
import { buildReport } from '../src/db/report';
import { applyRates } from '../src/db/workspace';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';
import { openLogFile, openNativeEngine } from '../src/node/native-engine';
import { resolveRates } from '../src/domain/rate-card';
import type { Report } from '../src/domain/report';
import type { BrowserContext } from 'playwright-core';
import { arqueroBaseline, missingColumns, type BaselineTotals } from './lib/arquero-baseline';
import { launchChromium, launchChromiumProfile, serveBuild } from './lib/preview';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    port: { type: 'string', default: '4437' },
    'out-dir': { type: 'string', default: '/tmp/dist-compare' },
    'skip-build': { type: 'boolean', default: false },
    'browser-only': { type: 'boolean', default: false },
    'choose-after': { type: 'string', default: '0' },
    returning: { type: 'boolean', default: false },
    arquero: { type: 'boolean', default: false },
  },
});
const file = positionals[0] ?? 'data/sample/requests.csv';
// Checked before the engines run: the baseline parses the text of a canonical CSV log, nothing else.
if (values.arquero) {
  if (!/\.csv$/i.test(file)) throw new Error(`--arquero reads a plain CSV log, not ${basename(file)}`);
  const head = Buffer.alloc(65_536);
  const fd = openSync(file, 'r');
  const read = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const missing = missingColumns(head.subarray(0, read).toString('utf8'));
  if (missing.length > 0) throw new Error(`--arquero reads the canonical log's columns; ${basename(file)} has no ${missing.join(', ')}`);
}
const runs = Number(values.runs);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const loadStart = loadavg()[0]!;

const cards = readRateCards(bundledRateCardPaths());
const rates = resolveRates(cards);
// A rate override as a user makes one: the first price entry's first per-image price, doubled.
const overridden = (() => {
  const entry = rates.prices.find((p) => Object.keys(p.perImage).length > 0)!;
  const size = Object.keys(entry.perImage)[0]!;
  const value = (Number(entry.perImage[size as keyof typeof entry.perImage]!) / 1e12 * 2).toFixed(6);
  return resolveRates(cards, { overrides: [{ priceId: entry.id, field: `per_image.${size}`, value }] });
})();

type Phases = Record<string, number[]>;
const time = async (phases: Phases, name: string, work: () => Promise<unknown>) => {
  const t = performance.now();
  await work();
  (phases[name] ??= []).push(performance.now() - t);
};

/** The queries the app's seven views run, in the order the browser run visits them. */
async function allViews(engine: Engine, filters = {}): Promise<Report> {
  const report = await buildReport(engine, { filters });
  await loadAttributeNames(engine, filters);
  await loadDecisionCells(engine, filters);
  await loadFilterOptions(engine);
  await loadSpendOverTime(engine, filters, 'day');
  await loadRetryBreakdown(engine, filters);
  await loadBatchByJobType(engine, filters);
  await loadDuplicates(engine, filters, 50);
  await loadExplorerPage(engine, filters, { sort: [], columnFilters: [], search: '', pageIndex: 0, pageSize: 50 });
  return report;
}

async function pipeline(open: () => Promise<Engine>): Promise<{ phases: Phases; rows: number; report?: Report }> {
  const phases: Phases = {};
  let rows = 0;
  let report: Report | undefined;
  for (let run = 0; run < runs; run++) {
    const engine = await open();
    // Opened as the CLI opens a log (and the browser holds a File): native DuckDB reads it where it lies.
    const bytes = await openLogFile(file);
    const t0 = performance.now();
    await time(phases, 'load + validate', async () => {
      rows = (await ingestFiles(engine, [{ name: basename(file), bytes }], { mode: 'replace' }))[0]!.rowsRead;
    });
    await time(phases, 'cube + price', () => applyRates(engine, rates));
    await time(phases, 'every view', async () => {
      report = await allViews(engine);
    });
    (phases['file → all views'] ??= []).push(performance.now() - t0);
    const [model] = (await loadFilterOptions(engine)).models;
    await time(phases, 'filter → overview', () => buildReport(engine, { filters: { models: [model!.value] } }));
    await time(phases, 'override → re-priced', () => applyRates(engine, overridden));
    await time(phases, 'override → every view', async () => {
      await applyRates(engine, rates);
      await allViews(engine);
    });
    await engine.close();
  }
  return { phases, rows, report };
}

/** The Arquero baseline, timed from reading the file's text to the last sum, and the totals it found. */
function arquero(): { phases: Phases; totals?: BaselineTotals } {
  const phases: Phases = {};
  let totals: BaselineTotals | undefined;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const text = readFileSync(file, 'utf8');
    const read = performance.now() - t0;
    const baseline = arqueroBaseline(text);
    (phases['read + parse'] ??= []).push(read + baseline.parseMs);
    (phases['core aggregates'] ??= []).push(baseline.aggregateMs);
    (phases['file → core aggregates'] ??= []).push(performance.now() - t0);
    totals = baseline.totals;
  }
  return { phases, totals };
}

/**
 * Waits in the page for `selector`, from a MutationObserver, and returns the page's clock when it
 * matched: Playwright's own waits poll at up to 500 ms, which would be timed as the app's.
 */
const WAIT_IN_PAGE = `(selector) => new Promise((resolve) => {
  const found = () => document.querySelector(selector) !== null;
  if (found()) return resolve(performance.now());
  const observer = new MutationObserver(() => {
    if (!found()) return;
    observer.disconnect();
    resolve(performance.now());
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
})`;

/** One visit of the app: the file chosen, every view visited, then a filter, timed by the page's clock into `phases`. */
async function visit(context: BrowserContext, url: string, phases: Phases): Promise<void> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}?view=overview`);
  await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]', { timeout: 120_000 });
  await page.click('[data-testid="nav-data"]');
  await page.check('[data-testid="mode-replace"]');
  await new Promise((r) => setTimeout(r, Number(values['choose-after'])));
  // The page's clock from the file input's change event to each figure, so none of the harness's latency is counted.
  await page.evaluate(`(() => {
    window.__chosen = new Promise((resolve) => document.querySelector('[data-testid="file-input"]').addEventListener('change', () => resolve(performance.now()), { once: true }));
    window.__loaded = (${WAIT_IN_PAGE})('[data-testid="file-diagnostics-0"][data-file=${JSON.stringify(basename(file))}]');
  })()`);
  await page.setInputFiles('[data-testid="file-input"]', resolve(file));
  const [chosen, loaded] = await page.evaluate(`Promise.all([window.__chosen, window.__loaded])`) as [number, number];
  (phases['load + cube + price'] ??= []).push(loaded - chosen);
  const perView = await page.evaluate(`(async (views) => {
    const wait = ${WAIT_IN_PAGE};
    const times = [];
    for (const view of views) {
      const t = performance.now();
      const ready = wait('[data-testid="view-' + view + '"][data-status="ready"]');
      document.querySelector('[data-testid="nav-' + view + '"]').click();
      times.push((await ready) - t);
    }
    return times;
  })(${JSON.stringify(VIEWS)})`) as number[];
  const viewsMs = perView.reduce((a, b) => a + b, 0);
  VIEWS.forEach((view, i) => (phases[`  ${view}`] ??= []).push(perView[i]!));
  (phases['every view'] ??= []).push(viewsMs);
  (phases['file → all views'] ??= []).push(loaded - chosen + viewsMs);
  // The first model of the filter bar, as the Node engines take the first of the same options: from
  // ticking it to the Overview ready with its figures.
  await page.click('[data-testid="nav-overview"]');
  await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]');
  await page.click('[data-testid="filter-model"] summary');
  const filterMs = await page.evaluate(`(() => new Promise((resolve) => {
    const total = () => document.querySelector('[data-testid="total-cost"]')?.textContent;
    const before = total();
    const done = () => document.querySelector('[data-testid="view-overview"][data-status="ready"]') !== null && total() !== before;
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      resolve(performance.now() - t);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const t = performance.now();
    document.querySelector('[data-testid="filter-model"] input[type="checkbox"]').click();
  }))()`) as number;
  (phases['filter → overview'] ??= []).push(filterMs);
  await page.close();
}

async function browser(): Promise<Phases> {
  const phases: Phases = {};
  const { url, stop } = await serveBuild({ port: values.port, outDir: values['out-dir'], build: !values['skip-build'] });
  const chromium = values.returning ? undefined : await launchChromium();
  try {
    for (let run = 0; run < runs; run++) {
      if (chromium) {
        const context = await chromium.newContext();
        await visit(context, url, phases);
        await context.close();
        continue;
      }
      const profile = mkdtempSync(join(tmpdir(), 'bench-profile-'));
      const context = await launchChromiumProfile(profile);
      try {
        await visit(context, url, {});
        await visit(context, url, phases);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await chromium?.close();
    stop();
  }
  return phases;
}

/** The views in the order the browser run visits each for the first time after a load. */
const VIEWS = ['overview', 'spend', 'batch', 'retry', 'acceptance', 'duplicates', 'explorer'];

const skipped: { phases: Phases; rows: number; report?: Report } = { phases: {}, rows: NaN };
const native = values['browser-only'] ? skipped : await pipeline(() => openNativeEngine({ threads: 2, logs: [file] }));
const wasm = values['browser-only'] ? skipped : await pipeline(openNodeEngine);
const baseline = values.arquero ? arquero() : undefined;
const inBrowser = await browser();
const loadEnd = loadavg()[0]!;

const rowsOut: { phase: string; browser: number; wasm: number; native: number }[] = [];
const phase = (name: string, browserName = name) => {
  const m = (p: Phases, key: string) => median(p[key] ?? []);
  const wasmValue = name === 'load + cube + price' ? m(wasm.phases, 'load + validate') + m(wasm.phases, 'cube + price') : m(wasm.phases, name);
  const nativeValue = name === 'load + cube + price' ? m(native.phases, 'load + validate') + m(native.phases, 'cube + price') : m(native.phases, name);
  rowsOut.push({ phase: name, browser: m(inBrowser, browserName), wasm: wasmValue, native: nativeValue });
};
['load + validate', 'cube + price', 'load + cube + price', 'every view', ...VIEWS.map((v) => `  ${v}`), 'file → all views', 'filter → overview', 'override → re-priced', 'override → every view'].forEach((p) => phase(p));

const fmt = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)}`);
const ratio = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
console.log(`${basename(file)}: ${Number.isNaN(native.rows) ? 'rows not counted (--browser-only)' : `${native.rows.toLocaleString('en-US')} rows`}, ${(statSync(file).size / 1e6).toFixed(1)} MB; medians of ${runs} run(s), ms; load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)}${values['choose-after'] === '0' ? '' : `; file chosen ${values['choose-after']} ms after the page was ready`}${values.returning ? '; Chromium: a returning visit' : ''}`);
console.log(['phase'.padEnd(24), 'Chromium'.padStart(9), 'wasm/Node'.padStart(10), 'native'.padStart(8), 'Chromium/native'.padStart(16), 'wasm/native'.padStart(12)].join(' '));
for (const r of rowsOut) {
  console.log([r.phase.padEnd(24), fmt(r.browser).padStart(9), fmt(r.wasm).padStart(10), fmt(r.native).padStart(8), ratio(r.browser, r.native).padStart(16), ratio(r.wasm, r.native).padStart(12)].join(' '));
}
const all = rowsOut.find((r) => r.phase === 'file → all views')!;
/** The totals the baseline and the report both count, and which of them differ (none: it summed the same requests). */
const COMPARED = ['requests', 'images', 'attempts', 'billedAttempts'] as const;
const baselineDiffers = baseline?.totals && native.report ? COMPARED.filter((k) => native.report![k] !== baseline.totals![k]) : undefined;
if (baseline) {
  const m = (name: string) => median(baseline.phases[name] ?? []);
  console.log('\nArquero baseline: the CSV parsed with type inference, then requests, images, attempts and feedback summed per');
  console.log('day and key and from those per model, size, provider, lane, job type and month; no validation, no pricing');
  console.log(['phase'.padEnd(24), 'Arquero'.padStart(9), 'Arquero/native'.padStart(15), 'Chromium/Arquero'.padStart(17)].join(' '));
  console.log(['read + parse'.padEnd(24), fmt(m('read + parse')).padStart(9)].join(' '));
  console.log(['core aggregates'.padEnd(24), fmt(m('core aggregates')).padStart(9)].join(' '));
  console.log(['file → core aggregates'.padEnd(24), fmt(m('file → core aggregates')).padStart(9),
    ratio(m('file → core aggregates'), all.native).padStart(15), ratio(all.browser, m('file → core aggregates')).padStart(17)].join(' '));
  console.log(`(ratios against native's and Chromium's file → all views)${baselineDiffers === undefined ? '' : baselineDiffers.length === 0
    ? `; requests, images, attempts and billed attempts are the native report's`
    : `; its ${baselineDiffers.join(', ')} differ from the native report's (rows validation refused are counted here): not the same work`}`);
}
if (values.json) {
  console.log(JSON.stringify({
    file: basename(file),
    rows: native.rows,
    runs,
    browser_all_views_ms: Math.round(all.browser),
    wasm_all_views_ms: Math.round(all.wasm),
    native_ms: Math.round(all.native),
    ratio_browser_native: Number((all.browser / all.native).toFixed(3)),
    phases: rowsOut.map((r) => ({ phase: r.phase.trim(), browser_ms: Math.round(r.browser) || null, wasm_ms: Math.round(r.wasm) || null, native_ms: Math.round(r.native) || null })),
    load_average: Number(((loadStart + loadEnd) / 2).toFixed(2)),
    choose_after_ms: Number(values['choose-after']),
    ...(baseline ? {
      arquero_ms: Math.round(median(baseline.phases['file → core aggregates']!)),
      arquero_parse_ms: Math.round(median(baseline.phases['read + parse']!)),
      arquero_aggregates_ms: Math.round(median(baseline.phases['core aggregates']!)),
      arquero_totals_match_native: baselineDiffers === undefined ? null : baselineDiffers.length === 0,
    } : {}),
    returning_visit: values.returning,
  }));
}
