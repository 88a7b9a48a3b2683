import { describe, expect, it } from 'vitest';
import { formatPlain } from '../../src/domain/money';
import { lookupPrice } from '../../src/domain/pricing';
import { exportRateCard } from '../../src/domain/rate-card-export';
import {
  formatIssue,
  layerRateCards,
  parseRateCard,
  RateCardError,
  resolveRates,
  type RateCard,
  type RateCardIssue,
} from '../../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
import { bundledRates } from '../support/rates';

const CARD = 'my-prices.json';

function baseCard(): RateCard {
  return {
    format: 'pixelspend-rate-card',
    version: 1,
    name: 'Test card',
    models: [{ id: 'acme-image', label: 'Acme Image', family: 'other', image_tokens: { '1K': 1000 } }],
    variant_groups: [
      { id: 'acme-rates', label: 'Acme rates', default: 'low', options: [{ id: 'low', label: 'Low' }, { id: 'high', label: 'High' }] },
    ],
    prices: [
      {
        model: 'acme-image', provider: 'acme', lane: 'standard', from: '2026-01-01', to: '2026-06-01',
        per_million_tokens: { output_image: '10' }, source: 'test', checked: '2026-01-02',
      },
      {
        model: 'acme-image', provider: 'acme', lane: 'standard', from: '2026-06-01', to: null,
        per_image: { '1K': '0.02' }, tokens_included: true, source: 'test', checked: '2026-06-02',
      },
    ],
  };
}

/** Runs schema and resolve checks; returns every issue (empty when the card is good). */
function issuesOf(json: unknown): RateCardIssue[] {
  try {
    resolveRates([{ name: CARD, card: parseRateCard(json, CARD) }]);
    return [];
  } catch (error) {
    if (error instanceof RateCardError) return error.issues;
    throw error;
  }
}

// Bad input on purpose: the card is edited as untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function mutated(change: (card: Json) => void): unknown {
  const card = structuredClone(baseCard()) as unknown as Json;
  change(card);
  return card;
}

describe('bad rate-card input is refused, naming card, entry and field', () => {
  it('accepts the base card', () => {
    expect(issuesOf(baseCard())).toEqual([]);
  });

  it('missing field', () => {
    const issues = issuesOf(mutated((c) => delete c.prices[0].source));
    expect(issues).toEqual([
      { card: CARD, entry: 'prices[0] (acme-image / acme / standard / from 2026-01-01)', field: 'source', message: 'is missing' },
    ]);
    expect(formatIssue(issues[0]!)).toBe('my-prices.json: prices[0] (acme-image / acme / standard / from 2026-01-01), source: is missing');
  });

  it('missing top-level field', () => {
    expect(issuesOf(mutated((c) => delete c.name))).toEqual([{ card: CARD, entry: 'top level', field: 'name', message: 'is missing' }]);
  });

  it('negative prices, in token rates and per image', () => {
    const issues = issuesOf(
      mutated((c) => {
        c.prices[0].per_million_tokens.output_image = '-10';
        c.prices[1].per_image['1K'] = '-0.02';
      }),
    );
    expect(issues).toEqual([
      { card: CARD, entry: 'prices[0] (acme-image / acme / standard / from 2026-01-01)', field: 'per_million_tokens.output_image', message: 'must not be negative (got "-10")' },
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'per_image.1K', message: 'must not be negative (got "-0.02")' },
    ]);
  });

  it('a price written as a number, not a decimal string', () => {
    const [issue] = issuesOf(mutated((c) => (c.prices[1].per_image['1K'] = 0.02)));
    expect(issue).toMatchObject({ entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'per_image.1K' });
    expect(issue!.message).toContain('decimal strings');
  });

  it('too many decimals for a per-million rate', () => {
    const [issue] = issuesOf(mutated((c) => (c.prices[0].per_million_tokens.output_image = '1.1234567')));
    expect(issue).toMatchObject({ field: 'per_million_tokens.output_image' });
    expect(issue!.message).toBe('"1.1234567" is not in the expected form (a non-negative decimal with at most 6 decimals)');
  });

  it('overlapping date ranges for the same model / provider / lane', () => {
    const issues = issuesOf(mutated((c) => (c.prices[0].to = '2026-07-01')));
    expect(issues).toEqual([
      {
        card: CARD,
        entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)',
        field: 'from',
        message:
          '2026-06-01–open end overlaps prices[0] (acme-image / acme / standard / from 2026-01-01) of my-prices.json (2026-01-01–2026-07-01) for the same acme-image / acme / standard',
      },
    ]);
  });

  it('an open-ended entry overlaps any later one; other lanes and providers do not collide', () => {
    expect(issuesOf(mutated((c) => (c.prices[0].to = null)))).toHaveLength(1);
    expect(issuesOf(mutated((c) => ((c.prices[0].to = null), (c.prices[1].lane = 'batch'))))).toEqual([]);
    expect(issuesOf(mutated((c) => ((c.prices[0].to = null), (c.prices[1].provider = 'other'))))).toEqual([]);
  });

  it('unknown lane', () => {
    expect(issuesOf(mutated((c) => (c.prices[1].lane = 'turbo')))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / turbo / from 2026-06-01)', field: 'lane', message: '"turbo" is not one of standard, batch, flex, priority' },
    ]);
  });

  it('malformed dates: wrong form, impossible day, bad checked date', () => {
    expect(issuesOf(mutated((c) => (c.prices[0].from = '01/02/2026')))).toEqual([
      { card: CARD, entry: 'prices[0] (acme-image / acme / standard / from 01/02/2026)', field: 'from', message: '"01/02/2026" is not in the expected form (YYYY-MM-DD)' },
    ]);
    expect(issuesOf(mutated((c) => (c.prices[0].to = '2026-02-30')))).toEqual([
      { card: CARD, entry: 'prices[0] (acme-image / acme / standard / from 2026-01-01)', field: 'to', message: '"2026-02-30" is not a date (YYYY-MM-DD)' },
    ]);
    expect(issuesOf(mutated((c) => (c.prices[1].checked = '2026-13-01')))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'checked', message: '"2026-13-01" is not a date (YYYY-MM-DD)' },
    ]);
  });

  it('to on or before from', () => {
    expect(issuesOf(mutated((c) => (c.prices[0].to = '2026-01-01')))).toEqual([
      { card: CARD, entry: 'prices[0] (acme-image / acme / standard / from 2026-01-01)', field: 'to', message: 'must be after from (2026-01-01); got 2026-01-01' },
    ]);
  });

  it('unknown model', () => {
    expect(issuesOf(mutated((c) => (c.prices[1].model = 'acme-imagee')))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-imagee / acme / standard / from 2026-06-01)', field: 'model', message: '"acme-imagee" is not a model defined in any loaded rate card' },
    ]);
  });

  it('bad variant: unknown group, unknown option, default not an option', () => {
    expect(issuesOf(mutated((c) => (c.prices[1].variant = { group: 'nope', option: 'low' })))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'variant.group', message: 'no variant group "nope"' },
    ]);
    expect(issuesOf(mutated((c) => (c.prices[1].variant = { group: 'acme-rates', option: 'mid' })))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'variant.option', message: '"mid" is not an option of "acme-rates"' },
    ]);
    expect(issuesOf(mutated((c) => (c.variant_groups[0].default = 'mid')))).toEqual([
      { card: CARD, entry: 'variant_groups (acme-rates)', field: 'default', message: '"mid" is not one of its options' },
    ]);
  });

  it('unknown size, unknown field, and a price with nothing to charge', () => {
    expect(issuesOf(mutated((c) => (c.prices[1].per_image = { '8K': '1' })))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'per_image.8K', message: '"8K" is not one of 512, 1K, 2K, 4K' },
    ]);
    expect(issuesOf(mutated((c) => (c.prices[1].price = '1')))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'price', message: 'is not a known field' },
    ]);
    expect(issuesOf(mutated((c) => ((c.prices[1].per_image = undefined), (c.prices[1].tokens_included = undefined))))).toEqual([
      { card: CARD, entry: 'prices[1] (acme-image / acme / standard / from 2026-06-01)', field: 'per_image', message: 'a price needs per_image prices or per_million_tokens rates' },
    ]);
  });

  it('every problem is reported at once, not only the first', () => {
    const issues = issuesOf(
      mutated((c) => {
        delete c.prices[0].checked;
        c.prices[1].lane = 'fast';
      }),
    );
    expect(issues.map((i) => `${i.entry.slice(0, 9)} ${i.field}`)).toEqual(['prices[0] checked', 'prices[1] lane']);
  });

  it('an override with a bad value is refused naming the price and field', () => {
    const card = parseRateCard(baseCard(), CARD);
    const id = 'acme-image|acme|standard|2026-06-01';
    expect(() => resolveRates([{ name: CARD, card }], { overrides: [{ priceId: id, field: 'per_image.1K', value: '-1' }] })).toThrow(
      'my-prices.json: prices[1] (acme-image / acme / standard / from 2026-06-01), per_image.1K: must not be negative (got "-1")',
    );
    expect(() => resolveRates([{ name: CARD, card }], { overrides: [{ priceId: id, field: 'per_image.1K', value: 'abc' }] })).toThrow(
      'per_image.1K: "abc" is not a non-negative decimal',
    );
  });
});

describe('user cards over the bundled ones', () => {
  const bundled = readRateCards(bundledRateCardPaths());
  const AT = Date.parse('2026-08-01T00:00:00Z');

  it('a user card takes over the model / provider / lane it prices and leaves the rest', () => {
    const user: RateCard = {
      format: 'pixelspend-rate-card', version: 1, name: 'cheaper openrouter',
      prices: [{ model: 'gemini-3-pro-image', provider: 'openrouter', lane: 'standard', from: '2026-01-01', per_image: { '1K': '0.12' }, tokens_included: true, source: 'me', checked: '2026-08-01' }],
    };
    expect(() => resolveRates([...bundled, { name: 'user.json', card: user }])).toThrow(RateCardError);
    const rates = resolveRates(layerRateCards(bundled, [{ name: 'user.json', card: user }]));
    const found = lookupPrice(rates, { model: 'gemini-3-pro-image', provider: 'openrouter', lane: 'standard', timestamp: AT });
    expect(formatPlain(found.price!.perImage['1K']!)).toBe('0.12');
    expect(found.price!.card).toBe('user.json');
    expect(rates.prices.length).toBe(bundledRates().prices.length);
  });
});

describe('export of the active card', () => {
  const overrides = [
    { priceId: 'gemini-3-pro-image|google|standard|2026-02-01', field: 'per_million_tokens.output_image', value: '150' },
    { priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.4K', value: '0.11' },
  ];
  const variants = { 'flash-3.1-input-text-rates': 'documented' };
  const active = bundledRates({ overrides, variants });
  const exported = exportRateCard(active, 'Exported');
  const text = JSON.stringify(exported, null, 2);

  /** Prices without the card they came from and the override marks, incl. the entry as it was before them (an export bakes them in). */
  const comparable = (rates: typeof active) =>
    rates.prices.map((p) => ({ ...p, card: '', overridden: [], note: null, variant: null, beforeOverrides: undefined })).sort((a, b) => a.id.localeCompare(b.id));

  it('passes the schema and resolves alone to the same prices, models and aliases', () => {
    const card = parseRateCard(JSON.parse(text), 'exported.json');
    const back = resolveRates([{ name: 'exported.json', card }]);
    expect(comparable(back)).toEqual(comparable(active));
    expect(back.models).toEqual(active.models);
    expect(back.aliases).toEqual(active.aliases);
  });

  it('bakes in overrides and the chosen variant', () => {
    const pro = exported.prices.find((p) => p.id === 'gemini-3-pro-image|google|standard|2026-02-01')!;
    expect(pro.per_million_tokens?.output_image).toBe('150');
    expect(pro.note).toContain('Manual override of per_million_tokens.output_image');
    const flash = exported.prices.filter((p) => p.model === 'gemini-3.1-flash-image' && p.provider === 'google' && p.lane === 'standard');
    expect(flash.map((p) => p.per_million_tokens?.input_text)).toEqual(['0.25']);
  });

  it('loads back over the bundled cards cleanly, with the saved overrides still applying', () => {
    const card = parseRateCard(JSON.parse(text), 'exported.json');
    const back = resolveRates(layerRateCards(bundled(), [{ name: 'exported.json', card }]), { overrides, variants });
    expect(comparable(back)).toEqual(comparable(active));
  });
});

function bundled() {
  return readRateCards(bundledRateCardPaths());
}
