/**
 * pixelspend-report: the app's report from the command line, on the same engine and SQL.
 * JSON (docs/report-json.md) alone on stdout; every message on stderr; exit 2 on bad
 * arguments, 1 on input that cannot be used (missing file, not a log, bad rate card).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadSpendByAttribute, type AttributeGroup } from '../db/attributes';
import { loadBudgetLines } from '../db/budgets';
import { DEFAULT_THRESHOLDS, formatBudgetError, parseBudgetCsv, parseThresholds, type BudgetRow, type BudgetThresholds } from '../domain/budget';
import { budgetsCsv, budgetsJson, budgetsTable } from './budgets-format';
import { ingestFiles, NotALogError, PRICING_PROGRESS, type FileDiagnostics } from '../db/ingest/ingest';
import { progressLines } from './progress';
import { openLogFile, openNativeEngine } from '../node/native-engine';
import type { Engine } from '../db/engine';
import { buildReport } from '../db/report';
import { applyRates } from '../db/workspace';
import { isValidDate, type Filters } from '../domain/filters';
import { readPriceFile } from '../domain/importers/detect';
import { LOG_COLUMNS, type UserMapping } from '../domain/log-schema';
import { formatPlain, parseUsd, toUsdNumber, type Pico } from '../domain/money';
import { DEFAULT_TOLERANCE_USD } from '../domain/reconcile';
import { UNPRICED_LABELS } from '../domain/pricing';
import { formatIssue, layerRateCards, RateCardError, resolveRates, type RateCard } from '../domain/rate-card';
import { DEFAULT_BATCH_ELIGIBLE, reportToJson } from '../domain/report';
import { bundledRateCardPaths, readRateCards } from '../node/bundled-rates';
import { toCsv } from '../domain/csv';
import { reportToCsv, reportToTable } from './report-format';
import { compareBill, loadBill } from '../db/bill';
import { BUNDLED_SKU_MAP } from '../db/bill-skus';
import { exportFocus } from '../db/focus';
import { billToJson, NotABillError, readBill, type Bill } from '../domain/bill';
import { FOCUS_COLUMNS, FOCUS_GRAINS, type FocusGrain } from '../domain/focus';

const USAGE = `Usage: pixelspend-report --logs FILE [FILE…] [options]

  --logs FILE…            request logs: CSV, TSV, NDJSON/JSONL, JSON, Parquet (gzip too)
  --rates FILE…           rate cards (JSON) added to the bundled ones; LiteLLM's
                          model_prices_and_context_window.json and OpenRouter's /models
                          list import too (they need --rates-from)
  --rates-from YYYY-MM-DD the date imported LiteLLM/OpenRouter prices apply from
  --rates-only            use only the --rates cards, not the bundled ones
  --variant GROUP=OPTION  a rate-card variant (e.g. flash-3.1=documented); repeatable
  --default-time DATE     UTC date (YYYY-MM-DD[ HH:MM:SS]) for rows with no timestamp
                          (Gemini API responses and Batch output carry none)
  --mapping FILE.json     column mapping for a log PixelSpend does not recognise:
                          {"columns": {"timestamp": "when", "model": "engine"},
                           "defaults": {"image_size": "2K", "lane": "batch"}}
  --group-by ATTR         also report spend per value of an attribute (team, tag.feature…)
  --where-attribute N=V   with --group-by: only requests whose attribute N is V
  --from YYYY-MM-DD       first day included (UTC)
  --to YYYY-MM-DD         last day included (UTC)
  --format json|table|csv|focus
                          output format (default json); focus: the priced log as FOCUS 1.2 CSV
  --focus-grain request|day
                          with --format focus: one row per request (default) or per day × model ×
                          provider × lane × size
  --bill FILE             a Google Cloud Billing export (CSV, JSON, NDJSON) or FOCUS CSV: adds a
                          "bill" section, bill vs logs per day × model × meter
  --cube-out FILE         also write the usage cube (the log summed per day, model, lane …) as Parquet:
                          the app opens it in place of a log too large for a browser tab
  --engine native|wasm    native DuckDB (default; all cores, spills to disk) or DuckDB-WASM, the browser's engine
  --memory-limit SIZE     native DuckDB's memory before it spills to disk, e.g. 4GB (default: 80% of RAM)
  --budgets FILE.csv      budgets per month and scope (columns month,scope,value,budget_usd, see docs/plan.md):
                          adds budget vs actual and the current month's forecast
  --budget-thresholds W,O percents of budget flagged as warning and over (default 80,100)
  --batch-eligible a,b    job types that could wait for the batch lane (default ${DEFAULT_BATCH_ELIGIBLE.join(',')})
  --tolerance USD         billed vs computed: a request differs when |billed − computed| exceeds this (default ${DEFAULT_TOLERANCE_USD})
  --help                  this text

The JSON contract is documented in docs/report-json.md; log columns in docs/log-format.md.`;

class UsageError extends Error {}
class InputError extends Error {}

interface Args {
  logs: string[];
  rates: string[];
  ratesOnly: boolean;
  from?: string;
  to?: string;
  format: 'json' | 'table' | 'csv' | 'focus';
  focusGrain: FocusGrain;
  bill?: string;
  engine: 'native' | 'wasm';
  memoryLimit?: string;
  cubeOut?: string;
  batchEligible: string[];
  ratesFrom?: string;
  variants: Record<string, string>;
  defaultTime?: string;
  mapping?: string;
  groupBy?: string;
  whereAttribute?: { name: string; value: string };
  budgets?: string;
  budgetThresholds?: BudgetThresholds;
  tolerance?: Pico;
}

export function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { logs: [], rates: [], ratesOnly: false, format: 'json', focusGrain: 'request', engine: 'native', batchEligible: [...DEFAULT_BATCH_ELIGIBLE], variants: {} };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--logs':
      case '--rates': {
        const list = flag === '--logs' ? args.logs : args.rates;
        if (inline !== undefined) list.push(inline);
        while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) list.push(argv[++i]!);
        if (list.length === 0) throw new UsageError(`${flag} needs at least one file`);
        break;
      }
      case '--rates-only':
        args.ratesOnly = true;
        break;
      case '--from':
      case '--to': {
        const date = inline ?? value(i++, flag);
        if (!isValidDate(date)) throw new UsageError(`${flag} "${date}" is not a date (YYYY-MM-DD)`);
        args[flag === '--from' ? 'from' : 'to'] = date;
        break;
      }
      case '--format': {
        const format = inline ?? value(i++, flag);
        if (format !== 'json' && format !== 'table' && format !== 'csv' && format !== 'focus') throw new UsageError(`--format "${format}": use json, table, csv or focus`);
        args.format = format;
        break;
      }
      case '--focus-grain': {
        const grain = inline ?? value(i++, flag);
        if (!(FOCUS_GRAINS as readonly string[]).includes(grain)) throw new UsageError(`--focus-grain "${grain}": use request or day`);
        args.focusGrain = grain as FocusGrain;
        break;
      }
      case '--bill':
        args.bill = inline ?? value(i++, flag);
        break;
      case '--cube-out':
        args.cubeOut = inline ?? value(i++, flag);
        break;
      case '--engine': {
        const engine = inline ?? value(i++, flag);
        if (engine !== 'native' && engine !== 'wasm') throw new UsageError(`--engine "${engine}": use native or wasm`);
        args.engine = engine;
        break;
      }
      case '--memory-limit': {
        const limit = inline ?? value(i++, flag);
        if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(limit)) throw new UsageError(`--memory-limit "${limit}": give a size such as 512MB or 4GB`);
        args.memoryLimit = limit;
        break;
      }
      case '--rates-from': {
        const date = inline ?? value(i++, flag);
        if (!isValidDate(date)) throw new UsageError(`--rates-from "${date}" is not a date (YYYY-MM-DD)`);
        args.ratesFrom = date;
        break;
      }
      case '--default-time': {
        const time = (inline ?? value(i++, flag)).trim().replace('T', ' ').replace(/Z$/, '');
        const m = /^(\d{4}-\d{2}-\d{2})( \d{2}:\d{2}(:\d{2})?)?$/.exec(time);
        if (!m || !isValidDate(m[1]!)) throw new UsageError(`--default-time "${time}" is not a UTC date or time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)`);
        args.defaultTime = time;
        break;
      }
      case '--variant': {
        const v = inline ?? value(i++, flag);
        const eq = v.indexOf('=');
        if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--variant "${v}": use GROUP=OPTION, e.g. flash-3.1=documented`);
        args.variants[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
        break;
      }
      case '--mapping':
        args.mapping = inline ?? value(i++, flag);
        break;
      case '--group-by':
        args.groupBy = inline ?? value(i++, flag);
        break;
      case '--where-attribute': {
        const v = inline ?? value(i++, flag);
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--where-attribute "${v}": use NAME=VALUE`);
        args.whereAttribute = { name: v.slice(0, eq), value: v.slice(eq + 1) };
        break;
      }
      case '--budgets':
        args.budgets = inline ?? value(i++, flag);
        break;
      case '--budget-thresholds': {
        const parsed = parseThresholds(inline ?? value(i++, flag));
        if (!parsed.ok) throw new UsageError(`--budget-thresholds: ${parsed.problem}`);
        args.budgetThresholds = parsed.thresholds;
        break;
      }
      case '--tolerance': {
        const v = (inline ?? value(i++, flag)).trim();
        if (!/^\d+(\.\d{1,12})?$/.test(v)) throw new UsageError(`--tolerance "${v}": use a non-negative amount in USD, e.g. 0.01`);
        args.tolerance = parseUsd(v);
        break;
      }
      case '--batch-eligible':
        args.batchEligible = (inline ?? value(i++, flag)).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}" (files go after --logs)`);
    }
  }
  if (args.logs.length === 0) throw new UsageError('--logs is required');
  if (args.ratesOnly && args.rates.length === 0) throw new UsageError('--rates-only needs --rates FILE…');
  if (args.from && args.to && args.from > args.to) throw new UsageError(`--from ${args.from} is after --to ${args.to}`);
  if (args.whereAttribute && !args.groupBy) throw new UsageError('--where-attribute needs --group-by ATTR');
  if (args.budgetThresholds && !args.budgets) throw new UsageError('--budget-thresholds needs --budgets FILE.csv');
  return args;
}

function checkFiles(paths: readonly string[], what: string) {
  for (const path of paths) {
    if (!existsSync(path)) throw new InputError(`${what} ${path}: no such file`);
    if (!statSync(path).isFile()) throw new InputError(`${what} ${path}: not a file`);
  }
}

const PREVIEW_ROWS = 5;

/** Control characters shown as escapes, so a hostile value cannot rewrite the terminal. */
function shown(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describeFile(d: FileDiagnostics): string[] {
  const lines = [`${d.file} (${d.format}): ${d.rowsRead} rows read, ${d.rowsAccepted} accepted, ${d.rowsRejected} rejected`];
  // One line per rejected row, naming every problem of it.
  const byRow = new Map<number, string[]>();
  for (const r of d.rejects) {
    const problems = byRow.get(r.row) ?? [];
    const where = [r.column, r.value === null ? null : `"${shown(r.value)}"`].filter(Boolean).join(' ');
    problems.push(where ? `${where}: ${r.reason}` : r.reason);
    byRow.set(r.row, problems);
  }
  for (const [row, problems] of [...byRow].slice(0, PREVIEW_ROWS)) lines.push(`  rejected row ${row}: ${problems.join('; ')}`);
  const listed = Math.min(byRow.size, PREVIEW_ROWS);
  if (d.rowsRejected > listed) lines.push(`  … and ${d.rowsRejected - listed} more rejected rows`);
  for (const w of d.warnings) lines.push(`  warning: ${w.column} "${shown(w.from, 120)}" → "${w.to}" in ${w.rows} rows`);
  if (d.ignoredColumns.length > 0) lines.push(`  kept as attributes: ${d.ignoredColumns.join(', ')}`);
  return lines;
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${what} ${basename(path)}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The --budgets file: every problem with its line and column, nothing read from a file with problems. */
function readBudgets(path: string): BudgetRow[] {
  checkFiles([path], 'budgets');
  const parsed = parseBudgetCsv(readFileSync(path, 'utf8'));
  if (parsed.ok) return parsed.rows;
  const more = parsed.errors.length > 10 ? `; and ${parsed.errors.length - 10} more` : '';
  throw new InputError(`bad budgets file ${basename(path)}: ${parsed.errors.slice(0, 10).map(formatBudgetError).join('; ')}${more}`);
}

/** The --mapping file: canonical column → file column, and optional defaults. */
function readMapping(path: string): UserMapping {
  const json = readJson(path, 'mapping') as { columns?: unknown; defaults?: unknown };
  const known = new Set(LOG_COLUMNS.map((c) => c.name));
  if (!json || typeof json !== 'object' || !json.columns || typeof json.columns !== 'object') {
    throw new InputError(`mapping ${basename(path)}: expected {"columns": {"timestamp": "…", "model": "…"}, "defaults": {…}}`);
  }
  const columns: Record<string, string> = {};
  for (const [k, v] of Object.entries(json.columns as Record<string, unknown>)) {
    if (!known.has(k)) throw new InputError(`mapping ${basename(path)}: "${k}" is not a canonical column (${[...known].join(', ')})`);
    if (typeof v !== 'string') throw new InputError(`mapping ${basename(path)}: "${k}" must name a column of the file`);
    columns[k] = v;
  }
  const defaults = (json.defaults ?? {}) as UserMapping['defaults'];
  return { columns, defaults };
}

/** --rates files: PixelSpend cards, or LiteLLM / OpenRouter price lists imported from --rates-from. */
function readUserPrices(args: Args, knownModels: ReadonlyMap<string, string>, err: (text: string) => void): { name: string; card: RateCard }[] {
  return args.rates.map((path) => {
    const name = basename(path);
    const json = readJson(path, 'bad rate card:');
    const isCard = json !== null && typeof json === 'object' && (json as { format?: unknown }).format === 'pixelspend-rate-card';
    if (!isCard && !args.ratesFrom) {
      const probe = readPriceFile(json, { name, checked: '2000-01-01', from: '2000-01-01' });
      if (probe.source !== 'pixelspend') throw new UsageError(`${name} is a ${probe.source === 'litellm' ? 'LiteLLM' : 'OpenRouter'} price list: say from when its prices apply with --rates-from YYYY-MM-DD`);
    }
    const checked = statSync(path).mtime.toISOString().slice(0, 10);
    const loaded = readPriceFile(json, { name, checked, from: args.ratesFrom ?? checked, knownModels });
    if (loaded.source !== 'pixelspend') {
      err(`${name} (${loaded.source}): ${loaded.card.prices.length} prices imported, applying from ${args.ratesFrom}; ${loaded.notes.length} notes on what it cannot express`);
      for (const n of loaded.notes.slice(0, 5)) err(`  ${n.entry || '(file)'}${n.field ? ` ${n.field}` : ''}: ${n.message}`);
      if (loaded.notes.length > 5) err(`  … ${loaded.notes.length - 5} more notes`);
    }
    return { name, card: loaded.card };
  });
}

/** `flash-3.1=documented` → the group whose id is or starts with `flash-3.1`. */
function resolveVariants(given: Record<string, string>, groups: readonly { id: string; options: { id: string }[] }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, option] of Object.entries(given)) {
    const matches = groups.filter((g) => g.id === key || g.id.startsWith(`${key}-`) || g.id.startsWith(key));
    const group = matches.find((g) => g.id === key) ?? (matches.length === 1 ? matches[0] : undefined);
    if (!group) throw new UsageError(`--variant ${key}: ${matches.length > 1 ? 'more than one' : 'no'} variant group matches (${groups.map((g) => g.id).join(', ') || 'none'})`);
    if (!group.options.some((o) => o.id === option)) throw new UsageError(`--variant ${key}=${option}: options are ${group.options.map((o) => o.id).join(', ')}`);
    out[group.id] = option;
  }
  return out;
}

function groupsJson(name: string, only: Args['whereAttribute'], groups: AttributeGroup[]) {
  return {
    attribute: name,
    ...(only ? { where: { attribute: only.name, value: only.value } } : {}),
    groups: groups.map((g) => ({ value: g.value, requests: g.requests, images: g.images, cost: toUsdNumber(g.cost), billed_cost: toUsdNumber(g.billed), unpriced_requests: g.unpricedRequests })),
  };
}

function groupsTable(name: string, groups: AttributeGroup[]): string {
  const rows = [[name, 'requests', 'images', 'cost', 'unpriced'], ...groups.map((g) => [g.value ?? '(none)', String(g.requests), String(g.images), `$${formatPlain(g.cost)}`, String(g.unpricedRequests)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [`By ${name}`, ...rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))].join('\n');
}

function groupsCsv(name: string, groups: AttributeGroup[]): string {
  const rows = groups.flatMap((g) => {
    const key = g.value ?? '';
    const section = `by_attribute:${name}`;
    return [[section, key, 'requests', g.requests], [section, key, 'images', g.images], [section, key, 'cost_usd', formatPlain(g.cost)], [section, key, 'unpriced_requests', g.unpricedRequests]];
  });
  return toCsv(['section', 'key', 'metric', 'value'], rows).split('\r\n').slice(1).join('\r\n');
}

/** --bill: the file read into lines; each bad row reported on stderr with its row and column. */
function readBillFile(path: string, err: (text: string) => void): Bill {
  const bill = readBill(basename(path), readFileSync(path, 'utf8'));
  err(`${bill.file} (${bill.format}): ${bill.rowsRead} bill rows read, ${bill.lines.length} used, ${bill.problems.length} rejected`);
  for (const p of bill.problems.slice(0, PREVIEW_ROWS)) err(`  rejected row ${p.row}${p.column ? ` ${p.column}` : ''}: ${shown(p.message, 120)}`);
  if (bill.problems.length > PREVIEW_ROWS) err(`  … and ${bill.problems.length - PREVIEW_ROWS} more rejected rows`);
  return bill;
}

async function billAgainstLogs(engine: Engine, bill: Bill) {
  await loadBill(engine, bill, BUNDLED_SKU_MAP);
  return compareBill(engine, bill, BUNDLED_SKU_MAP);
}

export interface MainOptions {
  /** The day far-future timestamps are counted from (YYYY-MM-DD); tests pass one, never the clock. */
  today?: string;
  /** Tests share one engine across many runs (starting one takes a second); its close is theirs. */
  openEngine?: () => Promise<Engine>;
  /** Where a load's stages go as it runs (`progressLines` on a terminal's stderr); none by default. */
  progress?: (stage: string, fraction?: number) => void;
}

export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void, options: MainOptions = {}): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`pixelspend-report: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  try {
    checkFiles(args.logs, 'log');
    checkFiles(args.rates, 'rate card');
    if (args.mapping) checkFiles([args.mapping], 'mapping');
    if (args.bill) checkFiles([args.bill], 'bill');
    const bill = args.bill ? readBillFile(args.bill, err) : null;
    const budgetRows = args.budgets ? readBudgets(args.budgets) : null;
    const mappings = args.mapping ? [readMapping(args.mapping)] : [];
    let rates;
    try {
      // As in the app: a user card replaces the bundled entries for what it prices.
      const bundled = readRateCards(bundledRateCardPaths());
      const user = readUserPrices(args, resolveRates(bundled).aliases, err);
      const cards = args.ratesOnly ? user : layerRateCards(bundled, user);
      rates = resolveRates(cards, { variants: resolveVariants(args.variants, resolveRates(cards).variantGroups) });
    } catch (error) {
      if (error instanceof UsageError || error instanceof InputError) throw error;
      const detail = error instanceof RateCardError ? error.issues.map(formatIssue).join('; ') : error instanceof Error ? error.message : String(error);
      throw new InputError(`bad rate card: ${detail}`);
    }
    if (args.memoryLimit && args.engine === 'wasm') throw new UsageError('--memory-limit sets native DuckDB\'s memory: drop --engine wasm');
    // The browser's engine is loaded only when asked for: importing it costs the native run a fifth of a second.
    const openWasm = async () => (await import('../db/node-engine')).openNodeEngine();
    const engine = await (options.openEngine ?? (args.engine === 'wasm' ? openWasm : () => openNativeEngine({ memoryLimit: args.memoryLimit, logs: args.logs })))();
    try {
      // Opened, not read: a CSV is read in slices and Parquet by the engine, so no log is held whole in memory.
      const files = await Promise.all(args.logs.map(async (path) => ({ name: basename(path), bytes: await openLogFile(path) })));
      const diagnostics = await ingestFiles(engine, files, {
        mode: 'replace', rejectPreview: PREVIEW_ROWS, today: options.today, defaultTime: args.defaultTime, mappings, onProgress: options.progress,
      });
      for (const d of diagnostics) err(describeFile(d).join('\n'));
      const read = diagnostics.reduce((n, d) => n + d.rowsRead, 0);
      if (read > 0 && diagnostics.every((d) => d.rowsAccepted === 0)) {
        throw new InputError(`every row was rejected (${read} rows read, 0 accepted): nothing to report`);
      }
      options.progress?.('Pricing', PRICING_PROGRESS);
      await applyRates(engine, rates);
      if (args.cubeOut) {
        if (args.engine === 'wasm') throw new InputError('--cube-out writes Parquet, which only the native engine can: drop --engine wasm');
        await engine.exec(`COPY (SELECT * FROM usage_cube ORDER BY ALL) TO '${resolve(args.cubeOut).replace(/'/g, "''")}' (FORMAT parquet)`);
        err(`usage cube written to ${args.cubeOut}`);
      }
      const filters: Filters = { from: args.from, to: args.to };
      const report = await buildReport(engine, { filters, batchEligibleJobTypes: args.batchEligible, ...(args.tolerance === undefined ? {} : { tolerance: args.tolerance }) });
      if (report.unpricedRequests > 0) {
        const reasons = new Map<string, number>();
        for (const u of report.unpriced) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + u.requests);
        err(`${report.unpricedRequests} requests unpriced: ${[...reasons].map(([r, n]) => `${n} ${UNPRICED_LABELS[r as keyof typeof UNPRICED_LABELS] ?? r}`).join(', ')}`);
      }
      if (args.format === 'focus') {
        const focus = await exportFocus(engine, args.focusGrain, filters);
        err(`FOCUS: ${focus.cells.length} rows${focus.unpricedRequests > 0 ? `; ${focus.unpricedRequests} unpriced requests left out (FOCUS costs cannot be null)` : ''}`);
        // The CSV ends in CRLF; \`out\` adds the final LF.
        out(toCsv(FOCUS_COLUMNS, focus.cells).slice(0, -1));
        return 0;
      }
      const billSection = bill ? billToJson(await billAgainstLogs(engine, bill)) : null;
      const groups = args.groupBy ? await loadSpendByAttribute(engine, args.groupBy, filters, args.whereAttribute) : null;
      const thresholds = args.budgetThresholds ?? DEFAULT_THRESHOLDS;
      const budgets = budgetRows ? await loadBudgetLines(engine, budgetRows, thresholds) : null;
      if (args.format === 'json') {
        const json = reportToJson(report);
        out(JSON.stringify({
          ...json,
          ...(groups ? { group_by: groupsJson(args.groupBy!, args.whereAttribute, groups) } : {}),
          ...(billSection ? { bill: billSection } : {}),
          ...(budgets ? { budgets: budgetsJson(budgets.lines, budgets.asOf, thresholds) } : {}),
        }, null, 2));
      } else if (args.format === 'table') out(reportToTable(report) + (groups ? `\n${groupsTable(args.groupBy!, groups)}` : '') + (budgets ? `\n${budgetsTable(budgets.lines, budgets.asOf, thresholds)}` : ''));
      else out(reportToCsv(report) + (groups ? groupsCsv(args.groupBy!, groups) : '') + (budgets ? budgetsCsv(budgets.lines) : ''));
      return 0;
    } finally {
      await engine.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`pixelspend-report: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InputError || error instanceof NotALogError || error instanceof NotABillError) {
      err(`pixelspend-report: ${error.message}`);
      return 1;
    }
    // Never a stack trace: the first line of what went wrong, and where to report it.
    err(`pixelspend-report: unexpected error: ${oneLine(error)}. Please report this with the file that caused it.`);
    return 1;
  }
}

function oneLine(error: unknown): string {
  return shown(String(error instanceof Error ? error.message : error).split('\n')[0]!, 300);
}

const isEntry = process.argv[1] !== undefined && /report\.ts$|pixelspend-report(\.js)?$/.test(process.argv[1]);
if (isEntry) {
  // On a terminal, a large log's load says where it is; piped or redirected, stderr carries only the diagnostics.
  const progress = process.stderr.isTTY ? { progress: progressLines((t) => process.stderr.write(`${t}\n`)) } : {};
  main(process.argv.slice(2), (t) => process.stdout.write(`${t}\n`), (t) => process.stderr.write(`${t}\n`), progress).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`pixelspend-report: unexpected error: ${oneLine(error)}\n`);
      process.exit(1);
    },
  );
}
