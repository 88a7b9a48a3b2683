import { formatBudgetPercent, scopeLabel, statusText, type BudgetLine, type BudgetThresholds } from '../domain/budget';
import { toCsv } from '../domain/csv';
import { formatPlain, toUsdNumber, type Pico } from '../domain/money';

/** The report's `budgets` section (docs/report-json.md). */
export function budgetsJson(lines: readonly BudgetLine[], asOf: string | null, t: BudgetThresholds) {
  return {
    as_of: asOf,
    thresholds: { warn_percent: t.warn, over_percent: t.over },
    rows: lines.map((l) => ({
      month: l.month,
      scope: l.scope?.attribute ?? 'overall',
      value: l.scope?.value ?? null,
      budget: toUsdNumber(l.budget),
      actual: toUsdNumber(l.actual),
      variance: toUsdNumber(l.variance),
      variance_percent: l.variancePercent,
      used_percent: l.usedPercent,
      status: l.status,
      future: l.isFuture,
      requests: l.requests,
      unpriced_requests: l.unpricedRequests,
      forecast: l.forecast
        ? {
            as_of: l.forecast.asOf,
            days_elapsed: l.forecast.daysElapsed,
            days_in_month: l.forecast.daysInMonth,
            daily_rate: toUsdNumber(l.forecast.dailyRate),
            window_days: l.forecast.windowDays,
            forecast: toUsdNumber(l.forecast.forecast),
            low: toUsdNumber(l.forecast.forecastLow),
            high: toUsdNumber(l.forecast.forecastHigh),
            percent: l.forecastPercent,
            status: l.forecastStatus,
          }
        : null,
    })),
  };
}

export function budgetsTable(lines: readonly BudgetLine[], asOf: string | null, t: BudgetThresholds): string {
  const money = (p: Pico) => (p < 0n ? `-$${formatPlain((-p) as Pico)}` : `$${formatPlain(p)}`);
  const rows = [
    ['month', 'scope', 'budget', 'actual', 'variance', 'used', 'status', 'forecast', 'unpriced'],
    ...lines.map((l) => [
      l.month, scopeLabel(l.scope), money(l.budget), l.isFuture ? '-' : money(l.actual), money(l.variance), formatBudgetPercent(l.usedPercent), statusText(l.status, t),
      l.forecast ? `${money(l.forecast.forecast)} (${formatBudgetPercent(l.forecastPercent)}, ${statusText(l.forecastStatus!, t)})` : '', String(l.unpricedRequests),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [`Budgets (as of ${asOf ?? '-'}; thresholds ${t.warn} / ${t.over} %)`, ...rows.map((r) => r.map((c, i) => (i < 2 || i === 6 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())].join('\n');
}

export function budgetsCsv(lines: readonly BudgetLine[]): string {
  const rows = lines.flatMap((l) => {
    const key = `${l.month} ${scopeLabel(l.scope)}`;
    return [
      ['budget', key, 'budget_usd', formatPlain(l.budget)], ['budget', key, 'actual_usd', formatPlain(l.actual)], ['budget', key, 'variance_usd', formatPlain(l.variance)],
      ['budget', key, 'status', l.status], ['budget', key, 'unpriced_requests', l.unpricedRequests],
      ...(l.forecast ? [['budget', key, 'forecast_usd', formatPlain(l.forecast.forecast)], ['budget', key, 'forecast_status', l.forecastStatus]] : []),
    ];
  });
  return toCsv(['section', 'key', 'metric', 'value'], rows).split('\r\n').slice(1).join('\r\n');
}
