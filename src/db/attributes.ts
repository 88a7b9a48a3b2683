import type { Filters } from '../domain/filters';
import { parseUsd, type Pico } from '../domain/money';
import type { Engine } from './engine';
import { attributeNamesQuery, attributeSourcesQuery, spendByAttributeQuery } from './sql/attributes';

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

interface AttributeSources {
  /** cube dimensions: grouped from the priced cube */
  inCube: Set<string>;
  /** too many distinct values for the cube: grouped row by row */
  rowLevel: string[];
}

/** Which attributes are cube dimensions and which are read row by row; null before the cube is built. */
export async function attributeSources(engine: Engine): Promise<AttributeSources | null> {
  const [priced] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'priced_cube'`);
  if (!priced?.n) return null;
  const rows = await engine.query<{ name: string | null; in_cube: boolean }>(attributeSourcesQuery().sql);
  const inCube = new Set(rows.filter((r) => r.in_cube).map((r) => r.name!));
  const rowLevel = rows.some((r) => !r.in_cube)
    ? (await engine.query<{ name: string }>('SELECT name FROM attribute_names ORDER BY name')).map((r) => r.name).filter((n) => !inCube.has(n))
    : [];
  return { inCube, rowLevel };
}

export async function loadAttributeNames(engine: Engine, filters: Filters = {}): Promise<AttributeName[]> {
  const sources = await attributeSources(engine);
  if (!sources) return [];
  const q = attributeNamesQuery([...sources.inCube].sort(), sources.rowLevel, filters);
  return (await engine.query<{ name: string; requests: number | bigint }>(q.sql, q.params)).map((r) => ({ name: r.name, requests: Number(r.requests) }));
}

export async function loadSpendByAttribute(engine: Engine, name: string, filters: Filters = {}, only?: { name: string; value: string }): Promise<AttributeGroup[]> {
  const sources = await attributeSources(engine);
  if (!sources) return [];
  const q = spendByAttributeQuery(name, filters, only, sources.inCube);
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
