import { describe, expect, it } from 'vitest';
import type { CubeCell } from '../../src/domain/cube';
import { formatPlain, parseUsd, type Pico } from '../../src/domain/money';
import { actualOutcome, expectedAttempts, FLASH, presetPolicies, PRO, replayPolicy } from '../../src/domain/policy';
import { wilsonInterval } from '../../src/domain/stats';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');
const plain = (p: Pico) => formatPlain(p);

/**
 * A small log, 35 requests of one image each on Google's standard lane, already in cells:
 *   Flash 1K draft:  10 requests, 12 billed attempts (q = 2/12), 8 of 10 accepted, billed 12 × 0.0672 = 0.8064
 *   Pro 1K final:    10 requests, 12 billed attempts (q = 2/12), 9 of 10 accepted, billed 12 × 0.1344 = 1.6128
 *   Flash 1K final:  10 requests, 10 billed, 6 of 10 accepted, billed 0.672
 *   Pro 2K draft:     5 requests,  5 billed, 4 of 5 accepted, billed 5 × 0.1344 = 0.672
 */
function cell(model: string, size: string, jobType: string, requests: number, billed: number, accepted: number, cost: string): CubeCell {
  return {
    model, imageSize: size, lane: 'standard', provider: 'google', jobType, requests, images: requests, attempts: billed, billedAttempts: billed,
    billedImages: billed, withFeedback: requests, accepted, unpricedRequests: 0, cost: parseUsd(cost),
  };
}
const LOG = [
  cell(FLASH, '1K', 'draft', 10, 12, 8, '0.8064'),
  cell(PRO, '1K', 'final', 10, 12, 9, '1.6128'),
  cell(FLASH, '1K', 'final', 10, 10, 6, '0.672'),
  cell(PRO, '2K', 'draft', 5, 5, 4, '0.672'),
];
const presets = new Map(presetPolicies(['draft']).map((p) => [p.id, p]));
const replay = (id: string, cells = LOG) => replayPolicy(presets.get(id)!, cells, rates, AT);
const W = (x: number, n: number) => wilsonInterval(x, n);

describe('retry model', () => {
  it('geometric attempts: uncapped 1/(1−q), capped 1 + q + … + q^k', () => {
    expect(expectedAttempts(1 / 6, undefined)).toBeCloseTo(1.2, 12);
    expect(expectedAttempts(1 / 6, 0)).toBe(1);
    expect(expectedAttempts(0.5, 2)).toBeCloseTo(1.75, 12);
    expect(expectedAttempts(0, undefined)).toBe(1);
  });
});

describe('policy replay over a hand-checked log', () => {
  it('what actually happened: the billed cost; expected accepted 8 + 9 + 6 + 4 = 27', () => {
    const a = actualOutcome(LOG);
    expect(plain(a.cost.mid)).toBe('3.7632');
    expect(a.acceptedImages!.mid).toBeCloseTo(27, 9);
    expect(a.requests).toBe(35);
  });

  it('as logged, repriced: the same cells at their own models reproduce the billed cost', () => {
    // Flash draft 10 × 0.0672 × 1.2; Pro final 10 × 0.1344 × 1.2; Flash final 0.672; Pro draft 0.672
    expect(plain(replay('as-logged').cost.mid)).toBe('3.7632');
  });

  it('all Flash: 0.8064 + 0.672 + 0.672 + 5 × 0.1008 × 1.2 = 2.7552; accepted 8 + 6 + 6 + 4 = 24', () => {
    const r = replay('all-flash');
    expect(plain(r.cost.mid)).toBe('2.7552');
    expect(r.acceptedImages!.mid).toBeCloseTo(24, 9);
    expect(plain(r.costPerAccepted!.mid)).toBe('0.1148');
    // the range comes from the Wilson intervals of Flash on drafts (8/10) and finals (6/10)
    expect(r.acceptedImages!.low).toBeCloseTo(10 * W(8, 10).low + 20 * W(6, 10).low + 5 * W(8, 10).low, 9);
    expect(r.acceptedImages!.high).toBeCloseTo(10 * W(8, 10).high + 20 * W(6, 10).high + 5 * W(8, 10).high, 9);
  });

  it('all Pro: 10 × 0.1344 + 2 × 10 × 0.1344 × 1.2 + 5 × 0.1344 = 5.2416; accepted 8 + 9 + 9 + 4 = 30', () => {
    const r = replay('all-pro');
    expect(plain(r.cost.mid)).toBe('5.2416');
    expect(r.acceptedImages!.mid).toBeCloseTo(30, 9);
    expect(plain(r.costPerAccepted!.mid)).toBe('0.17472');
  });

  it('guide split with no Pro retries: 0.8064 + 1.344 + 1.344 + 0.6048 = 4.0992', () => {
    const r = replay('guide-split');
    expect(plain(r.cost.mid)).toBe('4.0992');
    expect(r.byJobType.map((g) => [g.jobType, g.model, plain(g.cost.mid)])).toEqual([
      ['draft', FLASH, '1.4112'],
      ['final', PRO, '2.688'],
    ]);
  });

  it('Flash first, Pro on reject for finals: each final costs 0.672 + 0.4 × 1.344; accepted 10 × (0.6 + 0.4 × 0.9)', () => {
    const r = replay('flash-then-pro');
    expect(plain(r.cost.mid)).toBe('3.8304');
    expect(r.acceptedImages!.mid).toBeCloseTo(8 + 9.6 + 9.6 + 4, 9);
    const final = r.byJobType.find((g) => g.jobType === 'final')!;
    // cheapest when Flash's acceptance is at the top of its interval: fewer escalations
    const lowCost = 2 * (0.672 + 1.344 * (1 - W(6, 10).high));
    expect(Number(formatPlain(final.cost.low))).toBeCloseTo(lowCost, 8) // the factor is fixed to 9 decimals before it scales money;
    const acceptedLow = 20 * (W(6, 10).low + (1 - W(6, 10).low) * W(9, 10).low);
    expect(final.acceptedImages!.low).toBeCloseTo(acceptedLow, 9);
  });

  it('batch for the non-urgent job type (draft): 10 × 0.0336 × 1.2 + 5 × 0.0672 + 1.6128 + 0.672 = 3.024', () => {
    expect(plain(replay('batch-non-urgent').cost.mid)).toBe('3.024');
  });

  it('nothing accepted: no cost per accepted image rather than a division by zero', () => {
    const r = replay('as-logged', [cell(FLASH, '1K', 'draft', 10, 10, 0, '0.672')]);
    expect([r.acceptedImages!.mid, r.acceptedImages!.low, r.costPerAccepted]).toEqual([0, 0, null]);
  });

  it('targets without a price are counted, and Pro on a 512 request moves up to 1K', () => {
    const lite = { ...LOG[0]!, model: 'gemini-3.1-flash-lite-image', jobType: 'thumbnail', cost: parseUsd('0'), unpricedRequests: 10 };
    const small = { ...LOG[2]!, imageSize: '512', cost: parseUsd('0.4482') };
    expect(replay('as-logged', [lite]).unpricedReasons).toEqual({ model_not_priced: 10 });
    const pro = replay('all-pro', [small]);
    expect([pro.resizedRequests, plain(pro.cost.mid)]).toEqual([10, '1.344']);
    expect(actualOutcome([lite]).unpricedRequests).toBe(10);
  });

  it('a size rule: all drafts to Flash 512, at the Flash draft retry rate (1.2 attempts): 15 × 0.04482 × 1.2 = 0.80676', () => {
    const custom = {
      id: 'custom', label: 'custom', maxRetries: {},
      rules: { draft: { model: FLASH, size: '512' as const, lane: 'as-logged' as const, escalateTo: null } },
      defaultRule: { model: 'as-logged', size: 'as-logged' as const, lane: 'as-logged' as const, escalateTo: null },
    };
    // finals stay as logged: 1.6128 + 0.672; total 0.80676 + 2.2848
    const r = replayPolicy(custom, LOG, rates, AT);
    expect(plain(r.cost.mid)).toBe('3.09156');
    expect(r.resizedRequests).toBe(0);
  });
});
