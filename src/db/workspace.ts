import type { ActiveRates } from '../domain/rate-card';
import type { Engine } from './engine';
import { ensureLogTables } from './ingest/ingest';
import { buildRateTablesSql, loadRates, rateTableRows } from './rates';
import { buildAttributeNamesSql, buildUsageCubeSql, CUBE_ATTRIBUTE_MAX_VALUES, buildSharedPromptsSql } from './sql/cube';
import { buildCubeKeysSql, buildPricedCubeSql, buildPricedViewSql, buildPriceKeysSql, buildRequestDimsSql } from './sql/pricing';
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
  const [built] = await engine.query<{ cube: number; keys: number }>(`SELECT count(*) FILTER (WHERE table_name = 'usage_cube') AS cube,
      count(*) FILTER (WHERE table_name = 'cube_keys') AS keys FROM duckdb_tables()`);
  if (built!.cube === 0) await buildUsageCube(engine);
  else if (built!.keys === 0) await engine.exec(buildCubeKeysSql());
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

/** Finds repeated prompts and sums `requests` into `usage_cube`, and its price keys: once per change of the log. */
export async function buildUsageCube(engine: Engine): Promise<void> {
  await engine.exec(buildSharedPromptsSql());
  await engine.exec(buildAttributeNamesSql());
  const attributes = (await engine.query<{ name: string; values: number }>('SELECT name, "values" FROM attribute_names ORDER BY name'))
    .filter((a) => a.values <= CUBE_ATTRIBUTE_MAX_VALUES)
    .map((a) => a.name);
  await engine.exec(buildUsageCubeSql(attributes));
  await engine.exec(buildCubeKeysSql());
}
