/**
 * Writes the bundled sample (data/sample/requests.csv) as a snapshot the app opens at start-up,
 * priced with the rates a first visit has (the bundled cards, no variants chosen, no overrides), and
 * beside it OUT.duckdb.figures.json, what the Overview first shows on it (`FirstFigures`, tagged JSON):
 *   npx tsx scripts/build-sample-snapshot.mts OUT.duckdb
 * The build runs it (scripts/lib/sample-snapshot.ts); it needs no other input.
 */
import { writeFileSync } from 'node:fs';
import { layerRateCards, resolveRates } from '../src/domain/rate-card';
import { stringifyTagged } from '../src/domain/tagged-json';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';
import { snapshotLogs } from '../src/node/snapshot';
import { SAMPLE } from './lib/sample-snapshot';

const out = process.argv[2];
if (!out) {
  console.error('usage: build-sample-snapshot.mts OUT.duckdb');
  process.exit(2);
}
const rates = resolveRates(layerRateCards(readRateCards(bundledRateCardPaths()), []), { variants: {}, overrides: [] });
writeFileSync(`${out}.figures.json`, stringifyTagged(await snapshotLogs([SAMPLE], out, rates)));
