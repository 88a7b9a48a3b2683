import { formatPlain, sumPico, toUsdNumber, type Pico } from '../../domain/money';
import type { Report } from '../../domain/report';
import type { BarDatum } from '../../components/money-bar-chart';

/** Accepted images' cost: what every request with feedback cost, over the accepted ones. */
export function costPerAccepted(report: Report): { cost: Pico; accepted: number; withFeedback: number } {
  return {
    cost: sumPico(report.acceptance.map((a) => a.cost)),
    accepted: report.acceptance.reduce((n, a) => n + a.accepted, 0),
    withFeedback: report.acceptance.reduce((n, a) => n + a.withFeedback, 0),
  };
}

export type Grain = 'day' | 'week' | 'month';

/** A bucket start (YYYY-MM-DD) as the axis shows it for the grain. */
export function bucketLabel(bucket: string, grain: Grain): string {
  if (grain === 'month') return bucket.slice(0, 7);
  if (grain === 'week') return `wk ${bucket.slice(5)}`;
  return bucket.slice(5);
}

/** Spend per time bucket as chart bars, in time order, with the exact figure for the tooltip. */
export function timeBars(buckets: readonly { bucket: string; cost: Pico }[], grain: Grain): BarDatum[] {
  return [...buckets]
    .sort((a, b) => a.bucket.localeCompare(b.bucket))
    .map((b) => ({ key: b.bucket, label: bucketLabel(b.bucket, grain), value: toUsdNumber(b.cost), exact: `$${formatPlain(b.cost)}` }));
}
