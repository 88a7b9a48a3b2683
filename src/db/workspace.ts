import type { ActiveRates } from '../domain/rate-card';
import type { Engine } from './engine';
import { ensureLogTables } from './ingest/ingest';
import { buildRateTablesSql, loadRates, rateTableRows } from './rates';
import { buildAttributeNamesSql, buildUsageCubeSql, CUBE_ATTRIBUTE_MAX_VALUES, buildSharedPromptsSql } from './sql/cube';
import {
  buildChangedKeysSql, buildChangedSourcesSql, buildCubeKeysSql, buildPriceKeyMacroSql, buildPricedRatesSql, buildPricedCubeSql, buildPricedViewSql, buildPriceKeysSql, buildModelKeysSql, buildRequestDimsSql, changedCellsSql, priceKeysCollideSql, repriceChangedCellsSql, repriceChangedKeysSql,
} from './sql/pricing';
import { buildPricedDaysSql, buildPricedMonthsSql, changedDaysSql, repriceChangedDaysSql } from './sql/report';

/** Makes `rates` the active price list and re-prices every loaded request with it. */
export async function applyRates(engine: Engine, rates: ActiveRates): Promise<void> {
  await loadRates(engine, rates);
  await reprice(engine);
}

/**
 * Prices the usage cube with the active rates (building the cube first when the log changed
 * since): a few thousand cells, not millions of rows. Run after logs or rates change. When only
 * the rates changed, only the cells whose price key was priced differently are priced again.
 */
export async function reprice(engine: Engine): Promise<void> {
  await ensureLogTables(engine);
  const [built] = await engine.query<{ cube: number; keys: number; priced: number; rates: number; views: number }>(`SELECT count(*) FILTER (WHERE table_name = 'usage_cube') AS cube,
      count(*) FILTER (WHERE table_name = 'cube_keys') AS keys,
      count(*) FILTER (WHERE table_name IN ('price_keys', 'priced_cube', 'priced_days', 'priced_months')) AS priced,
      count(*) FILTER (WHERE table_name = 'priced_rates') AS rates,
      count(*) FILTER (WHERE table_name = 'model_keys') AS views FROM duckdb_tables()`);
  if (built!.cube === 0) await buildUsageCube(engine);
  else if (built!.keys === 0) await engine.exec(buildCubeKeysSql());
  if (built!.cube > 0 && built!.priced === 4) {
    await repriceChanged(engine, built!.rates > 0);
  } else {
    await engine.exec(buildPriceKeysSql());
    await joinOnPriceKeys(engine);
    await engine.exec(buildPricedRatesSql());
    await priceWholeCube(engine);
  }
  await createPricedViews(engine, built!.views > 0);
}

/** Prices every cell of the cube and sums the days and months, from `price_keys`. */
async function priceWholeCube(engine: Engine): Promise<void> {
  await engine.exec(buildPricedCubeSql());
  await engine.exec(buildPricedDaysSql());
  await engine.exec(buildPricedMonthsSql());
  await engine.exec('CREATE OR REPLACE TEMP TABLE priced_churn AS SELECT 0::BIGINT AS cells');
}

/**
 * Cells re-priced in place, since the priced cube was last built whole, past which it is built
 * whole again: each leaves a deleted row behind and moves its cell away from its neighbours (with
 * no limit, 120 re-pricings took spend per day on a 1M-row log from 9 to 17 ms, retries from 60 to 79).
 */
const CHURN_LIMIT = 0.25;

/**
 * Prices again only what the rate change touched: the keys whose model and provider are rated
 * otherwise (all of them where the rates they were priced with are not known: a snapshot's), and
 * then, in one transaction, the cells, days and months of the keys whose prices changed. A change that
 * touches many cells builds the priced cube whole, which is then faster.
 */
async function repriceChanged(engine: Engine, ratesKnown: boolean): Promise<void> {
  try {
    await engine.exec(`${DROP_BEFORE} ${ratesKnown ? 'ALTER TABLE priced_rates RENAME TO priced_rates_before;' : ''}`);
    await engine.exec(buildPricedRatesSql());
    // A snapshot's priced tables come without what priced them or how often cells were re-priced since.
    if (!ratesKnown) await engine.exec('CREATE TEMP TABLE priced_rates_before AS SELECT * FROM priced_rates LIMIT 0');
    await engine.exec('CREATE TEMP TABLE IF NOT EXISTS priced_churn AS SELECT 0::BIGINT AS cells');
    await engine.exec(buildChangedSourcesSql());
    // A change to models the log does not use (or the same rates again) leaves every key as it was:
    // pricing none of them still cost ≈ 90 ms of planning and empty joins in wasm.
    const [sources] = await engine.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM changed_sources');
    if (sources!.n === 0) return await engine.exec(DROP_BEFORE);
    for (const sql of repriceChangedKeysSql()) await engine.exec(sql);
    await engine.exec(buildChangedKeysSql());
    const [count] = await engine.query<{ changed: number; cells: number; churn: number }>(
      `SELECT changed, cells, (SELECT cells FROM priced_churn) AS churn FROM (${changedCellsSql()})`);
    const { changed, cells, churn } = count!;
    if (churn + changed > cells * CHURN_LIMIT) {
      await priceWholeCube(engine);
    } else if (changed > 0) {
      await engine.exec('BEGIN TRANSACTION');
      try {
        for (const sql of repriceChangedCellsSql()) await engine.exec(sql);
        await engine.exec(changedDaysSql());
        for (const sql of repriceChangedDaysSql()) await engine.exec(sql);
        await engine.exec(`UPDATE priced_churn SET cells = cells + ${changed}`);
        await engine.exec('COMMIT');
      } catch (error) {
        await engine.exec('ROLLBACK').catch(() => {});
        throw error;
      }
    }
    await engine.exec(DROP_BEFORE);
  } catch (error) {
    // Half re-priced is not priced: the next pricing starts from the cube.
    await engine.exec(`${DROP_BEFORE} ${PRICED_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join(' ')}`).catch(() => {});
    throw error;
  }
}

const PRICED_TABLES = ['price_keys', 'priced_rates', 'priced_cube', 'priced_days', 'priced_months', 'priced_churn'];
/** What `repriceChanged` compares and keeps while it works. */
const DROP_BEFORE = ['price_keys_before', 'priced_rates_before', 'changed_sources', 'changed_keys', 'changed_cells', 'changed_days']
  .map((t) => `DROP TABLE IF EXISTS ${t};`).join(' ');

/**
 * The views over `price_keys` (each request priced on demand, and its filter columns) and the model
 * keys they read. A view reads its tables by name when it is queried, so views already made (`made`:
 * `model_keys` exists, which is made with them and dropped with them) are kept, and only the model
 * keys are made again: making the views binds them, ≈ 15 ms of a rate change in wasm.
 */
export async function createPricedViews(engine: Engine, made = false): Promise<void> {
  if (made) return engine.exec(buildModelKeysSql());
  try {
    // A snapshot's priced tables come without what joins them.
    await joinOnPriceKeys(engine);
    await engine.exec(buildPricedViewSql());
    await engine.exec(buildModelKeysSql());
    await engine.exec(buildRequestDimsSql());
  } catch (error) {
    await engine.exec('DROP TABLE IF EXISTS model_keys').catch(() => {});
    throw error;
  }
}

/**
 * Says what rows and cells are joined to `price_keys` on (`buildPriceKeyMacroSql`): `hash` of its
 * key columns unless two of its keys share one. Run whenever its keys may have changed.
 */
export async function joinOnPriceKeys(engine: Engine, hash = 'hash'): Promise<void> {
  const [keys] = await engine.query<{ collide: boolean }>(priceKeysCollideSql(hash));
  await engine.exec(buildPriceKeyMacroSql(keys!.collide, hash));
}

/**
 * What the priced tables depend on besides the log: the rate tables' rows and the statements that
 * price. A snapshot keeps the tables it was priced to with this, and they are used only where it is equal.
 */
export function pricingFingerprint(rates: ActiveRates): string {
  return JSON.stringify({ rates: rateTableRows(rates), sql: [buildRateTablesSql(), buildPriceKeysSql(), buildPricedCubeSql(), buildPricedDaysSql(), buildPricedMonthsSql()] });
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
