import { mulPico, ZERO, type Pico } from './money';
import { normalizeModelId, type ActivePrice, type ActiveRates, type ImageSize, type Lane } from './rate-card';

/** Why a request has no price. Never guessed: these are counted and shown instead. */
export const UNPRICED_REASONS = [
  'unknown_model',
  'model_not_priced',
  'provider_not_priced',
  'lane_not_offered',
  'no_price_on_date',
  'image_not_priced',
  'size_not_offered',
  'meter_not_priced',
] as const;
export type UnpricedReason = (typeof UNPRICED_REASONS)[number];

export const UNPRICED_LABELS: Record<UnpricedReason, string> = {
  unknown_model: 'unknown model',
  model_not_priced: 'model has no price in the rate card',
  provider_not_priced: 'provider has no price for this model',
  lane_not_offered: 'lane not offered',
  no_price_on_date: 'no price on that date',
  image_not_priced: 'image output has no price',
  size_not_offered: 'size not offered',
  meter_not_priced: 'input, text or grounding used but not priced',
};

/** One logged request, canonical columns (see docs/log-format.md). Counts are per attempt. */
export interface PricingRequest {
  timestamp: number;
  model: string;
  provider: string;
  lane: Lane | string;
  imageSize: ImageSize | string;
  images: number;
  billedAttempts: number;
  inputTokens: number;
  inputImages: number;
  outputTextTokens: number;
  /** thinking tokens, billed at the text-output rate (Gemini `thoughtsTokenCount`) */
  outputThinkingTokens?: number;
  outputImageTokens: number | null;
  groundingQueries: number;
}

export interface AttemptBreakdown {
  image: Pico;
  input: Pico;
  text: Pico;
  grounding: Pico;
  request: Pico;
}

export type PricedRequest =
  | {
      priced: true;
      model: string;
      priceId: string;
      attempt: AttemptBreakdown;
      attemptCost: Pico;
      /** billed attempts × attempt cost */
      cost: Pico;
      /** (billed attempts − 1) × attempt cost, never negative */
      retryCost: Pico;
    }
  | { priced: false; model: string; reason: UnpricedReason };

export type PriceLookup =
  | { model: string; price: ActivePrice; reason?: undefined }
  | { model: string; price?: undefined; reason: UnpricedReason };

/**
 * The price entry that applies to a model (any alias) on a provider and lane at a moment,
 * or the first reason there is none.
 */
export function lookupPrice(
  rates: ActiveRates,
  key: { model: string; provider: string; lane: string; timestamp: number },
): PriceLookup {
  const normalized = normalizeModelId(key.model);
  const model = rates.aliases.get(normalized);
  if (!model) return { model: normalized, reason: 'unknown_model' };
  const forModel = rates.prices.filter((p) => p.model === model);
  if (forModel.length === 0) return { model, reason: 'model_not_priced' };
  const forProvider = forModel.filter((p) => p.provider === key.provider);
  if (forProvider.length === 0) return { model, reason: 'provider_not_priced' };
  const forLane = forProvider.filter((p) => p.lane === key.lane);
  if (forLane.length === 0) return { model, reason: 'lane_not_offered' };
  const price = forLane.find((p) => p.from <= key.timestamp && (p.to === null || key.timestamp < p.to));
  return price ? { model, price } : { model, reason: 'no_price_on_date' };
}

/**
 * Prices one request against the active rate card. The SQL in `src/db/sql/pricing.ts` is the
 * same rule set, checked in the same order; a test requires both to agree on every field.
 */
export function priceRequest(req: PricingRequest, rates: ActiveRates): PricedRequest {
  const found = lookupPrice(rates, req);
  if (!found.price) return { priced: false, model: found.model, reason: found.reason };
  const { model, price } = found;
  const unpriced = (reason: UnpricedReason): PricedRequest => ({ priced: false, model, reason });

  const image = imageCost(req, price, rates.models.get(model)?.imageTokens ?? {});
  if (typeof image === 'string') return unpriced(image);

  const rest = meterCosts(req, price, rates.models.get(model)?.inputImageTokens ?? null);
  if (rest === null) return unpriced('meter_not_priced');

  const attempt: AttemptBreakdown = { image, ...rest };
  const attemptCost = (attempt.image + attempt.input + attempt.text + attempt.grounding + attempt.request) as Pico;
  return {
    priced: true,
    model,
    priceId: price.id,
    attempt,
    attemptCost,
    cost: mulPico(attemptCost, req.billedAttempts),
    retryCost: mulPico(attemptCost, Math.max(req.billedAttempts - 1, 0)),
  };
}

function imageCost(
  req: PricingRequest,
  price: ActivePrice,
  tokenTable: Partial<Record<ImageSize, number>>,
): Pico | 'image_not_priced' | 'size_not_offered' {
  const hasPerImage = Object.keys(price.perImage).length > 0;
  const rate = price.tokenRates.output_image;
  if (!hasPerImage && rate === undefined) return 'image_not_priced';
  const size = req.imageSize as ImageSize;
  const flat = price.perImage[size];
  if (flat !== undefined) return mulPico(flat, req.images);
  const tokens = tokenTable[size];
  if (rate === undefined || tokens === undefined) return 'size_not_offered';
  return mulPico(rate, req.outputImageTokens ?? tokens * req.images);
}

function meterCosts(
  req: PricingRequest,
  price: ActivePrice,
  inputImageTokens: number | null,
): Omit<AttemptBreakdown, 'image'> | null {
  const perToken = (count: number, rate: Pico | undefined): Pico | null =>
    count === 0 || price.tokensIncluded ? ZERO : rate === undefined ? null : mulPico(rate, count);

  const inputText = perToken(req.inputTokens, price.tokenRates.input_text);
  let inputImages: Pico | null = ZERO;
  if (req.inputImages > 0 && !price.tokensIncluded) {
    if (price.perInputImage !== null) inputImages = mulPico(price.perInputImage, req.inputImages);
    else if (inputImageTokens !== null && price.tokenRates.input_image !== undefined)
      inputImages = mulPico(price.tokenRates.input_image, inputImageTokens * req.inputImages);
    else inputImages = null;
  }
  const text = perToken(req.outputTextTokens + (req.outputThinkingTokens ?? 0), price.tokenRates.output_text);
  const grounding =
    req.groundingQueries === 0
      ? ZERO
      : price.perGroundingQuery === null
        ? null
        : mulPico(price.perGroundingQuery, req.groundingQueries);
  if (inputText === null || inputImages === null || text === null || grounding === null) return null;
  return {
    input: (inputText + inputImages) as Pico,
    text,
    grounding,
    request: price.perRequest ?? ZERO,
  };
}

/**
 * Exact per-image cost of one image at a size on a price entry (tokens × rate, or the flat
 * per-image price); null when the size is not offered.
 */
export function exactPerImage(price: ActivePrice, tokenTable: Partial<Record<ImageSize, number>>, size: ImageSize): Pico | null {
  const flat = price.perImage[size];
  if (flat !== undefined) return flat;
  const tokens = tokenTable[size];
  const rate = price.tokenRates.output_image;
  return tokens !== undefined && rate !== undefined ? mulPico(rate, tokens) : null;
}
