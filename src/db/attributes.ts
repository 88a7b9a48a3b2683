import type { Filters } from '../domain/filters';
import { parseUsd, type Pico } from '../domain/money';
import type { Engine } from './engine';
import { attributeNamesQuery, spendByAttributeQuery } from './sql/attributes';

export interface AttributeName {
  name: string;
  requests: number;
}

export interface AttributeGroup {
  /** null: requests that do not carry the attribute */
  value: string | null;
  requests: number;
  images: number;
  cost: Pico;
  /** the cost the source itself logged (gateways), for reconciliation */
  billed: Pico;
  unpricedRequests: number;
}

async function pricedExists(engine: Engine): Promise<boolean> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE view_name = 'priced'`);
  return (row?.n ?? 0) > 0;
}

export async function loadAttributeNames(engine: Engine, filters: Filters = {}): Promise<AttributeName[]> {
  if (!(await pricedExists(engine))) return [];
  const q = attributeNamesQuery(filters);
  return (await engine.query<{ name: string; requests: number | bigint }>(q.sql, q.params)).map((r) => ({ name: r.name, requests: Number(r.requests) }));
}

export async function loadSpendByAttribute(engine: Engine, name: string, filters: Filters = {}, only?: { name: string; value: string }): Promise<AttributeGroup[]> {
  if (!(await pricedExists(engine))) return [];
  const q = spendByAttributeQuery(name, filters, only);
  const rows = await engine.query<{ value: string | null; requests: number | bigint; images: number | bigint; cost: string; billed: string; unpriced_requests: number | bigint }>(q.sql, q.params);
  return rows.map((r) => ({
    value: r.value,
    requests: Number(r.requests),
    images: Number(r.images),
    cost: parseUsd(r.cost),
    billed: parseUsd(r.billed),
    unpricedRequests: Number(r.unpriced_requests),
  }));
}
