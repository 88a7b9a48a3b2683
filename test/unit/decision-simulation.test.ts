import { describe, expect, it } from 'vitest';
import { decideAll, type Comparison, type DecisionArm } from '../../src/domain/decision';
import type { Pico } from '../../src/domain/money';
import { createRng, type Rng } from '../../src/domain/random';
import { sampleSizeTwoProportions } from '../../src/domain/stats';

/**
 * Seeded simulation of the verdict's error rates (mulberry32, no clock). Each experiment draws
 * rated requests for Pro and Flash from known acceptance rates and asks the tool for its verdict.
 * The measured rates are printed so the closing note can quote them.
 */
const EXPERIMENTS = 2_000;

function arm(rng: Rng, n: number, p: number): DecisionArm {
  let a = 0;
  for (let i = 0; i < n; i++) if (rng() < p) a++;
  const c = 0.1;
  return { clusters: n, n, accepted: a, sumN2: n, sumA2: a, sumNA: a, cost: n * c, sumC2: n * c * c, sumCA: a * c, costExact: 0n as Pico, models: [] };
}

function comparison(rng: Rng, n: number, pPro: number, pFlash: number, jobType = 'j'): Comparison {
  return { jobType, size: null, pro: arm(rng, n, pPro), flash: arm(rng, n, pFlash) };
}

describe('verdict error rates by simulation (2,000 seeded experiments each)', () => {
  it('true difference 0: "Pro better" at most 5% per comparison, FDR across 12 comparisons at most 5%', { timeout: 20_000 }, () => {
    const rng = createRng(20261201);
    // Twelve job type × size cells with different base rates and sizes, all without a true gap.
    const cells = Array.from({ length: 12 }, (_, i) => ({ p: 0.2 + 0.05 * i, n: 80 + 40 * i }));
    let single = 0, singleTotal = 0, familiesWithFalse = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const comps = cells.map((c, i) => comparison(rng, c.n, c.p, c.p, `job${i}`));
      for (const c of comps) {
        singleTotal++;
        if (decideAll([c])[0]!.outcome === 'pro-better') single++;
      }
      // Every null is true, so the false-discovery proportion is 1 whenever anything is claimed.
      if (decideAll(comps).some((d) => d.outcome === 'pro-better')) familiesWithFalse++;
    }
    const perComparison = single / singleTotal;
    const fdr = familiesWithFalse / EXPERIMENTS;
    console.log(`[simulation] null: "Pro better" per comparison ${(perComparison * 100).toFixed(2)}% (${single}/${singleTotal}); FDR across 12 ${(fdr * 100).toFixed(2)}% (${familiesWithFalse}/${EXPERIMENTS})`);
    expect(perComparison).toBeLessThanOrEqual(0.05);
    expect(fdr).toBeLessThanOrEqual(0.05);
  });

  it('mixed family (6 true gaps of 15 points, 6 nulls): FDR at most 5%', { timeout: 20_000 }, () => {
    const rng = createRng(7);
    let fdpSum = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const comps = Array.from({ length: 12 }, (_, i) => comparison(rng, 200, i < 6 ? 0.75 : 0.6, 0.6, `job${i}`));
      const d = decideAll(comps);
      const claims = d.filter((x) => x.outcome === 'pro-better');
      const falseClaims = claims.filter((x) => Number(x.jobType.slice(3)) >= 6).length;
      fdpSum += claims.length ? falseClaims / claims.length : 0;
    }
    const fdr = fdpSum / EXPERIMENTS;
    console.log(`[simulation] mixed: FDR ${(fdr * 100).toFixed(2)}%`);
    expect(fdr).toBeLessThanOrEqual(0.05);
  });

  it('true difference of 10 points at the size the tool says is enough: "Pro better" at least 80% of the time', { timeout: 20_000 }, () => {
    // What the tool asks for after a pilot of 50 rated requests each at 80% vs 70%.
    const pilotDecision = decideAll([
      {
        jobType: 'pilot',
        size: null,
        pro: { ...arm(() => 0, 50, 1), accepted: 40, sumA2: 40, sumNA: 40, sumCA: 4 },
        flash: { ...arm(() => 0, 50, 1), accepted: 35, sumA2: 35, sumNA: 35, sumCA: 3.5 },
      },
    ])[0]!;
    expect(pilotDecision.outcome).toBe('not-enough');
    const fromPilot = pilotDecision.neededPerArm!;
    const fromFormula = sampleSizeTwoProportions(0.8, 0.7);
    const rng = createRng(424242);
    for (const n of [fromFormula, fromPilot]) {
      let wins = 0;
      for (let e = 0; e < EXPERIMENTS; e++) if (decideAll([comparison(rng, n, 0.8, 0.7)])[0]!.outcome === 'pro-better') wins++;
      console.log(`[simulation] power at n = ${n} per arm (80% vs 70%): ${((wins / EXPERIMENTS) * 100).toFixed(2)}% (${wins}/${EXPERIMENTS})`);
      expect(wins / EXPERIMENTS).toBeGreaterThanOrEqual(0.8);
    }
  });
});
