import { readFileSync } from 'node:fs';
import type { Engine } from '../../src/db/engine';
import { ingestFiles, type FileDiagnostics } from '../../src/db/ingest/ingest';
import { openNodeEngine } from '../../src/db/node-engine';

export const SAMPLE_PATH = 'data/sample/requests.csv';

let shared: Promise<Engine> | undefined;

/** One real DuckDB-WASM engine per test file (starting one takes about a second). */
export function testEngine(): Promise<Engine> {
  shared ??= openNodeEngine();
  return shared;
}

/** Replaces whatever the engine holds with the bundled sample log (not yet priced: apply rates next). */
export async function loadSampleLog(engine: Engine): Promise<FileDiagnostics[]> {
  return ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(SAMPLE_PATH) }], { mode: 'replace' });
}
