import { priceRequest } from '../../src/domain/pricing';
import { readSimpleCsv, sampleRowRequest } from './csv';
import { bundledRates } from './rates';

export const BUDGET_FIXTURE = 'test/fixtures/budgets/requests.csv';

/**
 * Priced spend of the budget fixture per month and scope, by a plain loop that prices each row
 * alone: keys `YYYY-MM|overall` and `YYYY-MM|team=VALUE`.
 */
export function fixtureSpendByMonthTeam(): Map<string, bigint> {
  const rates = bundledRates();
  const out = new Map<string, bigint>();
  for (const row of readSimpleCsv(BUDGET_FIXTURE)) {
    const priced = priceRequest(sampleRowRequest(row), rates);
    if (!priced.priced) continue;
    for (const scope of ['overall', ...(row.team ? [`team=${row.team}`] : [])]) {
      const key = `${row.timestamp!.slice(0, 7)}|${scope}`;
      out.set(key, (out.get(key) ?? 0n) + priced.cost);
    }
  }
  return out;
}
