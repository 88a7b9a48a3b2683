import type { BarDatum } from '../../components/charts';
import type { DuplicateHash } from '../../db/dashboard';
import { formatPlain, toUsdNumber } from '../../domain/money';

/** The top repeated prompts by re-generation cost, for the bar chart (hash shortened). */
export function regenBars(top: readonly DuplicateHash[], limit = 15): BarDatum[] {
  return [...top]
    .sort((a, b) => (b.regenCost > a.regenCost ? 1 : b.regenCost < a.regenCost ? -1 : a.promptHash.localeCompare(b.promptHash)))
    .slice(0, limit)
    .map((d) => ({
      key: d.promptHash,
      label: d.promptHash.length > 12 ? `${d.promptHash.slice(0, 12)}…` : d.promptHash,
      value: toUsdNumber(d.regenCost),
      exact: `$${formatPlain(d.regenCost)} for ${d.requests - 1} repeats`,
    }));
}
