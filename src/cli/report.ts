/**
 * pixelspend-report: the app's report from the command line, on the same engine and SQL.
 * JSON (docs/report-json.md) alone on stdout; every message on stderr; exit 2 on bad
 * arguments, 1 on input that cannot be used (missing file, not a log, bad rate card).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ingestFiles, NotALogError, type FileDiagnostics } from '../db/ingest/ingest';
import { openNativeEngine } from '../node/native-engine';
import type { Engine } from '../db/engine';
import { openNodeEngine } from '../db/node-engine';
import { buildReport } from '../db/report';
import { applyRates } from '../db/workspace';
import { isValidDate, type Filters } from '../domain/filters';
import { UNPRICED_LABELS } from '../domain/pricing';
import { formatIssue, layerRateCards, RateCardError, resolveRates } from '../domain/rate-card';
import { DEFAULT_BATCH_ELIGIBLE, reportToJson } from '../domain/report';
import { bundledRateCardPaths, readRateCards } from '../node/bundled-rates';
import { reportToCsv, reportToTable } from './report-format';

const USAGE = `Usage: pixelspend-report --logs FILE [FILE…] [options]

  --logs FILE…            request logs: CSV, TSV, NDJSON/JSONL, JSON, Parquet (gzip too)
  --rates FILE…           rate cards (JSON) added to the bundled ones
  --rates-only            use only the --rates cards, not the bundled ones
  --from YYYY-MM-DD       first day included (UTC)
  --to YYYY-MM-DD         last day included (UTC)
  --format json|table|csv output format (default json)
  --cube-out FILE         also write the usage cube (the log summed per day, model, lane …) as Parquet:
                          the app opens it in place of a log too large for a browser tab
  --engine native|wasm    native DuckDB (default; all cores, spills to disk) or DuckDB-WASM, the browser's engine
  --batch-eligible a,b    job types that could wait for the batch lane (default ${DEFAULT_BATCH_ELIGIBLE.join(',')})
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
  format: 'json' | 'table' | 'csv';
  engine: 'native' | 'wasm';
  cubeOut?: string;
  batchEligible: string[];
}

export function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { logs: [], rates: [], ratesOnly: false, format: 'json', engine: 'native', batchEligible: [...DEFAULT_BATCH_ELIGIBLE] };
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
        if (format !== 'json' && format !== 'table' && format !== 'csv') throw new UsageError(`--format "${format}": use json, table or csv`);
        args.format = format;
        break;
      }
      case '--cube-out':
        args.cubeOut = inline ?? value(i++, flag);
        break;
      case '--engine': {
        const engine = inline ?? value(i++, flag);
        if (engine !== 'native' && engine !== 'wasm') throw new UsageError(`--engine "${engine}": use native or wasm`);
        args.engine = engine;
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
  if (d.ignoredColumns.length > 0) lines.push(`  ignored columns: ${d.ignoredColumns.join(', ')}`);
  return lines;
}

export interface MainOptions {
  /** The day far-future timestamps are counted from (YYYY-MM-DD); tests pass one, never the clock. */
  today?: string;
  /** Tests share one engine across many runs (starting one takes a second); its close is theirs. */
  openEngine?: () => Promise<Engine>;
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
    let rates;
    try {
      // As in the app: a user card replaces the bundled entries for what it prices.
      const user = readRateCards(args.rates);
      rates = resolveRates(args.ratesOnly ? user : layerRateCards(readRateCards(bundledRateCardPaths()), user));
    } catch (error) {
      const detail = error instanceof RateCardError ? error.issues.map(formatIssue).join('; ') : error instanceof Error ? error.message : String(error);
      throw new InputError(`bad rate card: ${detail}`);
    }
    const engine = await (options.openEngine ?? (args.engine === 'wasm' ? openNodeEngine : openNativeEngine))();
    try {
      const files = args.logs.map((path) => ({ name: basename(path), bytes: readFileSync(path) }));
      const diagnostics = await ingestFiles(engine, files, { mode: 'replace', rejectPreview: PREVIEW_ROWS, today: options.today });
      for (const d of diagnostics) err(describeFile(d).join('\n'));
      await applyRates(engine, rates);
      if (args.cubeOut) {
        if (args.engine === 'wasm') throw new InputError('--cube-out writes Parquet, which only the native engine can: drop --engine wasm');
        await engine.exec(`COPY (SELECT * FROM usage_cube ORDER BY ALL) TO '${resolve(args.cubeOut).replace(/'/g, "''")}' (FORMAT parquet)`);
        err(`usage cube written to ${args.cubeOut}`);
      }
      const filters: Filters = { from: args.from, to: args.to };
      const report = await buildReport(engine, { filters, batchEligibleJobTypes: args.batchEligible });
      if (report.unpricedRequests > 0) {
        const reasons = new Map<string, number>();
        for (const u of report.unpriced) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + u.requests);
        err(`${report.unpricedRequests} requests unpriced: ${[...reasons].map(([r, n]) => `${n} ${UNPRICED_LABELS[r as keyof typeof UNPRICED_LABELS] ?? r}`).join(', ')}`);
      }
      if (args.format === 'json') out(JSON.stringify(reportToJson(report), null, 2));
      else if (args.format === 'table') out(reportToTable(report));
      else out(reportToCsv(report));
      return 0;
    } finally {
      await engine.close();
    }
  } catch (error) {
    if (error instanceof InputError || error instanceof NotALogError) {
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
  main(process.argv.slice(2), (t) => process.stdout.write(`${t}\n`), (t) => process.stderr.write(`${t}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`pixelspend-report: unexpected error: ${oneLine(error)}\n`);
      process.exit(1);
    },
  );
}
