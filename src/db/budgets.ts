import { compareBudgets, type BudgetLine, type BudgetRow, type BudgetThresholds, type ScopeDay } from '../domain/budget';
import { parseUsd } from '../domain/money';
import { attributeSources } from './attributes';
import type { Engine } from './engine';
import { budgetSpendQuery, type BudgetAttribute } from './sql/budgets';

/** What budgets are compared with: spend per scope and day, and the log's first and last day. */
export interface BudgetSpend {
  days: ScopeDay[];
  /** the log's first and last day with requests; null when nothing is loaded */
  first: string | null;
  last: string | null;
}

/** The attributes and values a budget table is scoped by. */
export function budgetAttributes(rows: readonly BudgetRow[]): BudgetAttribute[] {
  const values = new Map<string, Set<string>>();
  for (const r of rows) if (r.scope) values.set(r.scope.attribute, (values.get(r.scope.attribute) ?? new Set()).add(r.scope.value));
  return [...values.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, set]) => ({ name, values: [...set].sort() }));
}

export async function loadBudgetSpend(engine: Engine, rows: readonly BudgetRow[]): Promise<BudgetSpend> {
  const sources = await attributeSources(engine);
  if (!sources) return { days: [], first: null, last: null };
  const q = budgetSpendQuery(budgetAttributes(rows), sources.inCube);
  const result = await engine.query<{ attribute: string | null; value: string; day: string; requests: number | bigint; unpriced_requests: number | bigint; cost: string }>(q.sql, q.params);
  const days = result.map((r) => ({
    scope: r.attribute === null ? null : { attribute: r.attribute, value: r.value },
    day: r.day,
    cost: parseUsd(r.cost),
    requests: Number(r.requests),
    unpricedRequests: Number(r.unpriced_requests),
  }));
  const overall = days.filter((d) => d.scope === null);
  return { days, first: overall[0]?.day ?? null, last: overall.at(-1)?.day ?? null };
}

/** Budget vs actual for a table, with the forecast of the month of the log's last day. */
export async function loadBudgetLines(engine: Engine, rows: readonly BudgetRow[], thresholds: BudgetThresholds): Promise<{ lines: BudgetLine[]; asOf: string | null }> {
  const spend = await loadBudgetSpend(engine, rows);
  return { lines: compareBudgets(rows, spend.days, thresholds, spend.last, spend.first ?? undefined), asOf: spend.last };
}
