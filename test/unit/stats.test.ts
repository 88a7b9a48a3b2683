import { describe, expect, it } from 'vitest';
import { twoProportionPValue, wilsonInterval } from '../../src/domain/stats';

describe('Wilson interval', () => {
  it('matches hand-computed values', () => {
    // 8 of 10, z = 1.96: centre (0.8 + 0.19208)/1.38416 = 0.716737, half-width 0.222951
    const ci = wilsonInterval(8, 10);
    expect(ci.low).toBeCloseTo(0.4902, 4);
    expect(ci.high).toBeCloseTo(0.9433, 4);
  });
  it('stays inside [0, 1] at the edges and is uninformative at n = 0', () => {
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
  it('two-proportion test separates a clear difference from noise', () => {
    expect(twoProportionPValue(80, 100, 60, 100)!).toBeLessThan(0.01);
    expect(twoProportionPValue(8, 10, 7, 10)!).toBeGreaterThan(0.5);
    // z = 0.2 / sqrt(0.7 * 0.3 * 0.02) = 3.086, two-sided p = 0.00203
    expect(twoProportionPValue(80, 100, 60, 100)!).toBeCloseTo(0.00203, 4);
  });
});
