import type { PriceSpec, TokenMeter } from '../rate-card';
import { CardBuilder, isZero, type ImportOptions, type ImportResult } from './import-result';

type Entry = Record<string, unknown>;

/** LiteLLM's `litellm_provider` → this app's provider names (what request logs say). */
export function litellmProvider(name: string): string {
  if (name === 'gemini') return 'google';
  if (name === 'vertex_ai' || name.startsWith('vertex_ai-')) return 'vertex';
  return name.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '') || 'unknown';
}

// Fields read below, and fields that carry no price; anything else with "cost" in its name is reported.
const READ = new Set([
  'input_cost_per_token', 'output_cost_per_token', 'output_cost_per_image_token', 'input_cost_per_image_token',
  'output_cost_per_image', 'input_cost_per_image', 'input_cost_per_token_batches', 'output_cost_per_token_batches',
  'input_cost_per_request', 'litellm_provider', 'mode',
]);

/**
 * Does this JSON look like LiteLLM's model_prices_and_context_window.json: an object of entries,
 * some carrying `litellm_provider` and `*_cost_per_*` fields?
 */
export function isLitellmPriceMap(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const entries = Object.values(json as Record<string, unknown>).filter((v): v is Entry => v !== null && typeof v === 'object');
  return entries.length > 0 && entries.some((e) => typeof e.litellm_provider === 'string' && Object.keys(e).some((k) => k.includes('cost_per')));
}

function isImageEntry(e: Entry): boolean {
  return e.mode === 'image_generation' || e.output_cost_per_image !== undefined || e.output_cost_per_image_token !== undefined;
}

/**
 * Image-model prices from LiteLLM's price map → a rate card, with a note for everything the map
 * holds that a rate card cannot express (per-pixel prices, per-image prices without a size,
 * long-context tiers, cache meters, batch lanes without an image rate). Chat models are skipped.
 */
export function importLitellm(json: unknown, options: ImportOptions): ImportResult {
  const b = new CardBuilder(options, 'LiteLLM model_prices_and_context_window.json');
  if (!isLitellmPriceMap(json)) {
    b.note('', '', 'not a LiteLLM price map (no entries with litellm_provider and *_cost_per_* fields)');
    return b.build('litellm', 'Not imported.');
  }
  let skipped = 0;
  for (const [key, raw] of Object.entries(json as Record<string, unknown>)) {
    if (key === 'sample_spec' || raw === null || typeof raw !== 'object') continue;
    const e = raw as Entry;
    if (!isImageEntry(e)) {
      skipped++;
      continue;
    }
    importEntry(b, key, e);
  }
  if (skipped > 0) b.note('', 'mode', skipped === 1 ? '1 entry is not an image-generation model: skipped' : `${skipped} entries are not image-generation models: skipped`);
  return b.build('litellm', `Image-model prices imported from LiteLLM's price map on ${options.checked}. Provider names: gemini → google, vertex_ai* → vertex.`);
}

function importEntry(b: CardBuilder, key: string, e: Entry): void {
  const providerName = typeof e.litellm_provider === 'string' ? e.litellm_provider : 'unknown';
  const provider = litellmProvider(providerName);
  for (const field of Object.keys(e)) {
    if (READ.has(field) || !field.includes('cost')) continue;
    const value = e[field];
    if (value === 0 || value === null) continue;
    const why = field.includes('pixel')
      ? 'a per-pixel price: the per-image cost depends on pixel counts and is not exact in decimals'
      : /above_\d+k?_tokens/.test(field)
        ? 'a long-context tier: rate cards have one rate per meter'
        : field.includes('cache')
          ? 'a cache meter: not a meter of rate cards'
          : 'a unit rate cards do not have';
    b.note(key, field, `${why}; not imported (${JSON.stringify(value)})`);
  }

  const model = b.model(key, provider);
  const rates: Partial<Record<TokenMeter, string>> = {};
  const setRate = (meter: TokenMeter, field: string) => {
    if (e[field] === undefined) return;
    const v = b.perMillion(key, field, e[field]);
    if (v !== null) rates[meter] = v;
  };
  setRate('input_text', 'input_cost_per_token');
  // LiteLLM bills every prompt token at input_cost_per_token unless it names an image-token rate.
  setRate('input_image', e.input_cost_per_image_token !== undefined ? 'input_cost_per_image_token' : 'input_cost_per_token');
  setRate('output_text', 'output_cost_per_token');
  setRate('output_image', 'output_cost_per_image_token');

  const price: Omit<PriceSpec, 'from' | 'to' | 'source' | 'checked'> = { model: model.id, provider, lane: 'standard' };
  const perImage = e.output_cost_per_image;
  if (perImage !== undefined) {
    const text = b.amount(key, 'output_cost_per_image', perImage);
    if (text !== null) {
      b.note(
        key,
        'output_cost_per_image',
        rates.output_image !== undefined
          ? `$${text} per image has no resolution; the image-token rate is used with the model's tokens-per-size table instead`
          : `$${text} per image has no resolution, and a rate card prices each size: not imported (add per_image.<size> by hand)`,
      );
    }
  }
  if (rates.output_image === undefined) {
    b.note(key, '', `no image-output price a rate card can use: ${model.id} / ${provider} not imported`);
    return;
  }
  if (!model.known) {
    b.note(key, 'image_tokens', `no tokens-per-image table for "${model.id}": requests are unpriced (size not offered) until you add image_tokens to the model`);
  } else if (provider === 'google' || provider === 'vertex') {
    b.note(key, 'output_cost_per_image_token', `LiteLLM has no per-resolution prices: each size's cost is tokens per image (from the ${model.id} model card) × $${rates.output_image} per 1M`);
  }
  if (e.input_cost_per_request !== undefined && !isZero(String(e.input_cost_per_request))) {
    const v = b.amount(key, 'input_cost_per_request', e.input_cost_per_request);
    if (v !== null) price.per_request = v;
  }
  if (e.input_cost_per_image !== undefined && !isZero(String(e.input_cost_per_image))) {
    const v = b.amount(key, 'input_cost_per_image', e.input_cost_per_image);
    if (v !== null) price.per_input_image = v;
  }
  price.per_million_tokens = rates;
  b.addPrice(key, price);

  if (e.input_cost_per_token_batches !== undefined || e.output_cost_per_token_batches !== undefined) {
    b.note(key, 'output_cost_per_token_batches', 'batch token rates without a batch image-output rate: no batch price imported (batch prices stay as they were)');
  }
}
