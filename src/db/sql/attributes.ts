import type { Filters } from '../../domain/filters';
import type { SqlParam } from '../engine';
import { andWhere, filterWhere } from './filters';

interface Query {
  sql: string;
  params: SqlParam[];
}

const money = (expr: string) => `COALESCE(${expr}, 0)::VARCHAR`;

/** Attribute names in the priced requests (the global filters apply), most common first. */
export function attributeNamesQuery(filters: Filters = {}): Query {
  const where = filterWhere(filters);
  return {
    sql: `SELECT name, count(*)::BIGINT AS requests
      FROM (SELECT unnest(map_keys(attributes)) AS name FROM priced ${where.sql})
      GROUP BY name ORDER BY requests DESC, name`,
    params: where.params,
  };
}

/**
 * Spend per value of one attribute; requests without it are grouped as NULL. `only` keeps the
 * requests where another attribute has a given value (filtering by attribute).
 */
export function spendByAttributeQuery(name: string, filters: Filters = {}, only?: { name: string; value: string }): Query {
  let where = filterWhere(filters);
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
