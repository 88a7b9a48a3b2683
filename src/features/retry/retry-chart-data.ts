import type { BarDatum } from '../../components/charts';
import type { AttemptBucket, RetryGroup } from '../../db/dashboard';
import { formatPlain, ratio, sumPico, toUsdNumber, type Pico } from '../../domain/money';

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
