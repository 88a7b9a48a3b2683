import type { CsvCell } from './csv';
import { formatPlain, parseUsd, type Pico } from './money';

/**
 * The priced log as a FOCUS 1.2 cost and usage dataset (https://focus.finops.org/focus-specification/v1-2/):
 * one row per request or per day × model × provider × lane × size, `ChargeCategory` Usage,
 * costs in USD as exact decimals, charge periods as whole UTC days in ISO 8601, custom columns
 * prefixed `x_`. test/engine/focus.test.ts checks the column rules.
 */

export const FOCUS_GRAINS = ['request', 'day'] as const;
export type FocusGrain = (typeof FOCUS_GRAINS)[number];

/** FOCUS columns first (alphabetical, as the spec lists them), then PixelSpend's `x_` columns. */
export const FOCUS_COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName',
  'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuPriceId', 'Tags',
  'x_Model', 'x_ImageSize', 'x_Lane', 'x_JobType', 'x_AttemptCount', 'x_Accepted', 'x_Requests', 'x_RequestId',
] as const;

/** A row of `focusRowsQuery` (src/db/sql/focus.ts). */
export interface FocusSourceRow {
  charge_start: string;
  charge_end: string;
  billing_start: string;
  billing_end: string;
  model: string;
  model_label: string | null;
  vendor: string | null;
  provider: string;
  lane: string;
  image_size: string;
  price_id: string;
  job_type: string | null;
  request_id: string | null;
  billed_cost: string;
  list_cost: string;
  quantity: number;
  attempts: number;
  accepted: string | null;
  requests: number;
  tag_keys: string[] | null;
  tag_values: string[] | null;
}

/** Price per image when the cost divides into whole picodollars per image; otherwise unknown (null), never rounded. */
function unitPrice(cost: Pico, quantity: number): string | null {
  if (quantity <= 0) return null;
  const q = BigInt(quantity);
  return cost % q === 0n ? formatPlain((cost / q) as Pico) : null;
}

function tags(keys: string[] | null, values: string[] | null): string {
  const entries = (keys ?? []).map((k, i) => [k, values?.[i] ?? ''] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

/** One FOCUS row's cells, in `FOCUS_COLUMNS` order. */
export function focusCells(r: FocusSourceRow, grain: FocusGrain): CsvCell[] {
  const list = parseUsd(r.list_cost);
  const billed = parseUsd(r.billed_cost);
  const images = `${r.quantity} image${r.quantity === 1 ? '' : 's'}`;
  const name = r.model_label ?? r.model;
  const description =
    grain === 'request'
      ? `${images} of ${r.model} at ${r.image_size} on ${r.provider}, ${r.lane} lane`
      : `${r.model} images at ${r.image_size} on ${r.provider}, ${r.lane} lane, ${r.requests} request${r.requests === 1 ? '' : 's'}`;
  const perImage = unitPrice(list, r.quantity);
  return [
    formatPlain(billed), r.provider, r.provider, 'USD', r.billing_end, r.billing_start,
    'Usage', null, description, 'Usage-Based', r.charge_end, r.charge_start,
    r.quantity, 'Images', formatPlain(list), perImage, formatPlain(billed), r.provider,
    formatPlain(list), perImage, 'Standard', r.quantity, 'Images', r.provider, r.vendor ?? r.provider,
    'AI and Machine Learning', name, 'Generative AI', `${r.model}:${r.lane}:${r.image_size}`, r.price_id,
    grain === 'request' ? tags(r.tag_keys, r.tag_values) : '{}',
    r.model, r.image_size, r.lane, r.job_type, r.attempts, r.accepted, r.requests, r.request_id,
  ];
}
