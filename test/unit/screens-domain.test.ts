import { describe, expect, it } from 'vitest';
import { perImagePrices } from '../../src/domain/scenario';
import { changedFilterKeys } from '../../src/domain/url-state';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');

describe('why a calculator line has no price, in the rate card\'s words', () => {
  it('Pro via kissapi: the entry has only text rates, so "image output has no price" (not "size not offered")', () => {
    for (const size of ['1K', '2K', '4K'] as const) {
      expect(perImagePrices(rates, { model: 'gemini-3-pro-image', provider: 'kissapi', lane: 'standard', size }, AT)).toEqual({ reason: 'image_not_priced' });
    }
  });
  it('Flash via laozhang prices 1K only: 4K is "size not offered"', () => {
    expect(perImagePrices(rates, { model: 'gemini-3.1-flash-image', provider: 'laozhang', lane: 'standard', size: '4K' }, AT)).toEqual({ reason: 'size_not_offered' });
    expect('exact' in perImagePrices(rates, { model: 'gemini-3.1-flash-image', provider: 'laozhang', lane: 'standard', size: '1K' }, AT)).toBe(true);
  });
});

describe('which filters an edit changed (one history entry per edit)', () => {
  it('names the query keys that differ, none when equal', () => {
    expect(changedFilterKeys({}, {})).toEqual([]);
    expect(changedFilterKeys({ lanes: ['batch'] }, { lanes: ['batch'], sizes: ['4K'] })).toEqual(['size']);
    expect(changedFilterKeys({ from: '2026-01-01' }, { from: '2026-01-02' })).toEqual(['from']);
    expect(changedFilterKeys({ models: ['a', 'b'] }, { models: ['b', 'a'] })).toEqual(['model']);
  });
});
