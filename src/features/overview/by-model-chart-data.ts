import { toUsdNumber, type Pico } from '../../domain/money';
import type { ActiveModel } from '../../domain/rate-card';
import type { Report } from '../../domain/report';

export interface ModelBar {
  model: string;
  label: string;
  cost: number;
  exact: Pico;
  requests: number;
  unpriced: number;
}

/** Spend per model for the bar chart: largest first, labelled with the market name. */
export function byModelBars(report: Report, models: ReadonlyMap<string, ActiveModel>): ModelBar[] {
  return report.byModel
    .map((m) => ({
      model: m.model,
      label: models.get(m.model)?.label ?? m.model,
      cost: toUsdNumber(m.cost),
      exact: m.cost,
      requests: m.requests,
      unpriced: m.unpricedRequests,
    }))
    .sort((a, b) => b.cost - a.cost || a.model.localeCompare(b.model));
}
