import type { ActiveRates } from '../domain/rate-card';
import type { Engine } from './engine';
import { ensureLogTables } from './ingest/ingest';
import { buildRateTablesSql, loadRates, rateTableRows } from './rates';
import { buildAttributeNamesSql, buildUsageCubeSql, CUBE_ATTRIBUTE_MAX_VALUES, buildPromptFirstsSql } from './sql/cube';
import { buildPricedCubeSql, buildPricedViewSql, buildPriceKeysSql, buildRequestDimsSql } from './sql/pricing';
import { buildPricedMonthsSql } from './sql/report';

/** Makes `rates` the active price list and re-prices every loaded request with it. */
export async function applyRates(engine: Engine, rates: ActiveRates): Promise<void> {
  await loadRates(engine, rates);
  await reprice(engine);
}

/**
 * Prices the usage cube with the active rates (building the cube first when the log changed
 * since): a few thousand cells, not millions of rows. Run after logs or rates change.
 */
export async function reprice(engine: Engine): Promise<void> {
  await ensureLogTables(engine);
  const [cube] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'usage_cube'`);
  if (cube!.n === 0) await buildUsageCube(engine);
  await engine.exec(buildPriceKeysSql());
  await engine.exec(buildPricedCubeSql());
  await engine.exec(buildPricedMonthsSql());
  await createPricedViews(engine);
}

/** The views over `price_keys`: each request priced on demand, and its filter columns. */
export async function createPricedViews(engine: Engine): Promise<void> {
  await engine.exec(buildPricedViewSql());
  for (const sql of buildRequestDimsSql()) await engine.exec(sql);
}

/**
 * What the priced tables depend on besides the log: the rate tables' rows and the statements that
 * price. A snapshot keeps the tables it was priced to with this, and they are used only where it is equal.
 */
export function pricingFingerprint(rates: ActiveRates): string {
  return JSON.stringify({ rates: rateTableRows(rates), sql: [buildRateTablesSql(), buildPriceKeysSql(), buildPricedCubeSql(), buildPricedMonthsSql()] });
}

/** Finds repeated prompts and sums `requests` into `usage_cube`: once per change of the log. */
export async function buildUsageCube(engine: Engine): Promise<void> {
  await engine.exec(buildPromptFirstsSql());
  await engine.exec(buildAttributeNamesSql());
  const attributes = (await engine.query<{ name: string; values: number }>('SELECT name, "values" FROM attribute_names ORDER BY name'))
    .filter((a) => a.values <= CUBE_ATTRIBUTE_MAX_VALUES)
    .map((a) => a.name);
  await engine.exec(buildUsageCubeSql(attributes));
}
