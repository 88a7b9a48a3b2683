import { observeCells, type CubeCell, type ObservedTable } from './cube';
import { toUsdNumber, type Pico } from './money';
import { scaleByFactor } from './money-ratio';
import { actualOutcome, AS_LOGGED, FLASH, PRO, replayPolicy, type Policy, type PolicyRule, type Ranged, type ReplayResult } from './policy';
import type { ActiveRates } from './rate-card';

/** Days in a month for the frontier's "per month" figures. */
export const MONTH_DAYS = 30;

export interface LikeForLike {
  cells: CubeCell[];
  /** requests left out because the log could not price them or some compared policy cannot */
  excludedRequests: number;
  excludedCells: number;
}

/**
 * The cells every compared policy can price, from requests the log itself priced: the
 * frontier compares policies on the same requests. A cell with any unpriced request (in the
 * log, or under any policy's target model, size or lane) is left out of every row, and counted.
 */
export function likeForLikeCells(cells: readonly CubeCell[], policies: readonly Policy[], rates: ActiveRates, at: number, observed: ObservedTable = observeCells(cells)): LikeForLike {
  const kept: CubeCell[] = [];
  let excludedRequests = 0, excludedCells = 0;
  // Whether a rule can price a cell depends only on the rule and the cell's model, size, lane and provider.
  const memo = new Map<string, boolean>();
  const priced = (p: Policy, cell: CubeCell) => {
    const rule = p.rules[cell.jobType] ?? p.defaultRule;
    const key = `${JSON.stringify(rule)}|${cell.model}|${cell.imageSize}|${cell.lane}|${cell.provider}`;
    let hit = memo.get(key);
    if (hit === undefined) {
      hit = replayPolicy({ ...p, rules: {}, defaultRule: rule }, [cell], rates, at, observed).unpricedRequests === 0;
      memo.set(key, hit);
    }
    return hit;
  };
  for (const cell of cells) {
    const ok = cell.unpricedRequests === 0 && policies.every((p) => priced(p, cell));
    if (ok) kept.push(cell);
    else {
      excludedRequests += cell.requests;
      excludedCells++;
    }
  }
  return { cells: kept, excludedRequests, excludedCells };
}

export interface FrontierPoint {
  policyId: string;
  label: string;
  costPerMonth: Ranged<Pico>;
  acceptedPerMonth: Ranged<number>;
  /** another point costs no more and accepts no fewer (one of them strictly) */
  dominatedBy: string | null;
  onFrontier: boolean;
}

/** Scales a replay over `days` days to a 30-day month; null when its acceptance is unknown. */
export function toFrontierPoint(r: ReplayResult, days: number): Omit<FrontierPoint, 'dominatedBy' | 'onFrontier'> | null {
  if (!r.acceptedImages || days <= 0) return null;
  const f = MONTH_DAYS / days;
  return {
    policyId: r.policyId,
    label: r.label,
    costPerMonth: { mid: scaleByFactor(r.cost.mid, f), low: scaleByFactor(r.cost.low, f), high: scaleByFactor(r.cost.high, f) },
    acceptedPerMonth: { mid: r.acceptedImages.mid * f, low: r.acceptedImages.low * f, high: r.acceptedImages.high * f },
  };
}

/**
 * Pareto frontier on (cost per month ↓, expected accepted images per month ↑), on the mid
 * estimates: a point is dominated when another costs no more and accepts no fewer, one of the
 * two strictly. Frontier points come back sorted by cost.
 */
export function paretoFrontier(points: readonly Omit<FrontierPoint, 'dominatedBy' | 'onFrontier'>[]): FrontierPoint[] {
  const out = points.map((p) => {
    const by = points.find(
      (q) => q !== p && q.costPerMonth.mid <= p.costPerMonth.mid && q.acceptedPerMonth.mid >= p.acceptedPerMonth.mid && (q.costPerMonth.mid < p.costPerMonth.mid || q.acceptedPerMonth.mid > p.acceptedPerMonth.mid),
    );
    return { ...p, dominatedBy: by ? by.policyId : null, onFrontier: !by };
  });
  return out.sort((a, b) => (a.costPerMonth.mid < b.costPerMonth.mid ? -1 : a.costPerMonth.mid > b.costPerMonth.mid ? 1 : b.acceptedPerMonth.mid - a.acceptedPerMonth.mid));
}

/** A routing choice for one job type that the willingness-to-pay sweep considers. */
export interface RouteOption {
  id: string;
  label: string;
  rule: PolicyRule;
}

const KEEP: PolicyRule = { model: AS_LOGGED, size: AS_LOGGED, lane: AS_LOGGED, escalateTo: null };

/** As logged, all Flash, all Pro, Flash first with Pro on reject; each also on the batch lane. */
export const ROUTE_OPTIONS: RouteOption[] = [
  { id: 'logged', label: 'as logged', rule: KEEP },
  { id: 'flash', label: 'Flash', rule: { ...KEEP, model: FLASH } },
  { id: 'pro', label: 'Pro', rule: { ...KEEP, model: PRO } },
  { id: 'flash-then-pro', label: 'Flash, Pro on reject', rule: { ...KEEP, model: FLASH, escalateTo: PRO } },
  ...(['logged', 'flash', 'pro', 'flash-then-pro'] as const).map((id) => {
    const base = { logged: KEEP, flash: { ...KEEP, model: FLASH }, pro: { ...KEEP, model: PRO }, 'flash-then-pro': { ...KEEP, model: FLASH, escalateTo: PRO } }[id];
    const label = { logged: 'as logged', flash: 'Flash', pro: 'Pro', 'flash-then-pro': 'Flash, Pro on reject' }[id];
    return { id: `${id}-batch`, label: `${label}, batch lane`, rule: { ...base, lane: 'batch' as const } };
  }),
];

export interface JobChoice {
  jobType: string;
  option: RouteOption;
  /** USD over the window */
  cost: number;
  accepted: number;
  /** willingness to pay × accepted − cost, USD over the window */
  net: number;
}

/**
 * The willingness-to-pay sweep (RouteLLM-style): valuing an accepted image at `wtp` USD, pick per
 * job type the option with the largest wtp · E[accepted] − cost (mid estimates) among those that
 * price every request of the job type and whose acceptance is known; ties go to the cheaper, then
 * to the earlier option. Returns the choices and the policy that routes by them.
 */
export function bestPolicyForWtp(
  cells: readonly CubeCell[],
  rates: ActiveRates,
  at: number,
  wtp: number,
  options: readonly RouteOption[] = ROUTE_OPTIONS,
  batchEligible?: readonly string[],
  observed: ObservedTable = observeCells(cells),
): { choices: JobChoice[]; policy: Policy } {
  const perJob = new Map<string, { requests: number }>();
  for (const c of cells) perJob.set(c.jobType, { requests: (perJob.get(c.jobType)?.requests ?? 0) + c.requests });
  const evaluated = options.map((o) => {
    const r = replayPolicy({ id: o.id, label: o.label, rules: {}, defaultRule: o.rule, maxRetries: {} }, cells, rates, at, observed);
    const byJob = new Map<string, { requests: number; cost: number; accepted: number | null }>();
    for (const g of r.byJobType) {
      const e = byJob.get(g.jobType) ?? { requests: 0, cost: 0, accepted: 0 };
      e.requests += g.requests;
      e.cost += toUsdNumber(g.cost.mid);
      e.accepted = e.accepted === null || g.acceptedImages === null ? null : e.accepted + g.acceptedImages.mid;
      byJob.set(g.jobType, e);
    }
    return { o, byJob };
  });
  const choices: JobChoice[] = [];
  for (const jobType of [...perJob.keys()].sort()) {
    let best: JobChoice | null = null;
    for (const { o, byJob } of evaluated) {
      if (o.rule.lane === 'batch' && batchEligible && !batchEligible.includes(jobType)) continue;
      const e = byJob.get(jobType);
      if (!e || e.accepted === null || e.requests !== perJob.get(jobType)!.requests) continue;
      const net = wtp * e.accepted - e.cost;
      if (!best || net > best.net + 1e-12 || (Math.abs(net - best.net) <= 1e-12 && e.cost < best.cost)) best = { jobType, option: o, cost: e.cost, accepted: e.accepted, net };
    }
    if (best) choices.push(best);
  }
  const policy: Policy = {
    id: 'wtp',
    label: `Best at $${wtp.toFixed(2)} per accepted image`,
    rules: Object.fromEntries(choices.map((c) => [c.jobType, c.option.rule])),
    defaultRule: KEEP,
    maxRetries: {},
  };
  return { choices, policy };
}

/**
 * Every policy and what actually happened as frontier points over the same like-for-like cells,
 * per 30-day month, with the Pareto frontier marked.
 */
export function frontier(
  cells: readonly CubeCell[],
  policies: readonly Policy[],
  rates: ActiveRates,
  at: number,
  days: number,
  observed: ObservedTable = observeCells(cells),
): { points: FrontierPoint[]; results: ReplayResult[]; missing: string[] } {
  const results = [actualOutcome(cells, observed), ...policies.map((p) => replayPolicy(p, cells, rates, at, observed))];
  const raw = results.map((r) => toFrontierPoint(r, days));
  return {
    points: paretoFrontier(raw.filter((p): p is NonNullable<typeof p> => p !== null)),
    results,
    missing: results.filter((_, i) => raw[i] === null).map((r) => r.label),
  };
}

/** Days from the window's first day to its last, inclusive. */
export function windowDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export interface FrontierAnalysis {
  wtp: ReturnType<typeof bestPolicyForWtp>;
  likeForLike: LikeForLike;
  points: FrontierPoint[];
  results: ReplayResult[];
  missing: string[];
}

/**
 * The whole Plan › frontier computation, shared by the app and the tests: acceptance and retry
 * rates observed on every cell of the window; the willingness-to-pay policy chosen on the
 * requests the log priced; then every policy (presets, custom, the willingness-to-pay one) and
 * what actually happened replayed on the cells all of them can price.
 */
export function analyseFrontier(cells: readonly CubeCell[], policies: readonly Policy[], rates: ActiveRates, at: number, days: number, wtpUsd: number, batchEligible?: readonly string[]): FrontierAnalysis {
  const observed = observeCells(cells);
  const logPriced = cells.filter((c) => c.unpricedRequests === 0);
  const wtp = bestPolicyForWtp(logPriced, rates, at, wtpUsd, ROUTE_OPTIONS, batchEligible, observed);
  const all = [...policies, wtp.policy];
  const likeForLike = likeForLikeCells(cells, all, rates, at, observed);
  const f = frontier(likeForLike.cells, all, rates, at, days, observed);
  return { wtp, likeForLike, ...f };
}
