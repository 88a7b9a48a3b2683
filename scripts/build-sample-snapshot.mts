/**
 * Writes the bundled sample (data/sample/requests.csv) as a snapshot the app opens at start-up:
 *   npx tsx scripts/build-sample-snapshot.mts OUT.duckdb
 * The build runs it (scripts/lib/sample-snapshot.ts); it needs no other input.
 */
import { SAMPLE } from './lib/sample-snapshot';
import { snapshotLogs } from '../src/node/snapshot';

const out = process.argv[2];
if (!out) {
  console.error('usage: build-sample-snapshot.mts OUT.duckdb');
  process.exit(2);
}
await snapshotLogs([SAMPLE], out);
