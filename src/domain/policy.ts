import { observeCells, observedFor, type CubeCell, type ObservedTable } from './cube';
import { ZERO, type Pico } from './money';
import { mulRatio, scaleByFactor } from './money-ratio';
import { perImagePrices, perUnit } from './scenario';
import { IMAGE_SIZES, type ActiveRates, type ImageSize, type Lane } from './rate-card';
import type { UnpricedReason } from './pricing';

export const AS_LOGGED = 'as-logged';
type OrLogged<T> = T | typeof AS_LOGGED;

/** Where one job type's requests go. */
export interface PolicyRule {
  model: OrLogged<string>;
  size: OrLogged<ImageSize>;
  lane: OrLogged<Lane>;
  /** "Flash first, Pro on reject": a rejected result is generated again with this model. */
  escalateTo: string | null;
}

/** A routing policy: job type → rule (others use the default), and retry caps per model. */
export interface Policy {
  id: string;
  label: string;
  rules: Record<string, PolicyRule>;
  defaultRule: PolicyRule;
  /** model → most retries allowed after the first attempt; absent = retries as logged */
  maxRetries: Record<string, number>;
}

export const PRO = 'gemini-3-pro-image';
export const FLASH = 'gemini-3.1-flash-image';
const KEEP: PolicyRule = { model: AS_LOGGED, size: AS_LOGGED, lane: AS_LOGGED, escalateTo: null };
const DRAFT_JOBS = ['draft', 'variant', 'thumbnail'];
const FINAL_JOBS = ['final', 'brand_asset', 'paid_ad'];

/** The presets of issue 6; `batchEligible` are the job types that can wait for the batch lane. */
export function presetPolicies(batchEligible: readonly string[]): Policy[] {
  const rules = (jobs: readonly string[], rule: PolicyRule) => Object.fromEntries(jobs.map((j) => [j, rule]));
  return [
    { id: 'as-logged', label: 'As logged (repriced)', rules: {}, defaultRule: KEEP, maxRetries: {} },
    { id: 'all-pro', label: 'All Pro', rules: {}, defaultRule: { ...KEEP, model: PRO }, maxRetries: {} },
    { id: 'all-flash', label: 'All Flash', rules: {}, defaultRule: { ...KEEP, model: FLASH }, maxRetries: {} },
    {
      id: 'guide-split',
      label: 'Guide: Flash drafts, Pro finals, no Pro retries',
      rules: { ...rules(DRAFT_JOBS, { ...KEEP, model: FLASH }), ...rules(FINAL_JOBS, { ...KEEP, model: PRO }) },
      defaultRule: KEEP,
      maxRetries: { [PRO]: 0 },
    },
    {
      id: 'flash-then-pro',
      label: 'Flash first, Pro on reject (finals)',
      rules: { ...rules(DRAFT_JOBS, { ...KEEP, model: FLASH }), ...rules(FINAL_JOBS, { ...KEEP, model: FLASH, escalateTo: PRO }) },
      defaultRule: KEEP,
      maxRetries: { [PRO]: 0 },
    },
    { id: 'batch-non-urgent', label: 'Batch for non-urgent job types', rules: rules(batchEligible, { ...KEEP, lane: 'batch' }), defaultRule: KEEP, maxRetries: {} },
  ];
}

/** A value with its 95% range (from the acceptance intervals). */
export interface Ranged<T> {
  mid: T;
  low: T;
  high: T;
}

export interface ReplayGroup {
  jobType: string;
  model: string;
  requests: number;
  images: number;
  cost: Ranged<Pico>;
  acceptedImages: Ranged<number> | null;
}

export interface ReplayResult {
  policyId: string;
  label: string;
  requests: number;
  images: number;
  cost: Ranged<Pico>;
  /** null when a replayed request's acceptance is unknown (no feedback for its model) */
  acceptedImages: Ranged<number> | null;
  costPerAccepted: Ranged<Pico> | null;
  /** requests whose target has no price: left out of cost and acceptance, counted here */
  unpricedRequests: number;
  unpricedReasons: Partial<Record<UnpricedReason, number>>;
  /** requests moved to the nearest size their target model offers */
  resizedRequests: number;
  byJobType: ReplayGroup[];
}

/**
 * Mean billed attempts per request when each attempt fails with probability q and at most
 * `maxRetries` retries follow: 1 + q + … + q^k (geometric, truncated). No cap: 1 / (1 − q).
 */
export function expectedAttempts(q: number, maxRetries: number | undefined): number {
  if (q <= 0) return 1;
  if (maxRetries === undefined) return 1 / (1 - Math.min(q, 0.999));
  return (1 - q ** (maxRetries + 1)) / (1 - q);
}

/** The size a model offers nearest to the asked one (the next larger first). */
function offeredSize(size: ImageSize, offered: (s: ImageSize) => boolean): ImageSize | null {
  if (offered(size)) return size;
  const i = IMAGE_SIZES.indexOf(size);
  for (let step = 1; step < IMAGE_SIZES.length; step++) {
    for (const j of [i + step, i - step]) {
      const s = IMAGE_SIZES[j];
      if (s !== undefined && offered(s)) return s;
    }
  }
  return null;
}

interface Target {
  price: Pico;
  q: number;
  obs: ReturnType<typeof observedFor>;
  resized: boolean;
}

/**
 * Replays a policy over the logged cells at the prices in force at `at`: each cell's images
 * go to the policy's model, size and lane (the logged provider when it prices the target,
 * else Google direct), at that model's observed retry rate on that job type, capped by the
 * policy. Expected accepted images use the observed acceptance of the target model on the
 * job type, and its Wilson interval gives the range. Image output is what is repriced:
 * the billed actual includes input and text tokens, which the replay leaves out.
 */
export function replayPolicy(policy: Policy, cells: readonly CubeCell[], rates: ActiveRates, at: number, observed: ObservedTable = observeCells(cells)): ReplayResult {
  const priceMemo = new Map<string, { price: Pico; size: ImageSize } | { reason: UnpricedReason }>();
  const priceFor = (model: string, provider: string, lane: string, size: ImageSize) => {
    const key = `${model}|${provider}|${lane}|${size}`;
    let hit = priceMemo.get(key);
    if (!hit) {
      const tryProvider = (p: string) => {
        const offered = (s: ImageSize) => !('reason' in perImagePrices(rates, { model, provider: p, lane, size: s }, at));
        const chosen = offeredSize(size, offered);
        if (chosen === null) {
          const why = perImagePrices(rates, { model, provider: p, lane, size }, at);
          return { reason: 'reason' in why ? why.reason : ('size_not_offered' as UnpricedReason) };
        }
        const found = perImagePrices(rates, { model, provider: p, lane, size: chosen }, at);
        return 'reason' in found ? found : { price: found.exact, size: chosen };
      };
      hit = tryProvider(provider);
      if ('reason' in hit && provider !== 'google') hit = tryProvider('google');
      priceMemo.set(key, hit);
    }
    return hit;
  };
  const target = (model: string, cell: CubeCell, size: ImageSize, lane: string): Target | UnpricedReason => {
    const found = priceFor(model, cell.provider, lane, size);
    if ('reason' in found) return found.reason;
    const obs = observedFor(observed, model, cell.jobType);
    const q = obs?.retryQ ?? observed.overall.retryQ;
    return { price: found.price, q, obs, resized: found.size !== size };
  };

  const groups = new Map<string, ReplayGroup & { unknownAcceptance: boolean }>();
  const reasons: Partial<Record<UnpricedReason, number>> = {};
  let unpriced = 0, resized = 0;
  for (const cell of cells) {
    const rule = policy.rules[cell.jobType] ?? policy.defaultRule;
    const model = rule.model === AS_LOGGED ? cell.model : rule.model;
    const lane = rule.lane === AS_LOGGED ? cell.lane : rule.lane;
    const size = rule.size === AS_LOGGED ? cell.imageSize : rule.size;
    const noteUnpriced = (reason: UnpricedReason) => {
      unpriced += cell.requests;
      reasons[reason] = (reasons[reason] ?? 0) + cell.requests;
    };
    if (!(IMAGE_SIZES as readonly string[]).includes(size)) {
      noteUnpriced('size_not_offered');
      continue;
    }
    const first = target(model, cell, size as ImageSize, lane);
    if (typeof first === 'string') {
      noteUnpriced(first);
      continue;
    }
    const second = rule.escalateTo ? target(rule.escalateTo, cell, size as ImageSize, lane) : null;
    if (typeof second === 'string') {
      noteUnpriced(second);
      continue;
    }
    if (first.resized || second?.resized) resized += cell.requests;

    const firstCost = scaleByFactor(mulRatio(first.price, BigInt(cell.images), 1n), expectedAttempts(first.q, policy.maxRetries[model]));
    let cost: Ranged<Pico> = { mid: firstCost, low: firstCost, high: firstCost };
    const pA = acceptance(first.obs);
    let accepted: Ranged<number> | null = pA ? { mid: cell.images * pA.mid, low: cell.images * pA.low, high: cell.images * pA.high } : null;
    if (second && rule.escalateTo) {
      const secondCost = scaleByFactor(mulRatio(second.price, BigInt(cell.images), 1n), expectedAttempts(second.q, policy.maxRetries[rule.escalateTo]));
      const pB = acceptance(second.obs);
      if (pA && pB) {
        // Escalation cost falls as first-pass acceptance rises: the low cost goes with pA's high end.
        cost = {
          mid: (firstCost + scaleByFactor(secondCost, 1 - pA.mid)) as Pico,
          low: (firstCost + scaleByFactor(secondCost, 1 - pA.high)) as Pico,
          high: (firstCost + scaleByFactor(secondCost, 1 - pA.low)) as Pico,
        };
        const both = (a: number, b: number) => cell.images * (a + (1 - a) * b);
        accepted = { mid: both(pA.mid, pB.mid), low: both(pA.low, pB.low), high: both(pA.high, pB.high) };
      } else {
        // Without feedback the reject rate is unknown: count every image as escalated (the dearest case).
        cost = { mid: (firstCost + secondCost) as Pico, low: firstCost, high: (firstCost + secondCost) as Pico };
        accepted = null;
      }
    }

    const key = `${cell.jobType}\u0000${rule.escalateTo ? `${model} → ${rule.escalateTo}` : model}`;
    const g = groups.get(key) ?? {
      jobType: cell.jobType,
      model: rule.escalateTo ? `${model} → ${rule.escalateTo}` : model,
      requests: 0,
      images: 0,
      cost: { mid: ZERO, low: ZERO, high: ZERO },
      acceptedImages: { mid: 0, low: 0, high: 0 },
      unknownAcceptance: false,
    };
    g.requests += cell.requests;
    g.images += cell.images;
    g.cost = addRanged(g.cost, cost);
    if (accepted && g.acceptedImages) g.acceptedImages = { mid: g.acceptedImages.mid + accepted.mid, low: g.acceptedImages.low + accepted.low, high: g.acceptedImages.high + accepted.high };
    else g.unknownAcceptance = true;
    groups.set(key, g);
  }

  const byJobType = [...groups.values()]
    .map(({ unknownAcceptance, ...g }) => ({ ...g, acceptedImages: unknownAcceptance ? null : g.acceptedImages }))
    .sort((a, b) => a.jobType.localeCompare(b.jobType) || a.model.localeCompare(b.model));
  const cost = byJobType.reduce((acc, g) => addRanged(acc, g.cost), { mid: ZERO, low: ZERO, high: ZERO } as Ranged<Pico>);
  const acceptedImages = byJobType.every((g) => g.acceptedImages !== null)
    ? byJobType.reduce((acc, g) => ({ mid: acc.mid + g.acceptedImages!.mid, low: acc.low + g.acceptedImages!.low, high: acc.high + g.acceptedImages!.high }), { mid: 0, low: 0, high: 0 })
    : null;
  return {
    policyId: policy.id,
    label: policy.label,
    requests: byJobType.reduce((n, g) => n + g.requests, 0),
    images: byJobType.reduce((n, g) => n + g.images, 0),
    cost,
    acceptedImages,
    costPerAccepted: costPerAccepted(cost, acceptedImages),
    unpricedRequests: unpriced,
    unpricedReasons: reasons,
    resizedRequests: resized,
    byJobType,
  };
}

function acceptance(obs: Target['obs']): Ranged<number> | null {
  if (!obs || obs.acceptance === null) return null;
  return { mid: obs.acceptance, low: obs.acceptanceLow!, high: obs.acceptanceHigh! };
}

function addRanged(a: Ranged<Pico>, b: Ranged<Pico>): Ranged<Pico> {
  return { mid: (a.mid + b.mid) as Pico, low: (a.low + b.low) as Pico, high: (a.high + b.high) as Pico };
}

/** Cost per accepted image; the cheapest case pairs the low cost with the most accepted images. */
export function costPerAccepted(cost: Ranged<Pico>, accepted: Ranged<number> | null): Ranged<Pico> | null {
  if (!accepted) return null;
  const mid = perUnit(cost.mid, accepted.mid);
  const low = perUnit(cost.low, accepted.high);
  const high = perUnit(cost.high, accepted.low);
  return mid === null || low === null || high === null ? null : { mid, low, high };
}

/**
 * What actually happened in the same cells: the billed cost (all meters, exact) and the
 * expected accepted images from the logged models' observed acceptance.
 */
export function actualOutcome(cells: readonly CubeCell[], observed: ObservedTable = observeCells(cells)): ReplayResult {
  let cost = ZERO;
  let requests = 0, images = 0, unpriced = 0;
  let accepted: Ranged<number> | null = { mid: 0, low: 0, high: 0 };
  for (const c of cells) {
    unpriced += c.unpricedRequests;
    if (c.unpricedRequests === c.requests) continue;
    // Unpriced requests carry no cost, so they are left out of volume and acceptance too.
    const pricedShare = (c.requests - c.unpricedRequests) / c.requests;
    cost = (cost + c.cost) as Pico;
    requests += c.requests - c.unpricedRequests;
    const imgs = c.images * pricedShare;
    images += imgs;
    const p = acceptance(observedFor(observed, c.model, c.jobType));
    if (p && accepted) accepted = { mid: accepted.mid + imgs * p.mid, low: accepted.low + imgs * p.low, high: accepted.high + imgs * p.high };
    else accepted = null;
  }
  const ranged = { mid: cost, low: cost, high: cost };
  return {
    policyId: 'actual',
    label: 'What actually happened (billed)',
    requests,
    images: Math.round(images),
    cost: ranged,
    acceptedImages: accepted,
    costPerAccepted: costPerAccepted(ranged, accepted),
    unpricedRequests: unpriced,
    unpricedReasons: {},
    resizedRequests: 0,
    byJobType: [],
  };
}
