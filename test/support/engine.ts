import { openNodeEngine } from '../../src/db/node-engine';
import type { Engine } from '../../src/db/engine';

let shared: Promise<Engine> | undefined;

/** One real DuckDB-WASM engine per test file (starting one takes about a second). */
export function testEngine(): Promise<Engine> {
  shared ??= openNodeEngine();
  return shared;
}
