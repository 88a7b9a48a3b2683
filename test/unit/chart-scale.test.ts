import { describe, expect, it } from 'vitest';
import { labelEvery, niceTicks } from '../../src/components/chart-scale';

describe('chart axes', () => {
  it('niceTicks covers the range in steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 5022.48)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(niceTicks(0, 0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-120, 480)).toEqual([-200, -100, 0, 100, 200, 300, 400, 500]);
    expect(niceTicks(0, 3)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(0, 3, { whole: true })).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 41_000, { whole: true })).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
  });

  it('an empty or flat range still has an axis; non-finite input gives a default one', () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, Number.NaN)).toEqual([0, 1]);
    expect(niceTicks(0, Number.POSITIVE_INFINITY)).toEqual([0, 1]);
  });

  it('a time axis labels at most twelve buckets, evenly spaced', () => {
    expect(labelEvery(12)).toBe(1);
    expect(labelEvery(13)).toBe(2);
    expect(labelEvery(90)).toBe(8);
    expect(Math.ceil(90 / labelEvery(90))).toBeLessThanOrEqual(12);
  });
});
