import { describe, expect, it } from 'vitest';
import { describeCause } from '../../src/domain/reconcile';
import { filtersForGroup, isTolerance } from '../../src/features/reconcile/reconcile-link';

describe('Reconcile: group links and the tolerance input', () => {
  it('narrows the global filters to the group, keeping the others', () => {
    const base = { lanes: ['batch'], from: '2026-03-01' };
    expect(filtersForGroup(base, 'model', 'gemini-3-pro-image')).toEqual({ ...base, models: ['gemini-3-pro-image'] });
    expect(filtersForGroup(base, 'image_size', '4K')).toEqual({ ...base, sizes: ['4K'] });
    expect(filtersForGroup(base, 'lane', 'standard')).toEqual({ lanes: ['standard'], from: '2026-03-01' });
    expect(filtersForGroup(base, 'day', '2026-04-02')).toEqual({ lanes: ['batch'], from: '2026-04-02', to: '2026-04-02' });
    expect(filtersForGroup(base, 'attribute', 'ads')).toEqual(base);
  });

  it('accepts non-negative USD amounts with at most 12 decimals', () => {
    expect(['0', '0.000001', '0.01', ' 2 ', '0.000000000001'].map(isTolerance)).toEqual([true, true, true, true, true]);
    expect(['', '-0.01', '1e-6', '0.0000000000001', 'abc', '.5'].map(isTolerance)).toEqual([false, false, false, false, false, false]);
  });

  it('names the matched price entry, with its date when the id lacks it', () => {
    const c = { cause: 'other_price' as const, requests: 1, billed: 0n as never, difference: 0n as never };
    expect(describeCause({ ...c, entry: { priceId: 'x|laozhang|standard|2026-07-01', from: '2026-07-01' } })).toBe('a different price in force: x|laozhang|standard|2026-07-01');
    expect(describeCause({ ...c, entry: { priceId: 'custom-7', from: '2026-07-01' } })).toBe('a different price in force: custom-7 (from 2026-07-01)');
    expect(describeCause({ ...c, cause: 'not_billed', entry: null })).toBe('request not billed');
  });
});
