import type { BarDatum } from '../../components/money-bar-chart';
import type { DuplicateHash } from '../../db/dashboard';
import { formatPlain, toUsdNumber } from '../../domain/money';

/** Repeated prompts, largest re-generation cost first: the chart and the table share this order. */
export function byRegenCost(top: readonly DuplicateHash[]): DuplicateHash[] {
  return [...top].sort((a, b) => (b.regenCost > a.regenCost ? 1 : b.regenCost < a.regenCost ? -1 : b.requests - a.requests || a.promptHash.localeCompare(b.promptHash)));
}

/** The comma-separated model ids of a row as model names. */
export function modelNames(models: string, label: (model: string) => string): string {
  return models.split(', ').filter(Boolean).map(label).join(', ');
}

/** The top repeated prompts by re-generation cost, for the bar chart (hash shortened). */
export function regenBars(top: readonly DuplicateHash[], limit = 15): BarDatum[] {
  return byRegenCost(top)
    .slice(0, limit)
    .map((d) => ({
      key: d.promptHash,
      label: d.promptHash.length > 12 ? `${d.promptHash.slice(0, 12)}…` : d.promptHash,
      value: toUsdNumber(d.regenCost),
      exact: `$${formatPlain(d.regenCost)} for ${d.requests - 1} repeats`,
    }));
}
