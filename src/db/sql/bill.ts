import { CELL_METERS, cellMetersSql, MONEY_TYPE } from './pricing';
import type { Query } from './report';

/**
 * A loaded bill (`bill_lines`, one row per usable line with its mapped model, meter and lane)
 * against the priced logs, per UTC day × model × meter. The logs are limited to the providers
 * the SKU map says the bill covers and to the bill's own days. Money stays DECIMAL and leaves
 * as VARCHAR.
 */

export const BILL_LINE_COLUMNS = [
  ['row', 'BIGINT'], ['day', 'DATE'], ['service', 'VARCHAR'], ['sku_id', 'VARCHAR'], ['sku', 'VARCHAR'],
  ['project', 'VARCHAR'], ['currency', 'VARCHAR'], ['cost', MONEY_TYPE], ['credits', MONEY_TYPE],
  ['usage_amount', 'DOUBLE'], ['usage_unit', 'VARCHAR'], ['model', 'VARCHAR'], ['meter', 'VARCHAR'], ['lane', 'VARCHAR'],
] as const;

/** `bill_lines` typed from the all-text `bill_lines_text`. */
export function buildBillLinesSql(): string {
  return `CREATE OR REPLACE TEMP TABLE bill_lines AS
    SELECT ${BILL_LINE_COLUMNS.map(([c, t]) => `"${c}"::${t} AS "${c}"`).join(', ')} FROM bill_lines_text`;
}

const inList = (values: readonly string[]) => values.map(() => '?').join(', ') || 'NULL';

/** The logs' priced cells of the covered providers inside the bill's days, one row per meter. */
function logMetersSql(providers: readonly string[]): Query {
  const span = 'SELECT min(day) AS first_day, max(day) AS last_day FROM bill_lines';
  const meters = CELL_METERS.map(
    (m) => `SELECT day, model_key AS model, '${m}' AS meter, ${m}_cost AS cost, ${m}_units::DOUBLE AS units
      FROM cells WHERE ${m}_cost <> 0${m === 'request' ? '' : ` OR ${m}_units <> 0`}`,
  ).join('\n      UNION ALL ');
  return {
    sql: `cells AS (
        SELECT x.* FROM (${cellMetersSql()}) x, (${span}) s
        WHERE x.provider IN (${inList(providers)}) AND x.day BETWEEN s.first_day AND s.last_day),
      logs AS (
        SELECT day, model, meter, sum(cost) AS cost, sum(units) AS units FROM (${meters}) GROUP BY ALL)`,
    params: [...providers],
  };
}

/** Bill vs logs per day × model × meter; largest absolute difference first. */
export function billComparisonQuery(providers: readonly string[]): Query {
  const logs = logMetersSql(providers);
  return {
    sql: `WITH ${logs.sql},
      bill AS (
        SELECT day, model, meter, currency, count(*)::BIGINT AS lines, sum(cost) AS cost, sum(credits) AS credits,
          sum(usage_amount) AS usage
        FROM bill_lines WHERE model IS NOT NULL GROUP BY ALL),
      joined AS (
        SELECT strftime(COALESCE(b.day, l.day), '%Y-%m-%d') AS day, COALESCE(b.model, l.model) AS model,
          COALESCE(b.meter, l.meter) AS meter, COALESCE(b.currency, 'USD') AS currency,
          COALESCE(b.lines, 0)::BIGINT AS bill_lines, b.cost AS bill_cost, b.credits AS bill_credits, b.usage AS bill_usage,
          l.cost AS log_cost, l.units AS log_usage,
          CASE WHEN COALESCE(b.currency, 'USD') = 'USD' THEN COALESCE(b.cost, 0::${MONEY_TYPE}) - COALESCE(l.cost, 0::${MONEY_TYPE}) END AS difference
        FROM bill b FULL JOIN logs l ON b.day = l.day AND b.model = l.model AND b.meter = l.meter AND b.currency = 'USD')
      SELECT day, model, meter, currency, bill_lines, bill_cost::VARCHAR AS bill_cost, bill_credits::VARCHAR AS bill_credits,
        bill_usage, log_cost::VARCHAR AS log_cost, log_usage, difference::VARCHAR AS difference
      FROM joined
      ORDER BY abs(difference) DESC NULLS LAST, day, model, meter, currency`,
    params: logs.params,
  };
}

/** The bill's totals per currency: cost, credits, net and the part no SKU mapping explains. */
export function billCurrencyTotalsQuery(): Query {
  return {
    sql: `SELECT currency, count(*)::BIGINT AS lines, sum(cost)::VARCHAR AS cost, sum(credits)::VARCHAR AS credits,
        (sum(cost) + sum(credits))::VARCHAR AS net,
        COALESCE(sum(cost) FILTER (WHERE model IS NULL), 0)::VARCHAR AS unmapped_cost
      FROM bill_lines GROUP BY currency ORDER BY currency`,
    params: [],
  };
}

/** The logs' side in total: computed cost, requests and unpriced requests of the covered providers in the bill's days. */
export function billLogTotalsQuery(providers: readonly string[]): Query {
  return {
    sql: `SELECT COALESCE(sum(c.cost), 0)::VARCHAR AS cost, COALESCE(sum(c.requests), 0)::BIGINT AS requests,
        COALESCE(sum(c.requests) FILTER (WHERE c.unpriced_reason IS NOT NULL), 0)::BIGINT AS unpriced_requests
      FROM priced_cube c, (SELECT min(day) AS first_day, max(day) AS last_day FROM bill_lines) s
      WHERE c.provider IN (${inList(providers)}) AND c.day BETWEEN s.first_day AND s.last_day`,
    params: [...providers],
  };
}

/** Lines no SKU mapping matched, per SKU and currency, largest cost first. */
export function billUnmappedQuery(): Query {
  return {
    sql: `SELECT service, sku_id, sku, currency, count(*)::BIGINT AS lines, sum(cost)::VARCHAR AS cost, sum(credits)::VARCHAR AS credits
      FROM bill_lines WHERE model IS NULL GROUP BY ALL ORDER BY abs(sum(cost)) DESC, sku, sku_id, currency`,
    params: [],
  };
}

/** The bill's usage days. */
export function billSpanQuery(): Query {
  return {
    sql: `SELECT strftime(min(day), '%Y-%m-%d') AS first_day, strftime(max(day), '%Y-%m-%d') AS last_day FROM bill_lines`,
    params: [],
  };
}
