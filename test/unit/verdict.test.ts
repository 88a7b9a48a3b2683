import { describe, expect, it } from 'vitest';
import { parseUsd, type Pico } from '../../src/domain/money';
import { breakEvenProRate, cheaperPerAccepted, compareProFlash } from '../../src/domain/verdict';

const usd = (s: string): Pico => parseUsd(s);

describe('Pro-vs-Flash verdict', () => {
  it('Flash cheaper per accepted image even at a lower acceptance; Pro could never pay for itself', () => {
    // Pro: 100 × $0.134 = $13.40, 80 accepted → $0.1675 each. Flash: 100 × $0.067 = $6.70, 60 accepted → $0.11167 each.
    // Break-even a_pro = c_pro / K_flash = 0.134 / (6.70 / 60) = 0.134 / 0.111667 = 1.2 (> 1: never).
    const v = compareProFlash({ withFeedback: 100, accepted: 80, cost: usd('13.40') }, { withFeedback: 100, accepted: 60, cost: usd('6.70') });
    expect(v.cheaper).toBe('flash');
    expect(v.breakEven).toBeCloseTo(1.2, 9);
    expect(v.pro.costPerAccepted).toBe(usd('0.1675'));
    expect(v.flash.costPerAccepted).toBe(usd('0.111666666667'));
    expect(v.pValue).toBeCloseTo(0.00203, 4);
    expect(v.significant).toBe(true);
    expect(v.smallSample).toBe(false);
  });

  it('Pro cheaper when its acceptance clears the break-even rate', () => {
    // Pro: 50 × $0.134 = $6.70, 45 accepted (0.9). Flash: 50 × $0.067 = $3.35, 20 accepted → $0.1675 each.
    // Break-even = 0.134 / 0.1675 = 0.8; at 0.8 Pro costs 0.134 / 0.8 = $0.1675 per accepted image, the same.
    const pro = { withFeedback: 50, accepted: 45, cost: usd('6.70') };
    const flash = { withFeedback: 50, accepted: 20, cost: usd('3.35') };
    expect(breakEvenProRate(pro, flash)).toBeCloseTo(0.8, 9);
    expect(cheaperPerAccepted(pro, flash)).toBe('pro');
    // Exactly at break-even: 40 of 50 accepted gives the same cost per accepted image.
    expect(cheaperPerAccepted({ ...pro, accepted: 40 }, flash)).toBe('tie');
  });

  it('says so instead of claiming when either side has fewer than 30 answers', () => {
    const v = compareProFlash({ withFeedback: 10, accepted: 10, cost: usd('1.34') }, { withFeedback: 200, accepted: 20, cost: usd('13.40') });
    expect(v.smallSample).toBe(true);
    expect(v.significant).toBe(false);
    expect(v.pValue).toBeLessThan(0.05);
  });

  it('an acceptance gap within chance is not significant', () => {
    // 8/10 vs 7/10 scaled ×4: 32/40 vs 28/40, pooled 0.75, z = 0.1 / sqrt(0.1875 × 0.05) = 1.033, p = 0.3017
    const v = compareProFlash({ withFeedback: 40, accepted: 32, cost: usd('5.36') }, { withFeedback: 40, accepted: 28, cost: usd('2.68') });
    expect(v.pValue).toBeCloseTo(0.3017, 3);
    expect(v.significant).toBe(false);
    expect(v.intervalsOverlap).toBe(true);
  });

  it('edge cases: nothing accepted, no feedback, free Flash', () => {
    const pro = { withFeedback: 40, accepted: 10, cost: usd('5.36') };
    expect(breakEvenProRate(pro, { withFeedback: 40, accepted: 0, cost: usd('2.68') })).toBe(0);
    expect(breakEvenProRate({ withFeedback: 0, accepted: 0, cost: usd('0') }, { withFeedback: 40, accepted: 10, cost: usd('2.68') })).toBeNull();
    expect(breakEvenProRate(pro, { withFeedback: 40, accepted: 10, cost: usd('0') })).toBe(Infinity);
    expect(cheaperPerAccepted({ ...pro, accepted: 0 }, { withFeedback: 40, accepted: 0, cost: usd('1') })).toBe('unknown');
    expect(cheaperPerAccepted({ ...pro, accepted: 0 }, { withFeedback: 40, accepted: 1, cost: usd('1') })).toBe('flash');
  });
});
