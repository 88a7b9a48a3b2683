/**
 * Plan-view benchmarks (issue 6): building the planning cube from a 1M-row log in Node, and
 * the slider-to-figures recompute in the pure domain from that cube.
 *   npm run bench                         → 1,000,000 rows (generated once into /tmp)
 *   npm run bench -- --rows 200000        → a smaller log
 * Prints medians and p95 in ms; nothing here is asserted (timings vary by machine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadCube } from '../src/db/cube.ts';
import { ingestFiles } from '../src/db/ingest/ingest.ts';
import { openNodeEngine } from '../src/db/node-engine.ts';
import { applyRates } from '../src/db/workspace.ts';
import { forecastMonth } from '../src/domain/budget.ts';
import { addDays, collapseDays, lastDay, observeCells } from '../src/domain/cube.ts';
import { actualOutcome, presetPolicies, replayPolicy } from '../src/domain/policy.ts';
import { resolveRates } from '../src/domain/rate-card.ts';
import { DEFAULT_BATCH_ELIGIBLE } from '../src/domain/report.ts';
import { computeScenario, scenarioFromCube } from '../src/domain/scenario.ts';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates.ts';

const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
const CSV = `/tmp/pixelspend-bench-${ROWS}.csv`;

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, min ${sorted[0]!.toFixed(3)} ms (n=${samples.length})`;
}

function time<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

async function timeAsync<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

if (!existsSync(CSV)) {
  console.log(`generating ${ROWS.toLocaleString('en-US')} rows into ${CSV} …`);
  const gen = spawnSync('npx', ['tsx', 'scripts/generate-sample.mts', '--rows', String(ROWS), '--out', CSV], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('generating the log failed');
}

const engine = await openNodeEngine();
const rates = resolveRates(readRateCards(bundledRateCardPaths()));
const [, ingestMs] = await timeAsync(() => ingestFiles(engine, [{ name: 'bench.csv', bytes: readFileSync(CSV) }], { mode: 'replace' }));
const [, priceMs] = await timeAsync(() => applyRates(engine, rates));
console.log(`log: ${ROWS.toLocaleString('en-US')} rows; ingest ${ingestMs.toFixed(0)} ms, pricing ${priceMs.toFixed(0)} ms (context, not the plan view's work)`);

const cubeTimes: number[] = [];
let cube = await loadCube(engine);
for (let i = 0; i < 5; i++) {
  const [rows, ms] = await timeAsync(() => loadCube(engine));
  cube = rows;
  cubeTimes.push(ms);
}
console.log(`cube build (SQL GROUP BY over the priced log + rows to domain), ${cube.length.toLocaleString('en-US')} cells: ${stats(cubeTimes)}`);

const last = lastDay(cube)!;
const at = Date.parse(`${last}T00:00:00Z`);
const start = scenarioFromCube(cube)!.scenario;
const presets = presetPolicies(DEFAULT_BATCH_ELIGIBLE);

// The calculator's slider: a new volume → the scenario's figures.
const sliderTimes: number[] = [];
for (let i = 0; i < 2000; i++) {
  const [, ms] = time(() => computeScenario({ ...start, volume: 1000 + i }, rates, at));
  sliderTimes.push(ms);
}
console.log(`slider → calculator figures (computeScenario, ${start.lines.length} lines): ${stats(sliderTimes)}`);

// The policy panel: a window change → collapse the cube, estimate rates, replay every preset, and the actual.
const policyTimes: number[] = [];
for (let i = 0; i < 200; i++) {
  const [, ms] = time(() => {
    const cells = collapseDays(cube, addDays(last, -(29 + (i % 3) * 30)), last);
    const observed = observeCells(cells);
    actualOutcome(cells, observed);
    for (const p of presets) replayPolicy(p, cells, rates, at, observed);
  });
  policyTimes.push(ms);
}
console.log(`policy replay from the cube (collapse + ${presets.length} presets + actual): ${stats(policyTimes)}`);

// "Start from my data" and the budget panel, for completeness.
const fromDataTimes: number[] = [];
const budgetTimes: number[] = [];
for (let i = 0; i < 200; i++) {
  fromDataTimes.push(time(() => scenarioFromCube(cube))[1]);
  budgetTimes.push(time(() => forecastMonth(cube, addDays(last, -(i % 28)), null))[1]);
}
console.log(`start from my data (last 30 days → scenario): ${stats(fromDataTimes)}`);
console.log(`budget forecast from the cube: ${stats(budgetTimes)}`);
await engine.close();
