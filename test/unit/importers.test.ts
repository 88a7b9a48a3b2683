import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPriceFile } from '../../src/domain/importers/detect';
import { scaledDecimal } from '../../src/domain/importers/decimal';
import type { ImportNote, ImportOptions } from '../../src/domain/importers/import-result';
import { importLitellm, litellmProvider } from '../../src/domain/importers/litellm';
import { importOpenrouter } from '../../src/domain/importers/openrouter';
import { formatPlain } from '../../src/domain/money';
import { exactPerImage, lookupPrice } from '../../src/domain/pricing';
import { layerRateCards, parseRateCard, RateCardError, resolveRates, type ImageSize } from '../../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
import { bundledRates } from '../support/rates';

const fixture = (name: string): unknown => JSON.parse(readFileSync(`test/fixtures/importers/${name}`, 'utf8'));
const known = bundledRates().aliases;
const options = (name: string): ImportOptions => ({ name, checked: '2026-11-22', from: '2026-01-01', knownModels: known });
const notesFor = (notes: ImportNote[], entry: string) => notes.filter((n) => n.entry === entry).map((n) => `${n.field}: ${n.message}`);
const AT = Date.parse('2026-08-01T00:00:00Z');

/** The imported card laid over the bundled ones, as the app does it. */
function resolvedWith(card: unknown, name: string) {
  return resolveRates(layerRateCards(readRateCards(bundledRateCardPaths()), [{ name, card: parseRateCard(card, name) }]));
}

function perImage(rates: ReturnType<typeof resolvedWith>, model: string, provider: string, size: ImageSize): string | null {
  const found = lookupPrice(rates, { model, provider, lane: 'standard', timestamp: AT });
  if (!found.price) return found.reason;
  const value = exactPerImage(found.price, rates.models.get(found.model)!.imageTokens, size);
  return value === null ? null : formatPlain(value);
}

describe('exact decimals from JSON numbers', () => {
  it.each([
    [1.2e-5, 6, '12'], [2.5e-7, 6, '0.25'], [0.00012, 6, '120'], ['0.0000005', 6, '0.5'], [3e-8, 6, '0.03'],
    [0.134, 0, '0.134'], [1.2345678e-7, 6, '0.12345678'], ['12', 0, '12'], [0, 6, '0'], ['1e3', 0, '1000'],
  ])('%s × 10^%i = %s', (value, shift, want) => expect(scaledDecimal(value, shift)).toBe(want));
  it.each([['-1'], ['abc'], [Number.NaN], [null], ['']])('%s is refused', (value) => expect(scaledDecimal(value)).toBeNull());
});

describe("LiteLLM's model_prices_and_context_window.json", () => {
  const result = importLitellm(fixture('litellm-prices.json'), options('litellm-prices.json'));

  it('passes the rate-card schema and resolves over the bundled cards', () => {
    expect(() => parseRateCard(result.card, 'litellm-prices.json')).not.toThrow();
    expect(() => resolvedWith(result.card, 'litellm-prices.json')).not.toThrow();
  });

  it('imports Gemini image models onto the known canonical ids, per token, with providers renamed', () => {
    const keys = result.card.prices.map((p) => `${p.model} / ${p.provider} / ${p.lane}`);
    expect(keys).toEqual([
      'gemini-3-pro-image / google / standard',
      'gemini-3-pro-image / vertex / standard',
      'gemini-3.1-flash-image / google / standard',
      'gemini-2.5-flash-image / google / standard',
      'gpt-image-1 / openai / standard',
    ]);
    const pro = result.card.prices[0]!;
    expect(pro.per_million_tokens).toEqual({ input_text: '2', input_image: '2', output_text: '12', output_image: '120' });
    expect(pro.per_input_image).toBe('0.0011');
    expect(pro.from).toBe('2026-01-01');
    expect(pro.checked).toBe('2026-11-22');
    expect(pro.source).toContain('gemini/gemini-3-pro-image-preview');
    expect(result.card.models?.map((m) => m.id)).toEqual(['gpt-image-1']);
    expect(litellmProvider('vertex_ai-image-models')).toBe('vertex');
  });

  it('per-size cost comes from the bundled tokens table: Pro 1K $0.1344 and 4K $0.24, Flash 512 $0.04482', () => {
    const rates = resolvedWith(result.card, 'litellm-prices.json');
    expect(perImage(rates, 'gemini-3-pro-image', 'google', '1K')).toBe('0.1344');
    expect(perImage(rates, 'gemini-3-pro-image', 'google', '4K')).toBe('0.24');
    expect(perImage(rates, 'gemini-3.1-flash-image', 'google', '512')).toBe('0.04482');
    // gpt-image-1 has no tokens-per-image table: unpriced, not guessed
    expect(perImage(rates, 'gpt-image-1', 'openai', '1K')).toBeNull();
    // batch stays as bundled
    const batch = lookupPrice(rates, { model: 'gemini-3-pro-image', provider: 'google', lane: 'batch', timestamp: AT });
    expect(batch.price?.card).toBe('google-gemini.json');
  });

  it('lists what it cannot express instead of guessing', () => {
    expect(notesFor(result.notes, 'gemini/gemini-3-pro-image-preview')).toEqual([
      'input_cost_per_token_above_200k_tokens: a long-context tier: rate cards have one rate per meter; not imported (0.000004)',
      "output_cost_per_image: $0.134 per image has no resolution; the image-token rate is used with the model's tokens-per-size table instead",
      "output_cost_per_image_token: LiteLLM has no per-resolution prices: each size's cost is tokens per image (from the gemini-3-pro-image model card) × $120 per 1M",
      'output_cost_per_token_batches: batch token rates without a batch image-output rate: no batch price imported (batch prices stay as they were)',
    ]);
    expect(notesFor(result.notes, 'vertex_ai/imagen-4.0-generate-001')).toEqual([
      'output_cost_per_image: $0.04 per image has no resolution, and a rate card prices each size: not imported (add per_image.<size> by hand)',
      ': no image-output price a rate card can use: imagen-4 / vertex not imported',
    ]);
    expect(notesFor(result.notes, 'standard/1024-x-1024/dall-e-3')[0]).toContain('input_cost_per_pixel: a per-pixel price');
    expect(notesFor(result.notes, 'fal_ai/fal-ai/tiny-image')[0]).toBe(
      'output_cost_per_image_token: $0.12345678 per 1M tokens has more than 6 decimals: a rate card cannot hold it exactly, not imported',
    );
    expect(notesFor(result.notes, 'gpt-image-1')).toContain(
      'image_tokens: no tokens-per-image table for "gpt-image-1": requests are unpriced (size not offered) until you add image_tokens to the model',
    );
    expect(notesFor(result.notes, '')).toEqual([
      'mode: 1 entry is not an image-generation model: skipped',
      'from: The file has no effective dates: every imported price applies from 2026-01-01; earlier requests find no imported price.',
    ]);
  });

  it('without known models, it defines its own (and says they have no tokens table)', () => {
    const alone = importLitellm(fixture('litellm-prices.json'), { ...options('x.json'), knownModels: undefined });
    expect(alone.card.models?.map((m) => m.id)).toEqual(['gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview', 'gemini-2.5-flash-image', 'gpt-image-1']);
    expect(() => resolveRates([{ name: 'x.json', card: parseRateCard(alone.card, 'x.json') }])).not.toThrow();
  });
});

describe("OpenRouter's /api/v1/models", () => {
  const result = importOpenrouter(fixture('openrouter-models.json'), options('openrouter-models.json'));

  it('imports the image-output models as the gateway own prices', () => {
    expect(result.card.prices.map((p) => `${p.model} / ${p.provider}`)).toEqual([
      'gemini-3-pro-image / openrouter',
      'gemini-3.1-flash-image / openrouter',
      'gpt-5-image-mini / openrouter',
    ]);
    expect(result.card.prices[1]!.per_million_tokens).toEqual({ input_text: '0.5', output_text: '3', output_image: '60', input_image: '0.5' });
    const mini = result.card.prices[2]!;
    expect([mini.per_input_image, mini.per_grounding_query, mini.per_million_tokens?.output_image]).toEqual(['0.0000025', '0.01', '8']);
  });

  it('re-prices OpenRouter Pro 1K from the bundled $0.14 to token math, $0.1344', () => {
    expect(perImage(bundledRates(), 'gemini-3-pro-image', 'openrouter', '1K')).toBe('0.14');
    const rates = resolvedWith(result.card, 'openrouter-models.json');
    expect(perImage(rates, 'gemini-3-pro-image', 'openrouter', '1K')).toBe('0.1344');
    expect(perImage(rates, 'gemini-3-pro-image', 'openrouter', '4K')).toBe('0.24');
  });

  it('notes variable prices, reasoning and cache meters, skipped text models', () => {
    expect(notesFor(result.notes, 'openrouter/image-router')).toEqual([
      'prompt, completion, image_output: variable price (-1, set by the routed provider at request time): not imported',
    ]);
    expect(notesFor(result.notes, 'google/gemini-3.1-flash-image-preview')[0]).toBe(
      'pricing.internal_reasoning: reasoning tokens at their own rate: rate cards bill them as text output; not imported (0.000003)',
    );
    expect(notesFor(result.notes, 'google/gemini-3-pro-image-preview')[0]).toBe('pricing.input_cache_read: a meter rate cards do not have; not imported (0.0000002)');
    expect(notesFor(result.notes, '')[0]).toBe('architecture.output_modalities: 1 model does not output images: skipped');
  });
});

describe('a loaded file is recognised by its shape', () => {
  it('rate card, LiteLLM, OpenRouter', () => {
    const card = JSON.parse(readFileSync('data/rate-cards/other-vendors.json', 'utf8'));
    expect(readPriceFile(card, options('other-vendors.json')).source).toBe('pixelspend');
    expect(readPriceFile(fixture('litellm-prices.json'), options('a.json')).source).toBe('litellm');
    expect(readPriceFile(fixture('openrouter-models.json'), options('b.json')).source).toBe('openrouter');
  });

  it('anything else is refused with the schema message', () => {
    expect(() => readPriceFile({ hello: 'world' }, options('hello.json'))).toThrow(RateCardError);
    expect(() => readPriceFile([1, 2], options('list.json'))).toThrow('list.json: top level');
  });
});
