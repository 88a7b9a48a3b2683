import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  betaPdf,
  designEffect,
  expectedLoss,
  logGamma,
  minimumDetectableDifference,
  newcombeInterval,
  newcombeOneSidedP,
  normalCdf,
  normalQuantile,
  probBetaGreater,
  ratioDeltaInterval,
  sampleSizeNonInferiority,
  sampleSizeTwoProportions,
  type ClusterSums,
} from '../../src/domain/stats';

/** Cluster sums of requests that are each their own cluster. */
function unclustered(n: number, accepted: number, costEach = 0.1): ClusterSums {
  return { clusters: n, n, accepted, sumN2: n, sumA2: accepted, sumNA: accepted, cost: n * costEach, sumC2: n * costEach * costEach, sumCA: accepted * costEach };
}

describe('normal quantile', () => {
  it('inverts the normal CDF at the familiar points', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    for (const p of [0.001, 0.2, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe('Newcombe hybrid score interval (method 10)', () => {
  // Newcombe RG (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Statistics in Medicine 17:873–890, Table II, method 10.
  const table: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  it.each(table)('%i/%i − %i/%i: %f to %f', (x1, n1, x2, n2, low, high) => {
    const ci = newcombeInterval(x1, n1, x2, n2);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('its one-sided p-value is the level at which the interval just touches the bound', () => {
    const p = newcombeOneSidedP(56, 70, 48, 80, 0, 'above');
    // The 95% interval excludes 0, so the one-sided p is below 0.025 …
    expect(p).toBeLessThan(0.025);
    // … and at exactly that level the lower limit is 0.
    expect(newcombeInterval(56, 70, 48, 80, normalQuantile(1 - p)).low).toBeCloseTo(0, 6);
    // Non-inferiority at margin 0.4: the upper limit 0.3339 is under it at 95%.
    expect(newcombeOneSidedP(56, 70, 48, 80, 0.4, 'below')).toBeLessThan(0.025);
    expect(newcombeOneSidedP(56, 70, 48, 80, 0.3, 'below')).toBeGreaterThan(0.025);
    expect(newcombeOneSidedP(3, 10, 9, 10, 0, 'above')).toBe(1);
  });
});

describe('sample size and minimum detectable difference', () => {
  it('gives the textbook figures for 70% vs 80% and 75% vs 80%', () => {
    // [1.95996·√(2·0.75·0.25) + 0.84162·√(0.21 + 0.16)]² / 0.1² = 293.16 → 294
    expect(sampleSizeTwoProportions(0.8, 0.7, 0.05, 0.8, false)).toBe(294);
    // [1.95996·√(2·0.775·0.225) + 0.84162·√(0.1875 + 0.16)]² / 0.05² = 1093.8 → 1094
    expect(sampleSizeTwoProportions(0.8, 0.75, 0.05, 0.8, false)).toBe(1094);
    // continuity-corrected: 293.16/4 · (1 + √(1 + 4/(293.16 · 0.1)))² = 73.29 · 2.06604² = 312.8 → 313
    expect(sampleSizeTwoProportions(0.8, 0.7)).toBe(313);
    expect(sampleSizeTwoProportions(0.7, 0.7)).toBe(Infinity);
  });

  it('the continuity-corrected size gives the Newcombe test at least 80% power, by exact enumeration', () => {
    const pmf = (n: number, p: number) =>
      Array.from({ length: n + 1 }, (_, k) => Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p)));
    for (const [p1, p2] of [[0.8, 0.7], [0.55, 0.45], [0.3, 0.2]] as const) {
      const n = sampleSizeTwoProportions(p1, p2);
      const a = pmf(n, p1), b = pmf(n, p2);
      let power = 0;
      for (let x2 = 0; x2 <= n; x2++) {
        let x1 = 0;
        while (x1 <= n && newcombeInterval(x1, n, x2, n).low <= 0) x1++;
        for (let k = x1; k <= n; k++) power += b[x2]! * a[k]!;
      }
      expect(power, `${p1} vs ${p2} at n = ${n}`).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('non-inferiority size and MDD follow their formulas', () => {
    // (1.95996 + 0.84162)² · (0.16 + 0.16) / 0.05² = 1004.6 → 1005
    expect(sampleSizeNonInferiority(0.8, 0.8, 0.05)).toBe(1005);
    expect(sampleSizeNonInferiority(0.9, 0.8, 0.05)).toBe(Infinity);
    // 2.80158 · √(0.25 · (1/100 + 1/100)) = 0.19810
    expect(minimumDetectableDifference(0.5, 100, 100)).toBeCloseTo(0.1981, 4);
  });
});

describe('Benjamini–Hochberg', () => {
  it('reproduces the worked example of Benjamini & Hochberg (1995), section 4: 4 of 15 rejected at q = 0.05', () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];
    const { rejected, adjusted } = benjaminiHochberg(p, 0.05);
    expect(rejected.filter(Boolean).length).toBe(4);
    expect(rejected.slice(0, 4).every(Boolean)).toBe(true);
    // adjusted p(4) = min over j ≥ 4 of p(j)·15/j = min(0.0095·15/4, 0.0201·15/5, …) = 0.035625
    expect(adjusted[3]).toBeCloseTo(0.035625, 6);
  });
  it('adjusts in input order', () => {
    const { adjusted } = benjaminiHochberg([0.04, 0.01, 0.03, 0.005]);
    expect(adjusted).toEqual([0.04, 0.02, 0.04, 0.02]);
  });
});

describe('Beta posteriors', () => {
  it('P(Beta(2,1) > Beta(1,2)) = 5/6 and the expected loss between two uniforms = 1/6 (by hand)', () => {
    // ∫ 2x · (2x − x²) dx over [0, 1] = 4/3 − 1/2
    expect(probBetaGreater({ a: 2, b: 1 }, { a: 1, b: 2 })).toBeCloseTo(5 / 6, 12);
    expect(probBetaGreater({ a: 1, b: 2 }, { a: 2, b: 1 })).toBeCloseTo(1 / 6, 12);
    // E[max(Y − X, 0)] = E|X − Y| / 2 = (1/3) / 2
    expect(expectedLoss({ a: 1, b: 1 }, { a: 1, b: 1 })).toBeCloseTo(1 / 6, 12);
  });

  it('agrees with numerical integration for realistic posteriors', () => {
    const x = { a: 81, b: 21 }, y = { a: 141, b: 61 };
    const steps = 20_000;
    let cdfY = 0, prob = 0, loss = 0;
    // midpoint rule on P(X > Y) = ∫ f_X(t) F_Y(t) dt and E[max(Y − X, 0)] = ∫∫_{y > x} (y − x) f f
    const h = 1 / steps;
    const fy = Array.from({ length: steps }, (_, i) => betaPdf((i + 0.5) * h, y.a, y.b) * h);
    const cum: number[] = [];
    const cumT: number[] = [];
    let ct = 0;
    for (let i = 0; i < steps; i++) {
      cdfY += fy[i]!;
      ct += fy[i]! * (i + 0.5) * h;
      cum.push(cdfY);
      cumT.push(ct);
    }
    for (let i = 0; i < steps; i++) {
      const t = (i + 0.5) * h;
      const fx = betaPdf(t, x.a, x.b) * h;
      // F_Y and the partial mean at the cell's midpoint: half of the cell's own mass.
      const F = cum[i]! - fy[i]! / 2;
      const T = cumT[i]! - (fy[i]! * t) / 2;
      prob += fx * F;
      // E[(Y − t)⁺] = (E[Y] − ∫_0^t y f) − t (1 − F(t))
      loss += fx * ((cumT[steps - 1]! - T) - t * (1 - F));
    }
    expect(probBetaGreater(x, y)).toBeCloseTo(prob, 5);
    expect(expectedLoss(x, y)).toBeCloseTo(loss, 5);
  });
});

describe('clusters and the delta method', () => {
  it('design effect: 1 for lone requests, Σ(A − pN)² / (n·p·q) for clusters (by hand)', () => {
    expect(designEffect(unclustered(200, 140))).toBe(1);
    // clusters (N, A) = (2,2) (2,0) (1,1) (1,0): n = 6, p = 0.5, Σ(A − pN)² = 1 + 1 + 0.25 + 0.25 = 2.5, n·p·q = 1.5
    const s: ClusterSums = { clusters: 4, n: 6, accepted: 3, sumN2: 10, sumA2: 5, sumNA: 5, cost: 0, sumC2: 0, sumCA: 0 };
    expect(designEffect(s)).toBeCloseTo(2.5 / 1.5, 12);
  });

  it('ratio of sums: Cochran (1977) eq. 6.13 on a small example worked by hand', () => {
    // clusters (C, A) = ($1, 1) ($2, 1) ($3, 2): R = 6/4 = 1.5; residuals −0.5, 0.5, 0;
    // v = 3/2 · 0.5 / 4² = 0.046875, se = 0.216506, 95% range 1.5 ± 1.959964 · 0.216506 = 1.5 ± 0.424344
    const s: ClusterSums = { clusters: 3, n: 3, accepted: 4, sumN2: 3, sumA2: 6, sumNA: 4, cost: 6, sumC2: 14, sumCA: 9 };
    const r = ratioDeltaInterval(s)!;
    expect(r.ratio).toBe(1.5);
    expect(r.se).toBeCloseTo(0.216506, 6);
    expect(r.low).toBeCloseTo(1.075656, 5);
    expect(r.high).toBeCloseTo(1.924344, 5);
    expect(ratioDeltaInterval({ ...s, accepted: 0 })).toBeNull();
  });
});
