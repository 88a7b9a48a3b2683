import type { SqlParam } from '../engine';
import { attributeColumn } from './cube';
import { quoteIdent } from './identifiers';
import type { Query } from './report';

/** The values of one attribute that budgets are set for. */
export interface BudgetAttribute {
  name: string;
  values: readonly string[];
}

const MEASURES = (requests: string, unpriced: string) => `${requests}::BIGINT AS requests,
      ${unpriced}::BIGINT AS unpriced_requests,
      COALESCE(sum(cost), 0)::VARCHAR AS cost`;

/**
 * Spend per day of the whole log (`attribute` NULL) and of each budgeted attribute value, over
 * everything loaded (planning ignores the filters). Priced cost only; unpriced requests are
 * counted. An attribute that is a cube dimension (`inCube`, as spend by attribute decides) is
 * summed from `priced_cube`; any other is priced row by row from `priced`. Months are summed
 * from these days in the domain, exactly, so the budget table and the forecast read one result.
 */
export function budgetSpendQuery(attributes: readonly BudgetAttribute[], inCube: ReadonlySet<string>): Query {
  const cubeMeasures = MEASURES('sum(requests)', 'COALESCE(sum(requests) FILTER (WHERE unpriced_reason IS NOT NULL), 0)');
  const parts = [`SELECT NULL::VARCHAR AS attribute, NULL::VARCHAR AS value, strftime(day, '%Y-%m-%d') AS day, ${cubeMeasures}
    FROM priced_cube GROUP BY day`];
  const params: SqlParam[] = [];
  for (const { name, values } of attributes) {
    if (values.length === 0) continue;
    const marks = values.map(() => '?::VARCHAR').join(', ');
    if (inCube.has(name)) {
      const column = quoteIdent(attributeColumn(name));
      parts.push(`SELECT ?::VARCHAR, ${column}, strftime(day, '%Y-%m-%d'), ${cubeMeasures}
        FROM priced_cube WHERE ${column} IN (${marks}) GROUP BY ${column}, day`);
      params.push(name, ...values);
    } else {
      parts.push(`SELECT ?::VARCHAR, attributes[?::VARCHAR], strftime(day, '%Y-%m-%d'), ${MEASURES('count(*)', 'count(*) FILTER (WHERE unpriced_reason IS NOT NULL)')}
        FROM priced WHERE attributes[?::VARCHAR] IN (${marks}) GROUP BY 2, day`);
      params.push(name, name, name, ...values);
    }
  }
  return { sql: `${parts.join('\n    UNION ALL ')}\n    ORDER BY attribute NULLS FIRST, value, day`, params };
}
