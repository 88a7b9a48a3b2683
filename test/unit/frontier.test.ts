import { describe, expect, it } from 'vitest';
import type { CubeCell } from '../../src/domain/cube';
import { bestPolicyForWtp, likeForLikeCells, paretoFrontier, ROUTE_OPTIONS, toFrontierPoint, windowDays } from '../../src/domain/frontier';
import { formatPlain, parseUsd, type Pico } from '../../src/domain/money';
import { FLASH, presetPolicies, PRO, replayPolicy } from '../../src/domain/policy';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');

function cell(model: string, jobType: string, requests: number, accepted: number, cost: string, unpriced = 0): CubeCell {
  return {
    model, imageSize: '1K', lane: 'standard', provider: 'google', jobType, requests, images: requests, attempts: requests, billedAttempts: requests,
    billedImages: requests, withFeedback: requests, accepted, unpricedRequests: unpriced, cost: parseUsd(cost),
  };
}

/**
 * One job type, no retries: Flash 1K 10 requests 6 accepted, Pro 1K 10 requests 9 accepted.
 * All Flash: 20 × $0.0672 = $1.344 for 20 × 0.6 = 12 accepted; all Pro: 20 × $0.1344 = $2.688 for 18.
 * Pro buys 6 more accepted images for $1.344: worth it above $1.344 / 6 = $0.224 per accepted image.
 */
const LOG = [cell(FLASH, 'final', 10, 6, '0.672'), cell(PRO, 'final', 10, 9, '1.344')];
const FLASH_OR_PRO = ROUTE_OPTIONS.filter((o) => o.id === 'flash' || o.id === 'pro');

describe('willingness-to-pay policy', () => {
  it('the hand-computed replays behind the example', () => {
    const all = (model: string) => replayPolicy({ id: model, label: model, rules: {}, defaultRule: { model, size: 'as-logged', lane: 'as-logged', escalateTo: null }, maxRetries: {} }, LOG, rates, AT);
    expect(formatPlain(all(FLASH).cost.mid)).toBe('1.344');
    expect(all(FLASH).acceptedImages!.mid).toBeCloseTo(12, 10);
    expect(formatPlain(all(PRO).cost.mid)).toBe('2.688');
    expect(all(PRO).acceptedImages!.mid).toBeCloseTo(18, 10);
  });

  it('switches from Flash to Pro at $1.344 / 6 per accepted image', () => {
    const pick = (wtp: number) => bestPolicyForWtp(LOG, rates, AT, wtp, FLASH_OR_PRO).choices[0]!;
    expect(pick(0.22).option.id).toBe('flash');
    expect(pick(0.22).net).toBeCloseTo(0.22 * 12 - 1.344, 10);
    expect(pick(0.223).option.id).toBe('flash');
    expect(pick(0.225).option.id).toBe('pro');
    const { policy } = bestPolicyForWtp(LOG, rates, AT, 0.5, FLASH_OR_PRO);
    expect(policy.rules.final?.model).toBe(PRO);
  });

  it('skips a route that cannot price every request of the job type', () => {
    // No rate card prices the mystery model: "as logged" leaves its requests unpriced, so it cannot win,
    // even though it would cost nothing.
    const cells = [cell('mystery-model', 'draft', 4, 3, '0'), cell(FLASH, 'draft', 4, 3, '0.2688')];
    const choices = bestPolicyForWtp(cells, rates, AT, 0).choices;
    expect(choices).toHaveLength(1);
    expect(choices[0]!.option.id).toBe('flash-batch'); // cheapest route that prices all 8 requests
    expect(bestPolicyForWtp(cells, rates, AT, 0, ROUTE_OPTIONS.filter((o) => o.id === 'logged')).choices).toHaveLength(0);
  });
});

describe('frontier', () => {
  const point = (policyId: string, cost: string, accepted: number) => ({
    policyId, label: policyId, costPerMonth: { mid: parseUsd(cost), low: parseUsd(cost), high: parseUsd(cost) }, acceptedPerMonth: { mid: accepted, low: accepted, high: accepted },
  });

  it('marks dominated points and sorts the rest by cost', () => {
    const f = paretoFrontier([point('b', '20', 100), point('a', '10', 80), point('c', '25', 90), point('d', '20', 100.5), point('e', '10', 80)]);
    const byId = new Map(f.map((p) => [p.policyId, p]));
    expect(byId.get('c')!.dominatedBy).toBe('b'); // dearer and fewer than b
    expect(byId.get('b')!.dominatedBy).toBe('d'); // same cost, fewer accepted
    // a and e tie exactly: neither dominates the other
    expect([byId.get('a')!.onFrontier, byId.get('e')!.onFrontier, byId.get('d')!.onFrontier]).toEqual([true, true, true]);
    expect(f.filter((p) => p.onFrontier).map((p) => p.policyId)).toEqual(['a', 'e', 'd']);
  });

  it('scales a window to a 30-day month', () => {
    expect(windowDays('2026-06-01', '2026-06-30')).toBe(30);
    expect(windowDays('2026-06-01', '2026-06-10')).toBe(10);
    const r = replayPolicy(presetPolicies([])[1]!, LOG, rates, AT); // all Pro: $2.688, 18 accepted in 10 days
    const p = toFrontierPoint(r, 10)!;
    expect(formatPlain(p.costPerMonth.mid as Pico)).toBe('8.064');
    expect(p.acceptedPerMonth.mid).toBeCloseTo(54, 10);
  });

  it('like for like: a cell unpriced in the log or under any policy leaves every row', () => {
    const cells = [...LOG, cell('mystery-model', 'final', 3, 1, '0', 3), { ...cell(FLASH, 'draft', 2, 1, '0.1344'), imageSize: '4K' }];
    const presets = presetPolicies([]);
    const lf = likeForLikeCells(cells, presets, rates, AT);
    // the mystery model is unpriced in the log; Flash 3.1 4K is priced, and so is every preset's target for it
    expect(lf.excludedRequests).toBe(3);
    expect(lf.cells).toHaveLength(3);
    // with a policy that sends drafts to a model nobody prices, the draft cell drops from every row too
    const toMystery = { id: 'x', label: 'x', rules: { draft: { model: 'mystery-model', size: 'as-logged' as const, lane: 'as-logged' as const, escalateTo: null } }, defaultRule: presets[0]!.defaultRule, maxRetries: {} };
    expect(likeForLikeCells(cells, [...presets, toMystery], rates, AT).excludedRequests).toBe(5);
  });
});
