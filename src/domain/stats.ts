/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion: sound at small n and near 0 or 1,
 * unlike the normal approximation. Returns [0, 1] for n = 0 (nothing is known).
 */
export function wilsonInterval(successes: number, n: number, z = Z95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Two-proportion z-test (pooled), two-sided p-value. Used to say whether an acceptance
 * difference between two models is distinguishable from chance at the current sample size.
 */
export function twoProportionPValue(x1: number, n1: number, x2: number, n2: number): number | null {
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return x1 / n1 === x2 / n2 ? 1 : 0;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  return 2 * (1 - normalCdf(z));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error
 * below 1.2e-9). Used for quantiles such as z(0.975) = 1.95996 and z(0.8) = 0.84162.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface DiffInterval {
  /** p1 − p2 */
  diff: number;
  low: number;
  high: number;
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (method 10 of Newcombe 1998): each
 * proportion's Wilson limits l_i, u_i are combined as
 *   low  = d − √((p1 − l1)² + (u2 − p2)²),  high = d + √((u1 − p1)² + (p2 − l2)²).
 * Counts may be fractional (effective counts after a design effect).
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): DiffInterval {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const diff = p1 - p2;
  return {
    diff,
    low: diff - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: diff + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/**
 * One-sided p-value read off the Newcombe interval: the smallest one-sided level at which
 * the interval's lower limit (side 'above') clears `bound`, or its upper limit (side 'below')
 * stays under it. So "p < 0.025" is exactly "the 95% interval excludes `bound`", and the
 * p-values can enter Benjamini–Hochberg consistently with the interval shown.
 */
export function newcombeOneSidedP(x1: number, n1: number, x2: number, n2: number, bound: number, side: 'above' | 'below'): number {
  if (n1 === 0 || n2 === 0) return 1;
  const clears = (z: number) => {
    const ci = newcombeInterval(x1, n1, x2, n2, z);
    return side === 'above' ? ci.low > bound : ci.high < bound;
  };
  // At z = 0 the interval is the point estimate; if even that fails, p ≥ 0.5.
  if (!clears(1e-9)) return side === 'above' ? (x1 / n1 - x2 / n2 > bound ? 0.5 : 1) : x1 / n1 - x2 / n2 < bound ? 0.5 : 1;
  let lo = 0, hi = 1;
  while (clears(hi) && hi < 40) hi *= 2;
  if (clears(hi)) return 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (clears(mid)) lo = mid;
    else hi = mid;
  }
  return 1 - normalCdf(lo);
}

/**
 * Requests per arm for a two-sided test of p1 against p2 at level alpha with the given power
 * (Fleiss, Levin & Paik 2003, eq. 4.14):
 *   n = [z(1−α/2)·√(2·p̄·q̄) + z(power)·√(p1·q1 + p2·q2)]² / (p1 − p2)²
 * 70% vs 80% gives 294; 75% vs 80% gives 1,094. With `continuity` (the default, eq. 4.15,
 * Casagrande, Pike & Smith 1978) n' = n/4 · (1 + √(1 + 4/(n·|p1 − p2|)))²: the exact power of
 * the Newcombe test at the uncorrected n is only 79.6–80.3%, at n' it is 81–86%, so the
 * corrected figure is the one the verdict promises. Infinity when p1 = p2.
 */
export function sampleSizeTwoProportions(p1: number, p2: number, alpha = 0.05, power = 0.8, continuity = true): number {
  const delta = Math.abs(p1 - p2);
  if (delta === 0) return Infinity;
  const pBar = (p1 + p2) / 2;
  const a = normalQuantile(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar));
  const b = normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const n = ((a + b) * (a + b)) / (delta * delta);
  const corrected = continuity ? (n / 4) * (1 + Math.sqrt(1 + 4 / (n * delta))) ** 2 : n;
  return Math.ceil(corrected - 1e-9);
}

/**
 * Requests per arm to show p1 − p2 < margin (non-inferiority of arm 2 within the margin) with
 * a one-sided test at alpha/2 and the given power when the true difference is p1 − p2
 * (Blackwelder 1982): n = (z(1−α/2) + z(power))² · (p1·q1 + p2·q2) / (margin − (p1 − p2))².
 */
export function sampleSizeNonInferiority(p1: number, p2: number, margin: number, alpha = 0.05, power = 0.8): number {
  const gap = margin - (p1 - p2);
  if (gap <= 0) return Infinity;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / (gap * gap) - 1e-9);
}

/**
 * Minimum detectable difference: the smallest true gap a two-sided test at alpha detects with
 * the given power for these sample sizes, at the pooled rate p:
 *   MDD = (z(1−α/2) + z(power)) · √(p·(1 − p)·(1/n1 + 1/n2)).
 */
export function minimumDetectableDifference(p: number, n1: number, n2: number, alpha = 0.05, power = 0.8): number {
  if (n1 <= 0 || n2 <= 0) return Infinity;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return z * Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
}

/**
 * Benjamini–Hochberg step-up at false-discovery rate q: sort the m p-values, find the largest
 * rank k with p(k) ≤ k·q/m and reject the k smallest. Adjusted p-values are
 * min over j ≥ i of p(j)·m/j, capped at 1, returned in input order.
 */
export function benjaminiHochberg(pValues: readonly number[], q = 0.05): { adjusted: number[]; rejected: boolean[] } {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return { adjusted, rejected: adjusted.map((a) => a <= q) };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 significant digits). */
export function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Density of Beta(a, b) at x. */
export function betaPdf(x: number, a: number, b: number): number {
  if (x < 0 || x > 1) return 0;
  if (x === 0) return a < 1 ? Infinity : a === 1 ? Math.exp(-logBeta(a, b)) : 0;
  if (x === 1) return b < 1 ? Infinity : b === 1 ? Math.exp(-logBeta(a, b)) : 0;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - logBeta(a, b));
}

/** A Beta distribution by its two shape parameters. */
export interface BetaDist {
  a: number;
  b: number;
}

/**
 * P(X > Y) for independent X ~ Beta(x.a, x.b), Y ~ Beta(y.a, y.b), exactly, for whole-number
 * first shapes (Evan Miller's closed form, from Cook 2005):
 *   P(Y > X) = Σ_{i=0}^{y.a−1} B(x.a + i, x.b + y.b) / ((y.b + i) · B(1 + i, y.b) · B(x.a, x.b))
 * The sum runs over the smaller first shape. Deterministic: no sampling.
 */
export function probBetaGreater(x: BetaDist, y: BetaDist): number {
  // P(Y > X), summed over Y's first shape; each term is the previous times
  // (X.a + i)/(X.a + X.b + Y.b + i) · (Y.b + i)/(1 + i), so only the first needs ln Β.
  const yAboveX = (X: BetaDist, Y: BetaDist) => {
    if (!Number.isInteger(Y.a)) throw new RangeError('probBetaGreater needs whole-number shapes a');
    let term = Math.exp(logBeta(X.a, X.b + Y.b) - Math.log(Y.b) - logBeta(1, Y.b) - logBeta(X.a, X.b));
    let total = 0;
    for (let i = 0; i < Y.a; i++) {
      total += term;
      term *= ((X.a + i) / (X.a + X.b + Y.b + i)) * ((Y.b + i) / (1 + i));
    }
    return total;
  };
  const p = y.a <= x.a ? 1 - yAboveX(x, y) : yAboveX(y, x);
  return Math.min(1, Math.max(0, p));
}

/**
 * Expected loss of choosing X when Y might be better: E[max(Y − X, 0)] (Stucchio 2015):
 *   mean(Y) · P(Beta(y.a + 1, y.b) > X) − mean(X) · P(Y > Beta(x.a + 1, x.b)).
 * In acceptance points: how much acceptance one gives up, on average, by picking X.
 */
export function expectedLoss(x: BetaDist, y: BetaDist): number {
  const meanX = x.a / (x.a + x.b);
  const meanY = y.a / (y.a + y.b);
  const loss = meanY * probBetaGreater({ a: y.a + 1, b: y.b }, x) - meanX * probBetaGreater(y, { a: x.a + 1, b: x.b });
  return Math.max(0, loss);
}

/**
 * Per-cluster sums of one arm: a cluster is a prompt hash (or a lone request without one),
 * with N_k rated requests, A_k accepted and C_k cost in USD (a float: a statistic, not a bill).
 */
export interface ClusterSums {
  clusters: number;
  /** Σ N_k: rated requests */
  n: number;
  /** Σ A_k: accepted requests */
  accepted: number;
  sumN2: number;
  sumA2: number;
  sumNA: number;
  /** Σ C_k in USD */
  cost: number;
  sumC2: number;
  sumCA: number;
}

/**
 * Design effect of the acceptance rate under clustering: the variance of the ratio estimator
 * p = ΣA/ΣN over clusters, Σ(A_k − p·N_k)² / (ΣN)², against the binomial p(1 − p)/n. Equals
 * 1 when every cluster is one request; never below 1 (clustering is not allowed to add
 * information). Effective sample size = n / design effect.
 */
export function designEffect(s: ClusterSums): number {
  if (s.n === 0 || s.accepted === 0 || s.accepted === s.n || s.clusters === s.n) return 1;
  const p = s.accepted / s.n;
  const ss = s.sumA2 - 2 * p * s.sumNA + p * p * s.sumN2;
  return Math.max(1, ss / (s.n * p * (1 - p)));
}

export interface RatioInterval {
  ratio: number;
  se: number;
  low: number;
  high: number;
}

/**
 * Cost per accepted image R = ΣC/ΣA with a delta-method (linearization) standard error over
 * clusters (Cochran 1977, Sampling Techniques, eq. 6.13, without finite-population correction):
 *   v(R) = k / (k − 1) · Σ(C_k − R·A_k)² / (ΣA)²,
 * expanded so only sums are needed: Σ(C − RA)² = ΣC² − 2R·ΣCA + R²·ΣA².
 * null when nothing was accepted or there are fewer than two clusters.
 */
export function ratioDeltaInterval(s: ClusterSums, z = Z95): RatioInterval | null {
  if (s.accepted === 0 || s.clusters < 2) return null;
  const r = s.cost / s.accepted;
  const ss = Math.max(0, s.sumC2 - 2 * r * s.sumCA + r * r * s.sumA2);
  const se = Math.sqrt((s.clusters / (s.clusters - 1)) * ss) / s.accepted;
  return { ratio: r, se, low: Math.max(0, r - z * se), high: r + z * se };
}
