import { describe, expect, it } from 'vitest';
import { buildComparisons, decideAll, decisionSentence, type Comparison, type DecisionArm } from '../../src/domain/decision';
import type { Pico } from '../../src/domain/money';
import { newcombeInterval, sampleSizeTwoProportions } from '../../src/domain/stats';

/** n rated requests, each its own cluster, each costing `each` USD. */
function arm(n: number, accepted: number, each = 0.1): DecisionArm {
  return { clusters: n, n, accepted, sumN2: n, sumA2: accepted, sumNA: accepted, cost: n * each, sumC2: n * each * each, sumCA: accepted * each, costExact: 0n as Pico, models: ['m'] };
}
const cmp = (pro: DecisionArm, flash: DecisionArm, jobType = 'final'): Comparison => ({ jobType, size: null, pro, flash });
const money = (usd: number) => `$${usd.toFixed(4)}`;

describe('three-outcome verdict', () => {
  it('"Pro better" when the Newcombe interval of Pro − Flash is above 0', () => {
    const [d] = decideAll([cmp(arm(100, 90, 0.24), arm(100, 60, 0.04))]);
    expect(newcombeInterval(90, 100, 60, 100).low).toBeGreaterThan(0);
    expect(d!.outcome).toBe('pro-better');
    expect(d!.withinMargin).toBe(false);
    // Pro: $24 / 90 = $0.26667 per accepted; Flash: $4 / 60 = $0.06667; Pro costs $0.2 more
    expect(d!.saving!.mid).toBeCloseTo(0.2, 10);
    expect(decisionSentence(d!, money)).toBe(`Pro is accepted more often. It costs $0.2000 more per accepted image than Flash (range ${money(d!.saving!.low)} to ${money(d!.saving!.high)}).`);
  });

  it('"Flash not worse" when the upper limit stays under the margin, phrased in money', () => {
    const [d] = decideAll([cmp(arm(1000, 800, 0.134), arm(1000, 800, 0.039))]);
    expect(newcombeInterval(800, 1000, 800, 1000).high).toBeLessThan(0.05);
    expect(d!.outcome).toBe('flash-not-worse');
    // $0.134/0.8 − $0.039/0.8 = $0.11875 saved per accepted image
    expect(d!.saving!.mid).toBeCloseTo(0.11875, 10);
    expect(decisionSentence(d!, money)).toMatch(/^Flash saves \$0\.1188 per accepted image \(range \$0\.\d+ to \$0\.\d+\) with acceptance not worse than 5\.0 points below Pro\.$/);
    // a tighter margin than the data support: no longer decided
    expect(decideAll([cmp(arm(1000, 800), arm(1000, 800))], { margin: 0.02, alpha: 0.05, prior: { a: 1, b: 1 } })[0]!.outcome).toBe('not-enough');
  });

  it('"not enough data" with the requests per model that would decide it', () => {
    const [d] = decideAll([cmp(arm(50, 40), arm(50, 35))]);
    expect(d!.outcome).toBe('not-enough');
    // planning rates 41/52 and 36/52: their gap (9.6 points) is over the margin, so only "Pro better" can be reached
    const n = sampleSizeTwoProportions(41 / 52, 36 / 52);
    expect(d!.neededPerArm).toBe(n);
    expect(d!.moreNeeded).toBe(n - 50);
    expect(decisionSentence(d!, money)).toBe(`Not enough data: about ${(n - 50).toLocaleString('en-US')} more rated images per model would decide it (${n.toLocaleString('en-US')} each in all).`);
    // MDD = 2.80158 · √(0.75 · 0.25 · (2/50)) = 0.24263
    expect(d!.mdd).toBeCloseTo(0.24263, 4);
  });

  it('refuses a verdict below 5 acceptances or 5 rejections on either side', () => {
    const [d] = decideAll([cmp(arm(200, 197), arm(200, 120))]);
    expect(d!.outcome).toBe('not-enough');
    expect(d!.refused).toBe('Pro has 3 rejected; at least 5 of each are needed on both sides');
  });

  it('Benjamini–Hochberg across the table: a lone win at p = 0.03 does not survive two null neighbours', () => {
    const win = cmp(arm(200, 150), arm(200, 131), 'a');
    const alone = decideAll([win])[0]!;
    expect(alone.pSuperiority).toBeGreaterThan(0.05 / 3);
    expect(alone.pSuperiority).toBeLessThan(0.05);
    expect(alone.outcome).toBe('pro-better');
    const table = decideAll([win, cmp(arm(200, 100), arm(200, 120), 'b'), cmp(arm(200, 100), arm(200, 130), 'c')]);
    // adjusted p of the smallest of three = min(3p, …) = 3p when the others are near 1
    expect(table[0]!.qSuperiority).toBeCloseTo(3 * alone.pSuperiority, 10);
    expect(table[0]!.outcome).not.toBe('pro-better');
  });

  it('clusters shrink the effective sample size and the Beta posterior follows it', () => {
    // 50 prompts × 4 requests each, all four judged alike: design effect 4, effective n 50
    const clustered: DecisionArm = { clusters: 50, n: 200, accepted: 160, sumN2: 50 * 16, sumA2: 40 * 16, sumNA: 40 * 16, cost: 20, sumC2: 50 * 0.16, sumCA: 40 * 1.6, costExact: 0n as Pico, models: ['p'] };
    const [d] = decideAll([cmp(clustered, arm(200, 140))]);
    // Σ(A − 0.8·N)² = 40 · 0.64 + 10 · 10.24 = 128; n·p·q = 32 → design effect 4
    expect(d!.pro.designEffect).toBeCloseTo(4, 10);
    expect(d!.pro.effectiveN).toBeCloseTo(50, 10);
    expect(d!.pro.posterior).toEqual({ a: 41, b: 11 });
    expect(d!.flash.posterior).toEqual({ a: 141, b: 61 });
    expect(d!.flash.designEffect).toBe(1);
  });

  it('pools the models of a family and compares only where both families have feedback', () => {
    const cell = (model: string, jobType: string, size: string | null, n: number, a: number) => ({ ...arm(n, a), model, jobType, size });
    const family = (m: string) => ({ pro: 'pro', f1: 'flash', f2: 'flash', x: 'other' })[m];
    const comps = buildComparisons([cell('pro', 'final', null, 10, 5), cell('f1', 'final', null, 20, 10), cell('f2', 'final', null, 30, 20), cell('x', 'final', null, 5, 5), cell('f1', 'draft', null, 9, 9)], family);
    expect(comps).toHaveLength(1);
    expect([comps[0]!.flash.n, comps[0]!.flash.accepted, comps[0]!.flash.models]).toEqual([50, 30, ['f1', 'f2']]);
  });
});
