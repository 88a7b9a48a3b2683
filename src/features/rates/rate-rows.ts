import { formatPlain, type Pico } from '../../domain/money';
import { exactPerImage } from '../../domain/pricing';
import { IMAGE_SIZES, ratePerMillion, type ActivePrice, type ActiveRates, type ImageSize } from '../../domain/rate-card';

/** One line of the rate-card table: a price entry at one image size (or the entry alone when it prices no image). */
export interface RateRow {
  key: string;
  price: ActivePrice;
  modelLabel: string;
  size: ImageSize | null;
  tokens: number | null;
  /** USD per 1M tokens. */
  outputImagePerM: Pico | null;
  inputPerM: Pico | null;
  textPerM: Pico | null;
  exact: Pico | null;
  listed: Pico | null;
  /** The override field that sets this row's $/image directly (a flat per-image price), else null. */
  perImageField: string | null;
  /** Searchable text for the filter box. */
  text: string;
}

const perM = (rate: Pico | undefined) => (rate === undefined ? null : ratePerMillion(rate));

export function rateRows(rates: ActiveRates): RateRow[] {
  const rows: RateRow[] = [];
  for (const price of rates.prices) {
    const model = rates.models.get(price.model);
    const tokenTable = model?.imageTokens ?? {};
    const hasImageRate = price.tokenRates.output_image !== undefined;
    const sizes = IMAGE_SIZES.filter(
      (s) => price.perImage[s] !== undefined || price.listedPerImage[s] !== undefined || (hasImageRate && tokenTable[s] !== undefined),
    );
    const common = {
      price,
      modelLabel: model?.label ?? price.model,
      outputImagePerM: perM(price.tokenRates.output_image),
      inputPerM: perM(price.tokenRates.input_text),
      textPerM: perM(price.tokenRates.output_text),
      text: [price.model, model?.label, price.provider, price.lane, price.source, price.card].join(' ').toLowerCase(),
    };
    if (sizes.length === 0) {
      rows.push({ ...common, key: `${price.id}#`, size: null, tokens: null, exact: null, listed: null, perImageField: null });
      continue;
    }
    for (const size of sizes) {
      const flat = price.perImage[size] !== undefined;
      rows.push({
        ...common,
        key: `${price.id}#${size}`,
        size,
        tokens: flat ? null : (tokenTable[size] ?? null),
        exact: exactPerImage(price, tokenTable, size),
        listed: price.listedPerImage[size] ?? null,
        perImageField: flat ? `per_image.${size}` : null,
      });
    }
  }
  return rows;
}

/** Editable fields of one price entry with their current value as a decimal string ('' when unset). */
export function editableFields(price: ActivePrice): { field: string; label: string; value: string }[] {
  const rate = (label: string, meter: keyof ActivePrice['tokenRates']) => ({
    field: `per_million_tokens.${meter}`,
    label: `${label} $/1M tokens`,
    value: price.tokenRates[meter] === undefined ? '' : formatPlain(ratePerMillion(price.tokenRates[meter])),
  });
  const flat = (field: string, label: string, value: Pico | null) => ({ field, label, value: value === null ? '' : formatPlain(value) });
  return [
    rate('Output image', 'output_image'),
    rate('Input text', 'input_text'),
    rate('Input image', 'input_image'),
    rate('Output text', 'output_text'),
    ...IMAGE_SIZES.filter((s) => price.perImage[s] !== undefined).map((s) => flat(`per_image.${s}`, `$/image at ${s}`, price.perImage[s]!)),
    flat('per_input_image', '$ per input image', price.perInputImage),
    flat('per_request', '$ per request', price.perRequest),
    flat('per_grounding_query', '$ per grounding query', price.perGroundingQuery),
  ];
}
