import { formatPlain, type Pico } from './money';
import {
  FLAT_METERS,
  IMAGE_SIZES,
  ratePerMillion,
  TOKEN_METERS,
  type ActivePrice,
  type ActiveRates,
  type ImageSize,
  type ModelSpec,
  type PriceSpec,
  type RateCard,
} from './rate-card';

const perSize = (values: Partial<Record<ImageSize, Pico>>) => {
  const sizes = IMAGE_SIZES.filter((s) => values[s] !== undefined);
  return sizes.length === 0 ? undefined : Object.fromEntries(sizes.map((s) => [s, formatPlain(values[s]!)]));
};

export function exportPrice(p: ActivePrice): PriceSpec {
  const meters = TOKEN_METERS.filter((m) => p.tokenRates[m] !== undefined);
  const flat: Record<(typeof FLAT_METERS)[number], Pico | null> = {
    per_input_image: p.perInputImage,
    per_request: p.perRequest,
    per_grounding_query: p.perGroundingQuery,
  };
  const notes = [
    p.note,
    p.variant ? `Variant ${p.variant.group}: ${p.variant.option}.` : null,
    p.overridden.length > 0 ? `Manual override of ${p.overridden.join(', ')}.` : null,
  ].filter((n): n is string => n !== null);
  const spec: PriceSpec = {
    // The id is kept so overrides saved against it still apply when the file is loaded back.
    id: p.id,
    model: p.model,
    provider: p.provider,
    lane: p.lane,
    from: p.fromDate,
    to: p.toDate,
    source: p.source,
    checked: p.checked,
  };
  if (meters.length > 0) spec.per_million_tokens = Object.fromEntries(meters.map((m) => [m, formatPlain(ratePerMillion(p.tokenRates[m]!))]));
  const perImage = perSize(p.perImage);
  if (perImage) spec.per_image = perImage;
  if (p.tokensIncluded) spec.tokens_included = true;
  for (const meter of FLAT_METERS) {
    const value = flat[meter];
    if (value !== null) spec[meter] = formatPlain(value);
  }
  const listed = perSize(p.listedPerImage);
  if (listed) spec.listed_per_image = listed;
  if (notes.length > 0) spec.note = notes.join(' ');
  const { source, checked, note, ...prices } = spec;
  return note === undefined ? { ...prices, source, checked } : { ...prices, source, checked, note };
}

/**
 * The active price list as one self-contained rate card: chosen variants only, overrides
 * applied. Loaded back, it replaces the entries it prices and resolves to the same figures.
 */
export function exportRateCard(rates: ActiveRates, name: string, description?: string): RateCard {
  const models: ModelSpec[] = [...rates.models.values()].map((m) => {
    const aliases = [...rates.aliases].filter(([alias, id]) => id === m.id && alias !== m.id).map(([alias]) => alias);
    const spec: ModelSpec = { id: m.id, label: m.label, family: m.family, vendor: m.vendor };
    if (aliases.length > 0) spec.aliases = aliases;
    const sizes = IMAGE_SIZES.filter((s) => m.imageTokens[s] !== undefined);
    if (sizes.length > 0) spec.image_tokens = Object.fromEntries(sizes.map((s) => [s, m.imageTokens[s]!]));
    if (m.inputImageTokens !== null) spec.input_image_tokens = m.inputImageTokens;
    if (m.note !== null) spec.note = m.note;
    return spec;
  });
  const card: RateCard = { format: 'pixelspend-rate-card', version: 1, name, models, prices: rates.prices.map(exportPrice) };
  if (description) card.description = description;
  return card;
}
