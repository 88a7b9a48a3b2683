import { describe, expect, it } from 'vitest';
import { formatPlain } from '../../src/domain/money';
import { ratePerMillion } from '../../src/domain/rate-card';
import { activeRatesFor, resolveActiveRates } from '../../src/hooks/use-active-rates';

const PRO = 'gemini-3-pro-image|google|standard|2026-02-01';
const rateOf = (rates: NonNullable<ReturnType<typeof activeRatesFor>['rates']>) =>
  formatPlain(ratePerMillion(rates.prices.find((p) => p.id === PRO)!.tokenRates.output_image!));

describe('active rates in the app', () => {
  it('a bad input keeps the last good rates in use and lists the problems', () => {
    const good = activeRatesFor({ userCards: [], variants: {}, overrides: [{ priceId: PRO, field: 'per_million_tokens.output_image', value: '150' }] });
    expect(good.issues).toEqual([]);
    expect(rateOf(good.rates!)).toBe('150');

    const bad = activeRatesFor({ userCards: [{ name: 'broken.json', json: { format: 'pixelspend-rate-card', version: 1, name: 'x', prices: [{}] } }], variants: {}, overrides: [] });
    expect(bad.rates).toBe(good.rates);
    expect(bad.issues.map((i) => `${i.card}: ${i.entry}, ${i.field}`)).toContain('broken.json: prices[0], model');
  });

  it('resolveActiveRates alone reports and returns no rates', () => {
    const r = resolveActiveRates({ userCards: [], variants: {}, overrides: [{ priceId: PRO, field: 'per_million_tokens.output_image', value: '-1' }] });
    expect(r.rates).toBeNull();
    expect(r.issues[0]).toMatchObject({ card: 'google-gemini.json', field: 'per_million_tokens.output_image', message: 'must not be negative (got "-1")' });
  });
});
