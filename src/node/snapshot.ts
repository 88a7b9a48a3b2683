import { readFileSync, rmSync } from 'node:fs';
import type { Engine } from '../db/engine';
import { computeFirstFigures, type FirstFigures } from '../db/first-figures';
import { ingestFiles, SNAPSHOT_DERIVED, SNAPSHOT_DIAGNOSTICS, SNAPSHOT_PRICED, SNAPSHOT_PRICING, type FileDiagnostics } from '../db/ingest/ingest';
import { applyRates, buildUsageCube, pricingFingerprint } from '../db/workspace';
import type { ActiveRates } from '../domain/rate-card';
import { LOG_TABLES } from '../db/schema';
import { quoteIdent, quoteLiteral } from '../db/sql/identifiers';
import { openNativeEngine } from './native-engine';

/**
 * Writes what `engine` has loaded to `path` as a snapshot (replacing the file): every validated
 * part, the load tables, the usage cube and repeated prompts (which depend on the log alone, not
 * on rates) and `diagnostics`, the load's report; with `rates`, the log priced with them too.
 * `openSnapshot` opens it without reading, checking or summing the log again, and without pricing
 * it where the session's rates are these.
 */
export async function writeSnapshot(engine: Engine, path: string, diagnostics: readonly FileDiagnostics[], rates?: ActiveRates): Promise<void> {
  rmSync(path, { force: true });
  const parts = await engine.query<{ part: string }>('SELECT part FROM request_parts ORDER BY base');
  await engine.exec(`ATTACH ${quoteLiteral(path)} AS snapshot_out`);
  try {
    await buildUsageCube(engine);
    for (const table of [...LOG_TABLES, ...SNAPSHOT_DERIVED, ...parts.map((p) => p.part)]) {
      await engine.exec(`CREATE TABLE snapshot_out.${quoteIdent(table)} AS SELECT * FROM ${quoteIdent(table)}`);
    }
    await engine.exec(`CREATE TABLE snapshot_out.${SNAPSHOT_DIAGNOSTICS} AS SELECT ${quoteLiteral(JSON.stringify(diagnostics))} AS diagnostics`);
    if (rates) {
      await applyRates(engine, rates);
      for (const table of SNAPSHOT_PRICED) await engine.exec(`CREATE TABLE snapshot_out.${quoteIdent(table)} AS SELECT * FROM ${quoteIdent(table)}`);
      await engine.exec(`CREATE TABLE snapshot_out.${SNAPSHOT_PRICING} AS SELECT ${quoteLiteral(pricingFingerprint(rates))} AS fingerprint`);
    }
  } finally {
    await engine.exec('DETACH snapshot_out');
  }
}

/**
 * Reads and checks `logs` on native DuckDB, the release inside the browser's engine, and writes them
 * to `path` as a snapshot priced with `rates`; returns what the Overview first shows on them with those
 * rates (`computeFirstFigures`). (DuckDB-WASM in Node leaves a database it wrote without its catalog.)
 */
export async function snapshotLogs(logs: readonly { name: string; path: string }[], path: string, rates: ActiveRates): Promise<FirstFigures> {
  const engine = await openNativeEngine();
  try {
    const files = logs.map((log) => ({ name: log.name, bytes: new Uint8Array(readFileSync(log.path)) }));
    await writeSnapshot(engine, path, await ingestFiles(engine, files, { mode: 'replace' }), rates);
    return await computeFirstFigures(engine, rates);
  } finally {
    await engine.close();
  }
}
