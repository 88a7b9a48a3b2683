import { nextDay, type Filters } from '../../domain/filters';
import type { SqlParam } from '../engine';

export interface Where {
  sql: string;
  params: SqlParam[];
}

/**
 * WHERE clause for the global filters over `priced_cube` or `priced` (both have `day`). Every user value is a bound parameter.
 * `extra` adds conditions the caller owns (no user text in them).
 */
export function filterWhere(filters: Filters, extra: string[] = []): Where {
  const conditions = [...extra];
  const params: SqlParam[] = [];
  if (filters.from) {
    conditions.push('day >= CAST(? AS DATE)');
    params.push(filters.from);
  }
  if (filters.to) {
    conditions.push('day < CAST(? AS DATE)');
    params.push(nextDay(filters.to));
  }
  const inList = (column: string, values: string[] | undefined) => {
    if (!values || values.length === 0) return;
    conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('model_key', filters.models);
  inList('provider', filters.providers);
  inList('lane', filters.lanes);
  inList('job_type', filters.jobTypes);
  inList('image_size', filters.sizes);
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Adds one more condition (no user text) to a Where. */
export function andWhere(where: Where, condition: string): Where {
  return { sql: where.sql ? `${where.sql} AND ${condition}` : `WHERE ${condition}`, params: where.params };
}
