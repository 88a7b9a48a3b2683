import { budgetSentence, monthName, scopeLabel, worstStatus, type BudgetStatus } from '../../domain/budget';
import { useBudgetLines, useBudgetTable } from '../../hooks/use-budgets';

const RANK: Record<BudgetStatus, number> = { ok: 0, warn: 1, over: 2 };

/** The month in progress against its budgets, highlighted at the thresholds; nothing when no budget is set. */
export function BudgetCard() {
  const table = useBudgetTable();
  const result = useBudgetLines(table.rows, table.thresholds);
  if (table.rows.length === 0 || !result.data?.asOf) return null;
  const month = result.data.asOf.slice(0, 7);
  const lines = result.data.lines.filter((l) => l.month === month);
  const states = lines.map((l) => worstStatus(l.status, l.forecastStatus));
  const worst = states.reduce<BudgetStatus>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
  return (
    <section className={`budget-card budget-card--${worst}`} aria-labelledby="budget-card-title" data-testid="overview-budget" data-status={worst}>
      <h3 id="budget-card-title">Budget, {monthName(month)} <span className="muted budget-card__asof">as of {result.data.asOf}</span></h3>
      {lines.length === 0 ? (
        <p className="muted">No budget is set for {monthName(month)}; the Plan view's Budget tab holds the table.</p>
      ) : (
        <ul>
          {lines.map((l, i) => (
            <li key={scopeLabel(l.scope)} data-testid="overview-budget-line" data-status={states[i]}>
              {lines.length > 1 || l.scope ? <strong>{scopeLabel(l.scope)}: </strong> : null}
              {budgetSentence(l, table.thresholds)}
              {l.unpricedRequests > 0 ? <span className="muted"> ({l.unpricedRequests.toLocaleString('en-US')} unpriced requests not included)</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
