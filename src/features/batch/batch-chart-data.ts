import type { BarDatum } from '../../components/money-bar-chart';
import type { BatchJobType } from '../../db/dashboard';
import { formatPlain, sumPico, toUsdNumber, type Pico } from '../../domain/money';

export interface BatchRow extends BatchJobType {
  eligible: boolean;
}

/** Job types with their eligibility; missed savings first, so the biggest opportunity leads. */
export function batchRows(rows: readonly BatchJobType[], eligible: readonly string[]): BatchRow[] {
  return rows
    .map((r) => ({ ...r, eligible: eligible.includes(r.jobType) }))
    .sort((a, b) => (b.potentialSavings > a.potentialSavings ? 1 : b.potentialSavings < a.potentialSavings ? -1 : a.jobType.localeCompare(b.jobType)));
}

/** Savings the standard requests would have made on batch, per job type (eligible ones marked). */
export function missedBars(rows: readonly BatchRow[]): BarDatum[] {
  return rows.map((r) => ({
    key: r.jobType,
    label: r.eligible ? `${r.jobType} (eligible)` : r.jobType,
    value: toUsdNumber(r.potentialSavings),
    exact: `$${formatPlain(r.potentialSavings)} on ${r.batchableRequests.toLocaleString('en-US')} standard requests`,
  }));
}

/** Missed savings of the eligible job types only: the figure the eligible set controls. */
export function eligibleMissed(rows: readonly BatchRow[]): Pico {
  return sumPico(rows.filter((r) => r.eligible).map((r) => r.potentialSavings));
}
