import type { ActiveRates } from '../domain/rate-card';
import type { Engine } from './engine';
import { ensureLogTables } from './ingest/ingest';
import { loadRates } from './rates';
import { buildPricedTableSql } from './sql/pricing';

/** Makes `rates` the active price list and re-prices every loaded request with it. */
export async function applyRates(engine: Engine, rates: ActiveRates): Promise<void> {
  await loadRates(engine, rates);
  await reprice(engine);
}

/** Rebuilds `priced` from `requests` and the rate tables. */
export async function reprice(engine: Engine): Promise<void> {
  await ensureLogTables(engine);
  await engine.exec(buildPricedTableSql());
}
