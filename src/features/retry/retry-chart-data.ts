import type { BarDatum } from '../../components/money-bar-chart';
import type { AttemptBucket, RetryGroup } from '../../db/dashboard';
import { divideRounded, formatPlain, ratio, sumPico, toUsdNumber, type Pico } from '../../domain/money';

export interface RetryRow extends RetryGroup {
  label: string;
  retryRate: number;
  retryShare: number;
}

export function retryRows(groups: readonly RetryGroup[], label: (key: string) => string = (k) => k): RetryRow[] {
  return groups
    .map((g) => ({ ...g, label: label(g.key), retryRate: g.requests ? g.retried / g.requests : 0, retryShare: ratio(g.retryCost, g.cost) }))
    .sort((a, b) => (b.retryCost > a.retryCost ? 1 : b.retryCost < a.retryCost ? -1 : a.key.localeCompare(b.key)));
}

export function retryBars(rows: readonly RetryRow[]): BarDatum[] {
  return rows.map((r) => ({ key: r.key, label: r.label, value: toUsdNumber(r.retryCost), exact: `$${formatPlain(r.retryCost)} retry tax · ${(r.retryRate * 100).toFixed(1)}% retried` }));
}

/** Requests per attempt count: the distribution chart (bars are request counts, not money). */
export function attemptBars(buckets: readonly AttemptBucket[]): BarDatum[] {
  return [...buckets]
    .sort((a, b) => a.attempts - b.attempts)
    .map((b) => ({ key: String(b.attempts), label: `${b.attempts}×`, value: b.requests, exact: `${b.requests.toLocaleString('en-US')} requests · retry tax $${formatPlain(b.retryCost)}` }));
}

/** Overall retry rate: priced requests that needed more than one attempt. */
export function overallRetryRate(groups: readonly RetryGroup[]): { retried: number; requests: number; rate: number } {
  const retried = groups.reduce((n, g) => n + g.retried, 0);
  const requests = groups.reduce((n, g) => n + g.requests, 0);
  return { retried, requests, rate: requests ? retried / requests : 0 };
}

/** Retries of Pro-family models: the reference guide's rule is never to retry Pro silently. */
export function proRetries(groups: readonly RetryGroup[], isPro: (model: string) => boolean): { models: string[]; retried: number; retryCost: Pico } {
  const pro = groups.filter((g) => isPro(g.key) && g.retried > 0);
  return { models: pro.map((g) => g.key), retried: pro.reduce((n, g) => n + g.retried, 0), retryCost: sumPico(pro.map((g) => g.retryCost)) };
}

/**
 * What one billed attempt of each family costs on average at the active prices, and how many
 * times a Flash attempt a Pro one is (null when either family has no priced attempt).
 */
export function attemptCostRatio(
  groups: readonly RetryGroup[],
  family: (model: string) => string | undefined,
): { pro: Pico; flash: Pico; ratio: number } | null {
  const perAttempt = (f: string) => {
    const g = groups.filter((x) => family(x.key) === f && x.billedAttempts > 0);
    const attempts = g.reduce((n, x) => n + x.billedAttempts, 0);
    return attempts ? divideRounded(sumPico(g.map((x) => x.cost)), attempts) : null;
  };
  const pro = perAttempt('pro');
  const flash = perAttempt('flash');
  if (pro === null || flash === null || flash === 0n) return null;
  return { pro, flash, ratio: ratio(pro, flash) };
}

/** The sentence comparing a Pro attempt with a Flash one, from the figures rather than a fixed claim. */
export function attemptComparison(r: { ratio: number } | null): string {
  if (r === null) return 'A retried attempt is paid in full';
  if (Math.abs(r.ratio - 1) < 0.05) return 'Here a Pro attempt costs about the same as a Flash one';
  if (r.ratio < 1) return `Here a Pro attempt costs ${(r.ratio * 100).toFixed(0)}% of a Flash one`;
  return `Here each Pro attempt costs about ${r.ratio.toFixed(1)}× a Flash one`;
}
