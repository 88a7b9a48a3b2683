import { describe, expect, it } from 'vitest';
import { formatPlain, type Pico } from '../../src/domain/money';
import { editableFields, rateRows, type RateRow } from '../../src/features/rates/rate-rows';
import { bundledRates } from '../support/rates';

const usd = (v: Pico | null) => (v === null ? null : formatPlain(v));
const view = (r: RateRow) => [r.size, r.tokens, usd(r.exact), usd(r.listed), r.perImageField];

describe('rate-card table rows', () => {
  const rates = bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|google|standard|2026-02-01', field: 'per_million_tokens.output_image', value: '150' }] });
  const rows = rateRows(rates);
  const of = (id: string) => rows.filter((r) => r.price.id === id).map(view);

  it('one row per size a token-priced model offers (Pro: no 512), exact = tokens × rate beside the listed figure', () => {
    expect(of('gemini-3-pro-image|google|batch|2026-02-01')).toEqual([
      ['1K', 1120, '0.0672', '0.067', null],
      ['2K', 1120, '0.0672', '0.067', null],
      ['4K', 2000, '0.12', '0.12', null],
    ]);
    expect(of('gemini-2.5-flash-image|google|standard|2026-02-01')).toEqual([['1K', 1290, '0.0387', '0.039', null]]);
  });

  it('an override re-prices the rows and is marked on the entry', () => {
    expect(of('gemini-3-pro-image|google|standard|2026-02-01').map((r) => r[2])).toEqual(['0.168', '0.168', '0.3']);
    expect(rows.find((r) => r.price.id === 'gemini-3-pro-image|google|standard|2026-02-01')!.price.overridden).toEqual(['per_million_tokens.output_image']);
  });

  it('flat per-image prices edit per size; entries without an image price get one row', () => {
    expect(of('gemini-3.1-flash-image|laozhang|standard|2026-03-01')).toEqual([['1K', null, '0.03', '0.03', 'per_image.1K']]);
    expect(of('gemini-3-pro-image|kissapi|standard|2026-06-01')).toEqual([[null, null, null, null, null]]);
  });

  it('every active price entry appears, and the row count matches a count by hand', () => {
    expect(new Set(rows.map((r) => r.price.id))).toEqual(new Set(rates.prices.map((p) => p.id)));
    // google-gemini: Pro 5 entries × 3 sizes + Flash 3 × 4 + 2.5 Flash 3 × 1; gateways 2+3+3+1+1+1; other vendors 9 × 1
    expect(rows.length).toBe(15 + 12 + 3 + (2 + 3 + 3 + 1 + 1 + 1) + 9);
  });

  it('editable fields show current values as decimals', () => {
    const pro = rates.prices.find((p) => p.id === 'gemini-3-pro-image|google|standard|2026-02-01')!;
    expect(editableFields(pro).map((f) => [f.field, f.value])).toEqual([
      ['per_million_tokens.output_image', '150'],
      ['per_million_tokens.input_text', '2'],
      ['per_million_tokens.input_image', '2'],
      ['per_million_tokens.output_text', '12'],
      ['per_input_image', ''],
      ['per_request', ''],
      ['per_grounding_query', ''],
    ]);
  });
});
