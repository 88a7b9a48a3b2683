import { describe, expect, it } from 'vitest';
import { formatPlain } from '../../src/domain/money';
import { editHistory, priceTimeline } from '../../src/domain/price-history';
import { layerRateCards, resolveRates } from '../../src/domain/rate-card';
import { perImagePrices } from '../../src/domain/scenario';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
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

describe('editing a dated price entry in place', () => {
  const key = { model: 'gemini-3-pro-image', provider: 'laozhang', lane: 'standard' };
  const timeline = priceTimeline(rates, key);
  const [early, late] = timeline;

  it('moves the change date: the entry and the neighbour that adjoined it move together, prices untouched', () => {
    expect(timeline.map((p) => [p.fromDate, p.toDate])).toEqual([['2026-02-01', '2026-07-01'], ['2026-07-01', null]]);
    const card = editHistory(rates, [], key, { kind: 'edit', priceId: late!.id, from: '2026-06-15', to: null }, '2026-12-02');
    const edited = priceTimeline(resolveRates(layerRateCards(readRateCards(bundledRateCardPaths()), [{ name: card.name, card }])), key);
    expect(edited.map((p) => [p.fromDate, p.toDate, formatPlain(p.perImage['1K']!)])).toEqual([
      ['2026-02-01', '2026-06-15', '0.05'],
      ['2026-06-15', null, '0.09'],
    ]);
    const moved = card.prices.find((p) => p.id === late!.id)!;
    expect(moved.checked).toBe('2026-07-01');
    expect(moved.source).toMatch(/; edited on the Rate card screen \(2026-12-02\)$/);
  });

  it('re-prices one entry: only its sizes given change, and it is checked on the day of the edit', () => {
    const card = editHistory(rates, [], key, { kind: 'edit', priceId: early!.id, from: '2026-02-01', to: '2026-07-01', perImage: { '1K': '0.06', '2K': '0.06', '4K': '0.07' } }, '2026-12-02');
    const edited = priceTimeline(resolveRates(layerRateCards(readRateCards(bundledRateCardPaths()), [{ name: card.name, card }])), key);
    expect(edited.map((p) => (['1K', '2K', '4K'] as const).map((s) => formatPlain(p.perImage[s]!)))).toEqual([['0.06', '0.06', '0.07'], ['0.09', '0.09', '0.09']]);
    expect(card.prices.find((p) => p.id === early!.id)!.checked).toBe('2026-12-02');
  });

  it('refuses an entry that ends before it starts; an overlap with an entry that did not adjoin is the rate card\'s to report', () => {
    expect(() => editHistory(rates, [], key, { kind: 'edit', priceId: early!.id, from: '2026-07-01', to: '2026-06-01' }, '2026-12-02')).toThrow(/must end after it starts/);
    const card = editHistory(rates, [], key, { kind: 'edit', priceId: early!.id, from: '2026-02-01', to: '2026-08-01' }, '2026-12-02');
    // The later entry started where this one ended, so it now starts on 2026-08-01 too: no overlap, no gap.
    expect(card.prices.filter((p) => p.model === key.model && p.provider === key.provider).map((p) => [p.from, p.to])).toEqual([
      ['2026-02-01', '2026-08-01'],
      ['2026-08-01', null],
    ]);
  });
});
