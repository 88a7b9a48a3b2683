import { describe, expect, it } from 'vitest';
import { formatPlain, mulPico, parseUsd, type Pico } from '../../src/domain/money';
import { exactPerImage, lookupPrice, priceRequest, type PricingRequest } from '../../src/domain/pricing';
import type { ImageSize } from '../../src/domain/rate-card';
import { bundledRates } from '../support/rates';

// Every per-image price and published table in shared/pricing-facts.md, reproduced from the
// bundled rate cards. Token math is checked exactly; a publisher's rounded figure is checked
// against the listed price and within the publisher's rounding of the exact one.
const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');

function price(model: string, lane: string, provider = 'google') {
  const found = lookupPrice(rates, { model, provider, lane, timestamp: AT });
  if (!found.price) throw new Error(`${model}/${provider}/${lane}: ${found.reason}`);
  return found.price;
}

function exact(model: string, lane: string, size: ImageSize, provider = 'google'): string {
  const p = price(model, lane, provider);
  return formatPlain(exactPerImage(p, rates.models.get(p.model)!.imageTokens, size)!);
}

function listed(model: string, lane: string, size: ImageSize, provider = 'google'): string {
  return formatPlain(price(model, lane, provider).listedPerImage[size]!);
}

/** |exact − listed| ≤ half a unit of the listed figure's last decimal place. */
function withinRounding(exactText: string, listedText: string): boolean {
  const decimals = listedText.split('.')[1]?.length ?? 0;
  const halfUnit = parseUsd(`0.${'0'.repeat(decimals)}5`);
  const diff = parseUsd(exactText) - parseUsd(listedText);
  return (diff < 0n ? -diff : diff) <= halfUnit;
}

const monthly = (perImage: Pico, perDay: number) => formatPlain(mulPico(perImage, perDay * 30));

describe('published per-image prices', () => {
  const cases: [model: string, lane: string, size: ImageSize, exact: string, listed: string][] = [
    ['gemini-3.1-flash-image', 'standard', '512', '0.04482', '0.045'],
    ['gemini-3.1-flash-image', 'standard', '1K', '0.0672', '0.067'],
    ['gemini-3.1-flash-image', 'standard', '2K', '0.1008', '0.101'],
    ['gemini-3.1-flash-image', 'standard', '4K', '0.1512', '0.151'],
    ['gemini-3.1-flash-image', 'batch', '512', '0.02241', '0.022'],
    ['gemini-3.1-flash-image', 'batch', '1K', '0.0336', '0.034'],
    ['gemini-3.1-flash-image', 'batch', '2K', '0.0504', '0.05'],
    ['gemini-3.1-flash-image', 'batch', '4K', '0.0756', '0.076'],
    ['gemini-3-pro-image', 'standard', '1K', '0.1344', '0.134'],
    ['gemini-3-pro-image', 'standard', '2K', '0.1344', '0.134'],
    ['gemini-3-pro-image', 'standard', '4K', '0.24', '0.24'],
    ['gemini-3-pro-image', 'batch', '1K', '0.0672', '0.067'],
    ['gemini-3-pro-image', 'batch', '2K', '0.0672', '0.067'],
    ['gemini-3-pro-image', 'batch', '4K', '0.12', '0.12'],
    ['gemini-3-pro-image', 'flex', '4K', '0.12', '0.12'],
    ['gemini-2.5-flash-image', 'standard', '1K', '0.0387', '0.039'],
  ];
  it.each(cases)('%s %s %s: exact $%s, listed $%s', (model, lane, size, exactText, listedText) => {
    expect(exact(model, lane, size)).toBe(exactText);
    expect(listed(model, lane, size)).toBe(listedText);
    expect(withinRounding(exactText, listedText)).toBe(true);
  });

  it('2.5 Flash Image batch: $0.0195 is half the rounded $0.039, not the rounded exact $0.01935', () => {
    expect(exact('gemini-2.5-flash-image', 'batch', '1K')).toBe('0.01935');
    expect(listed('gemini-2.5-flash-image', 'batch', '1K')).toBe('0.0195');
    expect(withinRounding('0.01935', '0.0195')).toBe(false);
    expect(formatPlain(parseUsd('0.039') / 2n as Pico)).toBe('0.0195');
  });

  it('sizes a model does not offer have no price', () => {
    const pro = price('gemini-3-pro-image', 'standard');
    expect(exactPerImage(pro, rates.models.get('gemini-3-pro-image')!.imageTokens, '512')).toBeNull();
    const legacy = price('gemini-2.5-flash-image', 'standard');
    expect(exactPerImage(legacy, rates.models.get('gemini-2.5-flash-image')!.imageTokens, '2K')).toBeNull();
  });

  it('other vendors per image', () => {
    const vendors: [string, string, string][] = [
      ['gpt-image-1-low', 'openai', '0.011'], ['gpt-image-1-medium', 'openai', '0.042'], ['gpt-image-1-high', 'openai', '0.167'],
      ['gpt-image-1-mini-high', 'openai', '0.036'], ['dall-e-3', 'openai', '0.04'], ['dall-e-3-hd', 'openai', '0.08'],
      ['imagen-4-fast', 'google', '0.02'], ['imagen-4', 'google', '0.04'], ['imagen-4-ultra', 'google', '0.06'],
    ];
    for (const [model, provider, perImage] of vendors) expect(exact(model, 'standard', '1K', provider)).toBe(perImage);
  });

  it('gateways and resellers: their own prices, laozhang re-priced on its change date', () => {
    expect(exact('gemini-3-pro-image', 'standard', '1K', 'openrouter')).toBe('0.14');
    // OpenRouter ≈ official × 1.055: 0.1344 × 1.055 = 0.141792, published as "about $0.14"
    expect(withinRounding('0.141792', '0.14')).toBe(true);
    const before = lookupPrice(rates, { model: 'gemini-3-pro-image-preview', provider: 'laozhang', lane: 'standard', timestamp: Date.parse('2026-06-30T23:59:59Z') });
    const after = lookupPrice(rates, { model: 'gemini-3-pro-image-preview', provider: 'laozhang', lane: 'standard', timestamp: Date.parse('2026-07-01T00:00:00Z') });
    expect(formatPlain(before.price!.perImage['1K']!)).toBe('0.05');
    expect(formatPlain(after.price!.perImage['1K']!)).toBe('0.09');
    expect(exact('gemini-3.1-flash-image', 'standard', '1K', 'laozhang')).toBe('0.03');
    // "a 63% discount": 1 − 0.05 / 0.134
    expect(Math.round((1 - 0.05 / 0.134) * 100)).toBe(63);
  });
});

describe('published tables', () => {
  const flashListed = (size: ImageSize) => price('gemini-3.1-flash-image', 'standard').listedPerImage[size]!;
  it.each([
    [100, '135', '201', '303', '453'],
    [1000, '1350', '2010', '3030', '4530'],
    [10000, '13500', '20100', '30300', '45300'],
  ])('Flash 3.1 monthly at %i images/day (list prices × 30)', (perDay, s512, s1k, s2k, s4k) => {
    expect([monthly(flashListed('512'), perDay), monthly(flashListed('1K'), perDay), monthly(flashListed('2K'), perDay), monthly(flashListed('4K'), perDay)]).toEqual([
      s512, s1k, s2k, s4k,
    ]);
  });

  it('exact token math for 1K × 1,000/day is $2,016', () => {
    const p = price('gemini-3.1-flash-image', 'standard');
    expect(monthly(exactPerImage(p, rates.models.get(p.model)!.imageTokens, '1K')!, 1000)).toBe('2016');
  });

  it('1,000 Flash 1K/day: standard $2,010 vs batch $1,020, saves about $990', () => {
    const std = mulPico(flashListed('1K'), 30_000);
    const batch = mulPico(price('gemini-3.1-flash-image', 'batch').listedPerImage['1K']!, 30_000);
    expect([formatPlain(std), formatPlain(batch), formatPlain((std - batch) as Pico)]).toEqual(['2010', '1020', '990']);
  });

  it('10,000 Pro images a month: $1,340 standard', () => {
    expect(formatPlain(mulPico(price('gemini-3-pro-image', 'standard').listedPerImage['1K']!, 10_000))).toBe('1340');
  });

  it('1K vs 4K: $84 a month apart at 1,000 images, $840 at 10,000', () => {
    const gap = (flashListed('4K') - flashListed('1K')) as Pico;
    expect(formatPlain(mulPico(gap, 1000))).toBe('84');
    expect(formatPlain(mulPico(gap, 10_000))).toBe('840');
  });
});

describe('one request, every meter', () => {
  const base: PricingRequest = {
    timestamp: AT, model: 'models/gemini-3-pro-image-preview', provider: 'google', lane: 'standard', imageSize: '2K',
    images: 2, billedAttempts: 3, inputTokens: 1000, inputImages: 1, outputTextTokens: 500, outputImageTokens: null, groundingQueries: 0,
  };
  it('Pro 2K, two images, three billed attempts, with input text, an input image and text output', () => {
    const r = priceRequest(base, rates);
    if (!r.priced) throw new Error(r.reason);
    // image 2 × 1120 × $120/1M = $0.2688; input 1000 × $2/1M + 560 × $2/1M = $0.00312; text 500 × $12/1M = $0.006
    expect(formatPlain(r.attempt.image)).toBe('0.2688');
    expect(formatPlain(r.attempt.input)).toBe('0.00312');
    expect(formatPlain(r.attempt.text)).toBe('0.006');
    expect(formatPlain(r.attemptCost)).toBe('0.27792');
    expect(formatPlain(r.cost)).toBe('0.83376');
    expect(formatPlain(r.retryCost)).toBe('0.55584');
    expect(r.model).toBe('gemini-3-pro-image');
  });
  it('logged output image tokens override the size table', () => {
    const r = priceRequest({ ...base, outputImageTokens: 1000, inputTokens: 0, inputImages: 0, outputTextTokens: 0, billedAttempts: 1 }, rates);
    expect(r.priced && formatPlain(r.cost)).toBe('0.12');
  });
  it.each([
    [{ model: 'gemini-9-ultra-image' }, 'unknown_model'],
    [{ model: 'gemini-3.1-flash-lite-image-preview' }, 'model_not_priced'],
    [{ provider: 'acme-gateway' }, 'provider_not_priced'],
    [{ provider: 'openrouter', lane: 'batch' }, 'lane_not_offered'],
    [{ timestamp: Date.parse('2025-06-01T00:00:00Z') }, 'no_price_on_date'],
    [{ imageSize: '512' }, 'size_not_offered'],
    [{ provider: 'kissapi' }, 'image_not_priced'],
    [{ groundingQueries: 2 }, 'meter_not_priced'],
  ] as const)('unpriced: %o → %s', (patch, reason) => {
    const r = priceRequest({ ...base, ...patch }, rates);
    expect(r.priced ? 'priced' : r.reason).toBe(reason);
  });
});

// The published tables use rounded list prices; these are the exact figures the product shows
// beside them, and where the facts contradict themselves.
describe('exact counterparts of the published tables', () => {
  const exactOf = (model: string, lane: string, size: ImageSize) => {
    const p = price(model, lane);
    return exactPerImage(p, rates.models.get(p.model)!.imageTokens, size)!;
  };

  it('1,000 Flash 1K/day: exact standard $2,016 vs batch $1,008 saves $1,008 (published: about $990)', () => {
    const std = mulPico(exactOf('gemini-3.1-flash-image', 'standard', '1K'), 30_000);
    const batch = mulPico(exactOf('gemini-3.1-flash-image', 'batch', '1K'), 30_000);
    expect([formatPlain(std), formatPlain(batch), formatPlain((std - batch) as Pico)]).toEqual(['2016', '1008', '1008']);
  });

  it('10,000 Pro images: exact $1,344 (published $1,340)', () => {
    expect(formatPlain(mulPico(exactOf('gemini-3-pro-image', 'standard', '1K'), 10_000))).toBe('1344');
  });

  it('1K vs 4K at 1,000 Flash images: exact $84 too (0.1512 − 0.0672 = 0.084)', () => {
    const gap = (exactOf('gemini-3.1-flash-image', 'standard', '4K') - exactOf('gemini-3.1-flash-image', 'standard', '1K')) as Pico;
    expect(formatPlain(mulPico(gap, 1000))).toBe('84');
  });

  it('Flash 3.1 monthly table at exact prices, 1,000/day: $1,344.60 / $2,016 / $3,024 / $4,536', () => {
    expect((['512', '1K', '2K', '4K'] as const).map((s) => formatPlain(mulPico(exactOf('gemini-3.1-flash-image', 'standard', s), 30_000)))).toEqual([
      '1344.6', '2016', '3024', '4536',
    ]);
  });

  it('OpenRouter "about $0.14" is not Google token math: 0.1344 × 1.055 = 0.141792', () => {
    expect(formatPlain(mulPico(exactOf('gemini-3-pro-image', 'standard', '1K'), 1055) / 1000n as Pico)).toBe('0.141792');
  });

  it('Pro input image: 560 tokens × $2/1M = $0.00112 (references round it to about $0.0011)', () => {
    const p = price('gemini-3-pro-image', 'standard');
    expect(formatPlain(mulPico(p.tokenRates.input_image!, rates.models.get(p.model)!.inputImageTokens!))).toBe('0.00112');
  });
});
