import type { Pico } from './money';
import {
  benjaminiHochberg,
  betaPdf,
  designEffect,
  expectedLoss,
  minimumDetectableDifference,
  newcombeInterval,
  newcombeOneSidedP,
  probBetaGreater,
  ratioDeltaInterval,
  sampleSizeNonInferiority,
  sampleSizeTwoProportions,
  wilsonInterval,
  Z95,
  type BetaDist,
  type ClusterSums,
  type DiffInterval,
  type RatioInterval,
} from './stats';

/** One side of a comparison: pooled cluster sums of its models, with the exact cost. */
export interface DecisionArm extends ClusterSums {
  costExact: Pico;
  models: string[];
}

/** Pro against Flash in one job type (size null) or one job type × size. */
export interface Comparison {
  jobType: string;
  size: string | null;
  pro: DecisionArm;
  flash: DecisionArm;
}

export interface DecisionSettings {
  /** acceptance points Flash may trail Pro by and still count as "not worse" (0.05 = 5 points) */
  margin: number;
  /** false-discovery rate across the table, and the two-sided level of each interval */
  alpha: number;
  /** Beta prior: pseudo-counts of accepted (a) and rejected (b) requests; whole numbers */
  prior: BetaDist;
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = { margin: 0.05, alpha: 0.05, prior: { a: 1, b: 1 } };

/** Fewer acceptances or rejections than this on either side: no verdict at all. */
export const MIN_EACH_OUTCOME = 5;
export const TARGET_POWER = 0.8;

export type Outcome = 'pro-better' | 'flash-not-worse' | 'not-enough';

export interface ArmFigures {
  models: string[];
  requests: number;
  accepted: number;
  rate: number;
  clusters: number;
  designEffect: number;
  /** requests / design effect: what the clustered data are worth as independent trials */
  effectiveN: number;
  ciLow: number;
  ciHigh: number;
  /** USD per accepted image with its delta-method 95% range; null when nothing accepted */
  costPerAccepted: RatioInterval | null;
  costExact: Pico;
  posterior: BetaDist;
}

export interface Decision {
  key: string;
  jobType: string;
  size: string | null;
  pro: ArmFigures;
  flash: ArmFigures;
  /** Newcombe 95% interval of Pro − Flash acceptance, on effective counts */
  diff: DiffInterval;
  margin: number;
  /** two-sided-equivalent p-values (2 × one-sided): "Pro better" and "Flash not worse than −margin" */
  pSuperiority: number;
  pNonInferiority: number;
  /** after Benjamini–Hochberg across every hypothesis in the table */
  qSuperiority: number;
  qNonInferiority: number;
  outcome: Outcome;
  /** why no verdict is possible yet (too few acceptances or rejections), else null */
  refused: string | null;
  /** Pro better, and by less than the margin: Flash is also "not worse" */
  withinMargin: boolean;
  /** smallest true gap the current data would detect at 5% / 80% power */
  mdd: number;
  /** rated requests per model that would decide it (design effect included); null once decided */
  neededPerArm: number | null;
  /** how many more rated requests the smaller side needs; null once decided */
  moreNeeded: number | null;
  /** USD per accepted image: Pro's minus Flash's (what Flash saves per accepted image), with 95% range */
  saving: { mid: number; low: number; high: number } | null;
  bayes: { pProBetter: number; lossChoosingPro: number; lossChoosingFlash: number };
}

/** Adds the cluster sums of several models (a prompt used by two models counts once per model). */
export function poolArms(cells: readonly (ClusterSums & { costExact: Pico; model: string })[]): DecisionArm {
  const arm: DecisionArm = { clusters: 0, n: 0, accepted: 0, sumN2: 0, sumA2: 0, sumNA: 0, cost: 0, sumC2: 0, sumCA: 0, costExact: 0n as Pico, models: [] };
  for (const c of cells) {
    arm.clusters += c.clusters;
    arm.n += c.n;
    arm.accepted += c.accepted;
    arm.sumN2 += c.sumN2;
    arm.sumA2 += c.sumA2;
    arm.sumNA += c.sumNA;
    arm.cost += c.cost;
    arm.sumC2 += c.sumC2;
    arm.sumCA += c.sumCA;
    arm.costExact = (arm.costExact + c.costExact) as Pico;
    arm.models.push(c.model);
  }
  return arm;
}

/**
 * Groups model cells into Pro-vs-Flash comparisons per job type (size null) and per job type ×
 * size, wherever both families have rated requests.
 */
export function buildComparisons(
  cells: readonly (ClusterSums & { costExact: Pico; model: string; jobType: string; size: string | null })[],
  familyOf: (model: string) => string | undefined,
): Comparison[] {
  const groups = new Map<string, { jobType: string; size: string | null; pro: typeof cells[number][]; flash: typeof cells[number][] }>();
  for (const c of cells) {
    const family = familyOf(c.model);
    if (family !== 'pro' && family !== 'flash') continue;
    const key = `${c.jobType}\u0000${c.size ?? ''}`;
    const g = groups.get(key) ?? groups.set(key, { jobType: c.jobType, size: c.size, pro: [], flash: [] }).get(key)!;
    g[family].push(c);
  }
  return [...groups.values()]
    .filter((g) => g.pro.some((c) => c.n > 0) && g.flash.some((c) => c.n > 0))
    .sort((a, b) => a.jobType.localeCompare(b.jobType) || (a.size ?? '').localeCompare(b.size ?? ''))
    .map((g) => ({ jobType: g.jobType, size: g.size, pro: poolArms(g.pro), flash: poolArms(g.flash) }));
}

function armFigures(arm: DecisionArm, prior: BetaDist): ArmFigures & { xEff: number } {
  const deff = designEffect(arm);
  const effectiveN = arm.n / deff;
  const xEff = arm.accepted / deff;
  const ci = wilsonInterval(xEff, effectiveN);
  const accEff = Math.round(xEff);
  return {
    models: arm.models,
    requests: arm.n,
    accepted: arm.accepted,
    rate: arm.n > 0 ? arm.accepted / arm.n : 0,
    clusters: arm.clusters,
    designEffect: deff,
    effectiveN,
    ciLow: ci.low,
    ciHigh: ci.high,
    costPerAccepted: ratioDeltaInterval(arm),
    costExact: arm.costExact,
    posterior: { a: prior.a + accEff, b: prior.b + Math.max(0, Math.round(effectiveN) - accEff) },
    xEff,
  };
}

/**
 * The three-outcome verdict for every comparison, with the false-discovery rate controlled
 * across the whole table: each comparison tests "Pro better" (Newcombe lower limit above 0) and
 * "Flash not worse than the margin" (upper limit below m); each kind of claim goes through its
 * own Benjamini–Hochberg pass over the table at `alpha` (at most one of a comparison's two nulls
 * can be true, as m > 0). A table of one comparison thus reads exactly off its 95% interval.
 */
export function decideAll(comparisons: readonly Comparison[], settings: DecisionSettings = DEFAULT_DECISION_SETTINGS): Decision[] {
  const { margin, alpha, prior } = settings;
  const staged = comparisons.map((c) => {
    const pro = armFigures(c.pro, prior);
    const flash = armFigures(c.flash, prior);
    const diff = newcombeInterval(pro.xEff, pro.effectiveN, flash.xEff, flash.effectiveN);
    const pSup = Math.min(1, 2 * newcombeOneSidedP(pro.xEff, pro.effectiveN, flash.xEff, flash.effectiveN, 0, 'above'));
    const pNi = Math.min(1, 2 * newcombeOneSidedP(pro.xEff, pro.effectiveN, flash.xEff, flash.effectiveN, margin, 'below'));
    const few = [
      ['Pro', c.pro],
      ['Flash', c.flash],
    ].flatMap(([name, a]) => {
      const arm = a as DecisionArm;
      const out: string[] = [];
      if (arm.accepted < MIN_EACH_OUTCOME) out.push(`${name as string} has ${arm.accepted} accepted`);
      if (arm.n - arm.accepted < MIN_EACH_OUTCOME) out.push(`${name as string} has ${arm.n - arm.accepted} rejected`);
      return out;
    });
    return { c, pro, flash, diff, pSup, pNi, refused: few.length ? `${few.join(', ')}; at least ${MIN_EACH_OUTCOME} of each are needed on both sides` : null };
  });
  // Refused comparisons make no claim, so they do not enter the families of tested hypotheses.
  const tested = staged.filter((s) => s.refused === null);
  const bhSup = benjaminiHochberg(tested.map((s) => s.pSup), alpha);
  const bhNi = benjaminiHochberg(tested.map((s) => s.pNi), alpha);
  return staged.map((s) => {
    const i = tested.indexOf(s);
    const qSup = i < 0 ? 1 : bhSup.adjusted[i]!;
    const qNi = i < 0 ? 1 : bhNi.adjusted[i]!;
    const sup = i >= 0 && bhSup.rejected[i]!;
    const ni = i >= 0 && bhNi.rejected[i]!;
    const outcome: Outcome = sup ? 'pro-better' : ni ? 'flash-not-worse' : 'not-enough';
    const pooled = (s.c.pro.accepted + s.c.flash.accepted) / Math.max(1, s.c.pro.n + s.c.flash.n);
    const deff = Math.max(s.pro.designEffect, s.flash.designEffect);
    let needed: number | null = null;
    let more: number | null = null;
    if (outcome === 'not-enough') {
      // Planning rates shrunk toward 1/2 (x + 1)/(n + 2), so 0 of 5 does not plan for a certain 0.
      const pp = (s.c.pro.accepted + 1) / (s.c.pro.n + 2);
      const pf = (s.c.flash.accepted + 1) / (s.c.flash.n + 2);
      const nSup = pp > pf ? sampleSizeTwoProportions(pp, pf, alpha, TARGET_POWER) : Infinity;
      const nNi = sampleSizeNonInferiority(pp, pf, margin, alpha, TARGET_POWER);
      const base = Math.min(nSup, nNi);
      needed = Number.isFinite(base) ? Math.ceil(base * deff - 1e-9) : null;
      more = needed === null ? null : Math.max(0, needed - Math.min(s.c.pro.n, s.c.flash.n));
    }
    const cp = s.pro.costPerAccepted, cf = s.flash.costPerAccepted;
    const saving = cp && cf ? (() => {
      const mid = cp.ratio - cf.ratio;
      const se = Math.hypot(cp.se, cf.se);
      return { mid, low: mid - Z95 * se, high: mid + Z95 * se };
    })() : null;
    const pProBetter = probBetaGreater(s.pro.posterior, s.flash.posterior);
    const { xEff: _p, ...pro } = s.pro;
    const { xEff: _f, ...flash } = s.flash;
    return {
      key: `${s.c.jobType}|${s.c.size ?? '*'}`,
      jobType: s.c.jobType,
      size: s.c.size,
      pro,
      flash,
      diff: s.diff,
      margin,
      pSuperiority: s.pSup,
      pNonInferiority: s.pNi,
      qSuperiority: qSup,
      qNonInferiority: qNi,
      outcome,
      refused: s.refused,
      withinMargin: sup && ni,
      mdd: minimumDetectableDifference(pooled, s.pro.effectiveN, s.flash.effectiveN, alpha, TARGET_POWER),
      neededPerArm: needed,
      moreNeeded: more,
      saving,
      bayes: {
        pProBetter,
        lossChoosingPro: expectedLoss(s.pro.posterior, s.flash.posterior),
        lossChoosingFlash: expectedLoss(s.flash.posterior, s.pro.posterior),
      },
    };
  });
}

/** The verdict in words, with money: what to do and what it is worth per accepted image. */
export function decisionSentence(d: Decision, money: (usd: number) => string): string {
  const pts = (x: number) => `${(x * 100).toFixed(1)} points`;
  const range = (r: { low: number; high: number }) => `range ${money(r.low)} to ${money(r.high)}`;
  if (d.outcome === 'not-enough') {
    if (d.refused) return `Not enough data: ${d.refused}.${d.moreNeeded !== null ? ` About ${d.moreNeeded.toLocaleString('en-US')} more rated images per model would decide it.` : ''}`;
    return d.moreNeeded === null
      ? 'Not enough data to decide either way.'
      : `Not enough data: about ${d.moreNeeded.toLocaleString('en-US')} more rated images per model would decide it (${d.neededPerArm!.toLocaleString('en-US')} each in all).`;
  }
  const s = d.saving;
  const notWorse = `acceptance not worse than ${pts(d.margin)} below Pro`;
  const lead = d.outcome === 'flash-not-worse' ? `Flash is not worse than Pro by more than ${pts(d.margin)}.` : d.withinMargin ? `Pro is accepted more often, but by less than ${pts(d.margin)}.` : 'Pro is accepted more often.';
  if (!s) return lead;
  // s = Pro's cost per accepted image minus Flash's: positive means Flash is cheaper per accepted image.
  if (s.low < 0 && s.high > 0) return `${lead} Per accepted image the two cost about the same: Pro − Flash ${money(s.mid)} (range ${money(s.low)} to ${money(s.high)}, so it could go either way).`;
  if (d.outcome === 'flash-not-worse') {
    return s.mid >= 0
      ? `Flash saves ${money(s.mid)} per accepted image (${range(s)}) with ${notWorse}.`
      : `${lead} But Flash costs ${money(-s.mid)} more per accepted image (${range({ low: -s.high, high: -s.low })}).`;
  }
  return s.mid <= 0
    ? `${lead} Pro pays for itself: its cost per accepted image is lower by ${money(-s.mid)} (${range({ low: -s.high, high: -s.low })}).`
    : `${lead} It costs ${money(s.mid)} more per accepted image than Flash (${range(s)}).`;
}

/** Points of the two posterior densities over the part of [0, 1] where either has mass (mean ± 5 sd). */
export function posteriorCurves(pro: BetaDist, flash: BetaDist, points = 161): { x: number; pro: number; flash: number }[] {
  const sd = (d: BetaDist) => Math.sqrt((d.a * d.b) / ((d.a + d.b) ** 2 * (d.a + d.b + 1)));
  const mean = (d: BetaDist) => d.a / (d.a + d.b);
  const lo = Math.max(0, Math.min(mean(pro) - 5 * sd(pro), mean(flash) - 5 * sd(flash)));
  const hi = Math.min(1, Math.max(mean(pro) + 5 * sd(pro), mean(flash) + 5 * sd(flash)));
  return Array.from({ length: points }, (_, i) => {
    const x = lo + ((hi - lo) * i) / (points - 1);
    const cap = (v: number) => (Number.isFinite(v) ? v : 0);
    return { x, pro: cap(betaPdf(x, pro.a, pro.b)), flash: cap(betaPdf(x, flash.a, flash.b)) };
  });
}
