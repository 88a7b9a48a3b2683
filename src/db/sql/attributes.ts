import type { Filters } from '../../domain/filters';
import type { SqlParam } from '../engine';
import { attributeColumn } from './cube';
import { andWhere, filterWhere } from './filters';
import { quoteIdent, quoteLiteral } from './identifiers';

interface Query {
  sql: string;
  params: SqlParam[];
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;

/** The cube's attribute columns (`in_cube`) and whether the log's own `attribute_names` is there. */
export function attributeSourcesQuery(): Query {
  return {
    sql: `SELECT substr(column_name, 6) AS name, true AS in_cube FROM duckdb_columns()
        WHERE table_name = 'priced_cube' AND starts_with(column_name, 'attr:')
      UNION ALL
      SELECT NULL, false FROM duckdb_tables() WHERE table_name = 'attribute_names'`,
    params: [],
  };
}

/**
 * Requests carrying each attribute under the global filters: cube attributes from `priced_cube`,
 * the others (too many distinct values for the cube) from the log's rows.
 */
export function attributeNamesQuery(inCube: readonly string[], rowLevel: readonly string[], filters: Filters = {}): Query {
  const where = filterWhere(filters);
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (inCube.length > 0) {
    parts.push(`SELECT unnest([${inCube.map(quoteLiteral).join(', ')}]) AS name,
        unnest([${inCube.map((n) => `COALESCE(sum(requests) FILTER (WHERE ${quoteIdent(attributeColumn(n))} IS NOT NULL), 0)`).join(', ')}])::BIGINT AS requests
      FROM priced_cube ${where.sql}`);
    params.push(...where.params);
  }
  if (rowLevel.length > 0) {
    parts.push(`SELECT name, count(*)::BIGINT AS requests
      FROM (SELECT unnest(map_keys(attributes)) AS name FROM request_dims ${where.sql})
      WHERE name IN (${rowLevel.map(() => '?').join(', ')}) GROUP BY 1`);
    params.push(...where.params, ...rowLevel);
  }
  if (parts.length === 0) return { sql: 'SELECT NULL::VARCHAR AS name, 0::BIGINT AS requests WHERE false', params: [] };
  return {
    sql: `SELECT name, requests FROM (${parts.join(' UNION ALL ')}) WHERE requests > 0 ORDER BY requests DESC, name`,
    params,
  };
}

/**
 * Spend per value of one attribute; requests without it are grouped as NULL. `only` keeps the
 * requests where another attribute has a given value (filtering by attribute). From the priced
 * cube when both attributes are cube dimensions, else priced row by row.
 */
export function spendByAttributeQuery(name: string, filters: Filters = {}, only?: { name: string; value: string }, inCube: ReadonlySet<string> = new Set()): Query {
  let where = filterWhere(filters);
  if (inCube.has(name) && (!only || inCube.has(only.name))) {
    if (only) where = andWhere(where, `${quoteIdent(attributeColumn(only.name))} = ?::VARCHAR`);
    return {
      sql: `SELECT ${quoteIdent(attributeColumn(name))} AS value,
          COALESCE(sum(requests) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS requests,
          COALESCE(sum(images * billed_attempts) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS images,
          ${money('sum(cost)')} AS cost,
          ${money('sum(billed_cost)')} AS billed,
          COALESCE(sum(requests) FILTER (WHERE unpriced_reason IS NOT NULL), 0)::BIGINT AS unpriced_requests
        FROM priced_cube ${where.sql}
        GROUP BY 1 ORDER BY sum(cost) DESC NULLS LAST, 1 NULLS LAST`,
      params: [...where.params, ...(only ? [only.value] : [])],
    };
  }
  if (only) where = andWhere(where, 'attributes[?::VARCHAR] = ?::VARCHAR');
  return {
    sql: `SELECT attributes[?::VARCHAR] AS value,
        count(*) FILTER (WHERE unpriced_reason IS NULL)::BIGINT AS requests,
        COALESCE(sum(images * billed_attempts) FILTER (WHERE unpriced_reason IS NULL), 0)::BIGINT AS images,
        ${money('sum(cost)')} AS cost,
        ${money('sum(cost_usd)')} AS billed,
        count(*) FILTER (WHERE unpriced_reason IS NOT NULL)::BIGINT AS unpriced_requests
      FROM priced ${where.sql}
      GROUP BY 1 ORDER BY sum(cost) DESC NULLS LAST, 1 NULLS LAST`,
    params: [name, ...where.params, ...(only ? [only.name, only.value] : [])],
  };
}
