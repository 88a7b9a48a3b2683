import type { PriceSpec, TokenMeter } from '../rate-card';
import { CardBuilder, isZero, type ImportOptions, type ImportResult } from './import-result';

type Model = { id?: unknown; name?: unknown; pricing?: unknown; architecture?: unknown };

/** Does this JSON look like OpenRouter's GET /api/v1/models answer: `{ data: [{ id, pricing }] }`? */
export function isOpenrouterModels(json: unknown): boolean {
  if (json === null || typeof json !== 'object') return false;
  const data = (json as { data?: unknown }).data;
  return Array.isArray(data) && data.length > 0 && data.every((m) => m !== null && typeof m === 'object' && typeof (m as Model).id === 'string' && typeof (m as Model).pricing === 'object');
}

const TOKEN_FIELDS: [field: string, meter: TokenMeter][] = [
  ['prompt', 'input_text'],
  ['completion', 'output_text'],
  ['image_output', 'output_image'],
];
const IGNORED_IF_ZERO = ['internal_reasoning', 'input_cache_read', 'input_cache_write', 'discount', 'audio', 'input_audio_cache', 'audio_output'];

function outputsImages(m: Model): boolean {
  const arch = (m.architecture ?? {}) as { output_modalities?: unknown; modality?: unknown };
  if (Array.isArray(arch.output_modalities)) return arch.output_modalities.includes('image');
  return typeof arch.modality === 'string' && /->.*image/.test(arch.modality);
}

/**
 * OpenRouter's model list → the gateway's own prices (provider `openrouter`, standard lane) for
 * the models that output images. OpenRouter prices tokens, not sizes: per-size costs come from
 * the model's tokens-per-image table. Variable prices (-1), reasoning, cache and unknown price
 * fields are listed in the notes, never folded into another meter.
 */
export function importOpenrouter(json: unknown, options: ImportOptions): ImportResult {
  const b = new CardBuilder(options, 'OpenRouter /api/v1/models');
  if (!isOpenrouterModels(json)) {
    b.note('', '', 'not an OpenRouter model list ({ "data": [{ "id", "pricing" }] })');
    return b.build('openrouter', 'Not imported.');
  }
  let skipped = 0;
  for (const m of (json as { data: Model[] }).data) {
    if (!outputsImages(m)) {
      skipped++;
      continue;
    }
    importModel(b, m);
  }
  if (skipped > 0) b.note('', 'architecture.output_modalities', skipped === 1 ? '1 model does not output images: skipped' : `${skipped} models do not output images: skipped`);
  return b.build('openrouter', `OpenRouter's own prices for image-output models, imported from /api/v1/models on ${options.checked}.`);
}

function importModel(b: CardBuilder, m: Model): void {
  const key = String(m.id);
  const pricing = m.pricing as Record<string, unknown>;
  const text = (field: string) => (pricing[field] === undefined || pricing[field] === null ? undefined : String(pricing[field]).trim());

  const variable = Object.keys(pricing).filter((f) => text(f) === '-1');
  if (variable.length > 0) {
    b.note(key, variable.join(', '), 'variable price (-1, set by the routed provider at request time): not imported');
    return;
  }
  const known = new Set([...TOKEN_FIELDS.map(([f]) => f), 'image', 'request', 'web_search', ...IGNORED_IF_ZERO]);
  for (const field of Object.keys(pricing)) {
    const value = text(field);
    if (value === undefined || known.has(field) && !IGNORED_IF_ZERO.includes(field) || isZero(value)) continue;
    const why = IGNORED_IF_ZERO.includes(field)
      ? field === 'internal_reasoning'
        ? 'reasoning tokens at their own rate: rate cards bill them as text output'
        : field === 'discount'
          ? 'a discount: rate cards hold list prices'
          : 'a meter rate cards do not have'
      : 'an unknown price field';
    b.note(key, `pricing.${field}`, `${why}; not imported (${value})`);
  }

  const model = b.model(key, key.split('/')[0] ?? 'unknown');
  const rates: Partial<Record<TokenMeter, string>> = {};
  for (const [field, meter] of TOKEN_FIELDS) {
    const value = text(field);
    if (value === undefined) continue;
    const v = b.perMillion(key, `pricing.${field}`, value);
    if (v !== null) rates[meter] = v;
  }
  if (rates.output_image === undefined) {
    b.note(key, 'pricing.image_output', 'no price per output image token: not imported');
    return;
  }
  const price: Omit<PriceSpec, 'from' | 'to' | 'source' | 'checked'> = { model: model.id, provider: 'openrouter', lane: 'standard' };
  const image = text('image');
  if (image !== undefined && !isZero(image)) {
    const v = b.amount(key, 'pricing.image', image);
    if (v !== null) price.per_input_image = v;
  } else if (rates.input_text !== undefined) {
    // With no per-image price OpenRouter counts input images as prompt tokens.
    rates.input_image = rates.input_text;
  }
  const request = text('request');
  if (request !== undefined && !isZero(request)) {
    const v = b.amount(key, 'pricing.request', request);
    if (v !== null) price.per_request = v;
  }
  const search = text('web_search');
  if (search !== undefined && !isZero(search)) {
    const v = b.amount(key, 'pricing.web_search', search);
    if (v !== null) {
      price.per_grounding_query = v;
      b.note(key, 'pricing.web_search', `OpenRouter's web search ($${v} per search) is imported as the per-grounding-query price`);
    }
  }
  if (!model.known) {
    b.note(key, 'image_tokens', `no tokens-per-image table for "${model.id}": requests are unpriced (size not offered) until you add image_tokens to the model`);
  } else {
    b.note(key, 'pricing.image_output', `OpenRouter has no per-resolution prices: each size's cost is tokens per image (from the ${model.id} model card) × $${rates.output_image} per 1M`);
  }
  price.per_million_tokens = rates;
  b.addPrice(key, price);
}
