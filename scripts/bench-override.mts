/**
 * Where a rate override's time goes: loads FILE, prices it with the bundled cards, then makes a run
 * of overrides as a user editing one price would (the first entry's first per-image price, a new
 * value each time) and times each re-pricing and every engine call it makes:
 *   npx tsx scripts/bench-override.mts [--engine wasm|native] [--overrides 14] [--warm 2] [--top 15] [FILE]
 * Default FILE: data/sample/requests.csv. Prints the overrides' median, the cells each re-priced,
 * how many engine calls an override makes and the slowest of them (medians per override, the first
 * `--warm` overrides left out). Asserts nothing.
 */
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/db/engine';
import { ingestFiles } from '../src/db/ingest/ingest';
import { openNodeEngine } from '../src/db/node-engine';
import { applyRates } from '../src/db/workspace';
import { resolveRates } from '../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';
import { openLogFile, openNativeEngine } from '../src/node/native-engine';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: 'wasm' },
    overrides: { type: 'string', default: '14' },
    warm: { type: 'string', default: '2' },
    top: { type: 'string', default: '15' },
  },
});
const file = positionals[0] ?? 'data/sample/requests.csv';
if (values.engine !== 'wasm' && values.engine !== 'native') throw new Error(`--engine is wasm or native, not ${values.engine}`);
const count = Number(values.overrides);
const warm = Number(values.warm);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const loadStart = loadavg()[0]!;

const cards = readRateCards(bundledRateCardPaths());
const rates = resolveRates(cards);
const entry = rates.prices.find((p) => Object.keys(p.perImage).length > 0)!;
const size = Object.keys(entry.perImage)[0]!;
const listed = Number(entry.perImage[size as keyof typeof entry.perImage]!) / 1e12;
const override = (i: number) =>
  resolveRates(cards, { overrides: [{ priceId: entry.id, field: `per_image.${size}`, value: (listed * (1 + (i + 1) / 10)).toFixed(6) }] });

const engine = values.engine === 'native' ? await openNativeEngine({ logs: [file] }) : await openNodeEngine();
const rowsRead = (await ingestFiles(engine, [{ name: basename(file), bytes: await openLogFile(file) }], { mode: 'replace' }))[0]!.rowsRead;
await applyRates(engine, rates);

/** The engine with every call timed into `calls`, named by its kind and first words. */
let calls: { name: string; ms: number }[] = [];
const timed: Engine = Object.create(engine);
for (const method of ['exec', 'query', 'insertText'] as const) {
  const call = (engine[method] as (...args: unknown[]) => Promise<unknown>).bind(engine);
  (timed as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const start = performance.now();
    try {
      return await call(...args);
    } finally {
      calls.push({ name: `${method} ${String(args[0]).replace(/\s+/g, ' ').trim().slice(0, 70)}`, ms: performance.now() - start });
    }
  };
}

const churn = async () => (await engine.query<{ cells: number }>('SELECT cells::INTEGER AS cells FROM priced_churn'))[0]!.cells;
const rebuiltWhole = (made: typeof calls) => made.some((c) => c.name.startsWith('exec CREATE OR REPLACE TEMP TABLE priced_cube '));
const runs: { ms: number; cells: number | 'whole'; calls: typeof calls }[] = [];
for (let i = 0; i < count; i++) {
  const before = await churn();
  calls = [];
  const start = performance.now();
  await applyRates(timed, override(i));
  const ms = performance.now() - start;
  const after = await churn();
  runs.push({ ms, cells: rebuiltWhole(calls) ? 'whole' : after - before, calls });
}
const measured = runs.slice(warm);
const { cells, keys } = (await engine.query<{ cells: number; keys: number }>(
  'SELECT (SELECT count(*) FROM usage_cube)::INTEGER AS cells, (SELECT count(*) FROM price_keys)::INTEGER AS keys'))[0]!;
await engine.close();

console.log(`${basename(file)}: ${rowsRead.toLocaleString('en-US')} rows, ${cells.toLocaleString('en-US')} cube cells, ${keys.toLocaleString('en-US')} price keys; ${values.engine}`);
console.log(`override ${entry.id} per_image.${size}: ${count} overrides, the first ${warm} left out`);
console.log(`re-priced in ms: median ${median(measured.map((r) => r.ms)).toFixed(0)}, min ${Math.min(...measured.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...measured.map((r) => r.ms)).toFixed(0)}`);
console.log(`cells re-priced each: ${measured.map((r) => r.cells).join(' ')} ("whole": the priced cube built again)`);
console.log(`engine calls per override: median ${median(measured.map((r) => r.calls.length))}`);
const byName = new Map<string, number[]>();
for (const run of measured) {
  const perRun = new Map<string, number>();
  for (const c of run.calls) perRun.set(c.name, (perRun.get(c.name) ?? 0) + c.ms);
  for (const [name, ms] of perRun) byName.set(name, [...(byName.get(name) ?? []), ms]);
}
const rowsOut = [...byName].map(([name, ms]) => ({ name, ms: median(ms), seen: ms.length })).sort((a, b) => b.ms - a.ms);
console.log(`slowest calls (median ms per override in which they ran, and in how many of ${measured.length}):`);
for (const r of rowsOut.slice(0, Number(values.top))) console.log(`${r.ms.toFixed(1).padStart(8)}  ${String(r.seen).padStart(3)}  ${r.name}`);
console.log(`load average ${loadStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
