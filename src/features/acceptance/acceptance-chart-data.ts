import type { IntervalDatum } from '../../components/charts';
import type { Report } from '../../domain/report';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Acceptance per job type and model for the interval chart: grouped by job type so the
 * models of one workflow sit together, each bar the rate and its Wilson 95% interval.
 */
export function acceptanceIntervals(acceptance: Report['acceptance'], label: (model: string) => string): IntervalDatum[] {
  return [...acceptance]
    .sort((a, b) => a.jobType.localeCompare(b.jobType) || label(a.model).localeCompare(label(b.model)))
    .map((a) => ({
      key: `${a.model}|${a.jobType}`,
      label: `${a.jobType} · ${label(a.model)}`,
      rate: a.acceptanceRate,
      spread: [a.acceptanceRate - a.ciLow, a.ciHigh - a.acceptanceRate],
      exact: `${pct(a.acceptanceRate)} accepted (95% interval ${pct(a.ciLow)}–${pct(a.ciHigh)}), ${a.accepted} of ${a.withFeedback}`,
    }));
}
