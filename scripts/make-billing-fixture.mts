/**
 * Writes test/fixtures/billing/: a seeded request log, a Google Cloud Billing standard usage
 * cost export (CSV and NDJSON) and a FOCUS 1.2 CSV that charge exactly what the log's requests
 * cost at the bundled rate cards, and mismatched copies with known injected gaps, listed in
 * expected-gaps.json. Costs come from the pure pricing (src/domain/pricing.ts), per meter.
 * Run:  npx tsx scripts/make-billing-fixture.mts
 */
import { writeFileSync } from 'node:fs';
import { toCsv, type CsvCell } from '../src/domain/csv';
import { addPico, formatPlain, mulPico, parseUsd, ZERO, type Pico } from '../src/domain/money';
import { priceRequest, type PricingRequest } from '../src/domain/pricing';
import { createRng } from '../src/domain/random';
import { resolveRates } from '../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';

const OUT = 'test/fixtures/billing';
const rng = createRng(1212);
const rates = resolveRates(readRateCards(bundledRateCardPaths()));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const MODELS = [
  { logged: 'gemini-3-pro-image-preview', id: 'gemini-3-pro-image', name: 'Gemini 3 Pro Image', sizes: ['1K', '2K', '4K'], text: true },
  { logged: 'gemini-3.1-flash-image-preview', id: 'gemini-3.1-flash-image', name: 'Gemini 3.1 Flash Image', sizes: ['512', '1K', '2K', '4K'], text: true },
  { logged: 'gemini-2.5-flash-image', id: 'gemini-2.5-flash-image', name: 'Gemini 2.5 Flash Image', sizes: ['1K'], text: false },
] as const;
const DAYS = ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05'];
const SERVICE: Record<string, string> = { google: 'Gemini API', vertex: 'Vertex AI' };
const TEAMS = ['growth', 'brand', 'studio'];

interface LogRow {
  request: PricingRequest;
  id: string;
  timestamp: string;
  modelIndex: number;
  jobType: string;
  team: string;
  accepted: string;
  attempts: number;
  inputImages: number;
}

const rows: LogRow[] = [];
for (let i = 0; i < 360; i++) {
  const modelIndex = int(0, MODELS.length - 1);
  const m = MODELS[modelIndex]!;
  const day = DAYS[Math.floor((i * DAYS.length) / 360)]!;
  const ms = Date.parse(`${day}T00:00:00Z`) + int(0, 86_399_999);
  const attempts = rng() < 0.15 ? int(2, 3) : 1;
  const billed = rng() < 0.1 ? attempts - 1 : attempts;
  // Only Pro has a Vertex price on the bundled cards; OpenRouter is not on Google's bill.
  const provider = rng() < 0.85 ? (m.id === 'gemini-3-pro-image' ? pick(['google', 'vertex']) : 'google') : 'openrouter';
  const lane = provider === 'openrouter' || m.id === 'gemini-3-pro-image' && provider === 'vertex' ? 'standard' : rng() < 0.3 ? 'batch' : 'standard';
  const inputImages = m.id === 'gemini-3-pro-image' && rng() < 0.3 ? int(1, 3) : 0;
  const request: PricingRequest = {
    timestamp: ms, model: m.logged, provider, lane, imageSize: pick(m.sizes), images: int(1, 4), billedAttempts: billed,
    inputTokens: m.text ? int(20, 900) : 0, inputImages, outputTextTokens: m.text && rng() < 0.4 ? int(10, 300) : 0,
    outputThinkingTokens: m.text && rng() < 0.3 ? int(50, 900) : 0, outputImageTokens: null, groundingQueries: 0,
  };
  rows.push({
    request, id: `bill-${String(i + 1).padStart(4, '0')}`, timestamp: new Date(ms).toISOString(), modelIndex,
    jobType: pick(['draft', 'final', 'variant']), team: pick(TEAMS), accepted: pick(['true', 'false', '']), attempts, inputImages,
  });
}
// A model no card prices: unpriced on the logs' side, never guessed.
rows.push({
  request: { ...rows[0]!.request, model: 'gemini-3.1-flash-lite-image-preview', provider: 'google', lane: 'standard', imageSize: '1K' },
  id: 'bill-lite', timestamp: rows[0]!.timestamp, modelIndex: -1, jobType: 'draft', team: 'growth', accepted: '', attempts: 1, inputImages: 0,
});
rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id));

writeFileSync(`${OUT}/requests.csv`, toCsv(
  ['request_id', 'timestamp', 'model', 'provider', 'lane', 'image_size', 'images', 'job_type', 'attempt_count', 'billed_attempts',
    'accepted_by_user', 'input_tokens', 'input_images', 'output_text_tokens', 'output_thinking_tokens', 'grounding_queries', 'team'],
  rows.map((r) => [
    r.id, r.timestamp, r.request.model, r.request.provider, r.request.lane, r.request.imageSize, r.request.images, r.jobType, r.attempts,
    r.request.billedAttempts, r.accepted, r.request.inputTokens, r.inputImages, r.request.outputTextTokens, r.request.outputThinkingTokens ?? 0, 0, r.team,
  ]),
));

type Meter = 'image' | 'input' | 'text';
const METER_SKU: Record<Meter, { words: string; unit: string; meter: string }> = {
  image: { words: 'output image tokens', unit: 'count', meter: 'image_output_tokens' },
  input: { words: 'input tokens', unit: 'count', meter: 'input_tokens' },
  text: { words: 'text output tokens', unit: 'count', meter: 'text_output_tokens' },
};

interface Charge {
  day: string;
  service: string;
  model: (typeof MODELS)[number];
  lane: string;
  meter: Meter;
  cost: Pico;
  usage: bigint;
  skuId: string;
  sku: string;
}

const skuIds = new Map<string, string>();
const skuId = (sku: string) => {
  if (!skuIds.has(sku)) {
    const hex = () => Math.floor(rng() * 0x10000).toString(16).toUpperCase().padStart(4, '0');
    skuIds.set(sku, `${hex()}-${hex()}-${hex()}`);
  }
  return skuIds.get(sku)!;
};

const charges = new Map<string, Charge>();
for (const r of rows) {
  const priced = priceRequest(r.request, rates);
  if (!priced.priced || r.request.provider === 'openrouter') continue;
  const m = MODELS[r.modelIndex]!;
  const spec = rates.models.get(m.id)!;
  const billed = BigInt(r.request.billedAttempts);
  const usage: Record<Meter, bigint> = {
    image: BigInt(spec.imageTokens[r.request.imageSize as '1K']! * r.request.images) * billed,
    input: (BigInt(r.request.inputTokens) + BigInt(r.inputImages * (spec.inputImageTokens ?? 0))) * billed,
    text: BigInt(r.request.outputTextTokens + (r.request.outputThinkingTokens ?? 0)) * billed,
  };
  const cost: Record<Meter, Pico> = {
    image: mulPico(priced.attempt.image, billed),
    input: mulPico(priced.attempt.input, billed),
    text: mulPico(priced.attempt.text, billed),
  };
  for (const meter of ['image', 'input', 'text'] as const) {
    if (usage[meter] === 0n && cost[meter] === ZERO) continue;
    const day = r.timestamp.slice(0, 10);
    const service = SERVICE[r.request.provider]!;
    const sku = `${m.name} ${r.request.lane === 'batch' ? 'batch ' : ''}${METER_SKU[meter].words}`;
    const key = `${day}|${service}|${sku}`;
    const c = charges.get(key) ?? { day, service, model: m, lane: r.request.lane, meter, cost: ZERO, usage: 0n, skuId: skuId(sku), sku };
    c.cost = addPico(c.cost, cost[meter]);
    c.usage += usage[meter];
    charges.set(key, c);
  }
}
const matched = [...charges.values()].sort((a, b) => `${a.day}|${a.service}|${a.sku}`.localeCompare(`${b.day}|${b.service}|${b.sku}`));

const GCP_HEADER = [
  'billing_account_id', 'service.id', 'service.description', 'sku.id', 'sku.description', 'usage_start_time', 'usage_end_time',
  'project.id', 'project.name', 'labels', 'location.location', 'cost', 'currency', 'currency_conversion_rate', 'usage.amount',
  'usage.unit', 'usage.amount_in_pricing_units', 'usage.pricing_unit', 'credits', 'invoice.month', 'cost_type',
];
const ACCOUNT = '01A2B3-C4D5E6-F7A8B9';
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

interface GcpLine {
  day: string;
  service: string;
  skuId: string;
  sku: string;
  cost: string;
  currency: string;
  usage: string;
  unit: string;
  credits: { name: string; amount: string; type: string }[];
}

const gcpLine = (c: Charge): GcpLine => ({
  day: c.day, service: c.service, skuId: c.skuId, sku: c.sku, cost: formatPlain(c.cost), currency: 'USD',
  usage: String(c.usage), unit: METER_SKU[c.meter].unit, credits: [],
});

function gcpRecord(l: GcpLine) {
  return {
    billing_account_id: ACCOUNT,
    service: { id: l.service === 'Vertex AI' ? 'C7E2-9256-1C43' : 'AEFD-7695-64FA', description: l.service },
    sku: { id: l.skuId, description: l.sku },
    usage_start_time: `${l.day} 00:00:00 UTC`,
    usage_end_time: `${nextDay(l.day)} 00:00:00 UTC`,
    project: { id: 'pixel-studio-prod', name: 'Pixel Studio' },
    labels: [{ key: 'env', value: 'prod' }],
    location: { location: 'us-central1' },
    cost: l.cost,
    currency: l.currency,
    currency_conversion_rate: l.currency === 'USD' ? '1' : '0.92',
    usage: { amount: l.usage, unit: l.unit, amount_in_pricing_units: l.usage, pricing_unit: l.unit },
    credits: l.credits,
    invoice: { month: '202607' },
    cost_type: 'regular',
  };
}

function gcpCsv(lines: GcpLine[], bad?: { index: number; column: string; value: string }): string {
  const cells = lines.map((l): CsvCell[] => {
    const r = gcpRecord(l);
    return [
      r.billing_account_id, r.service.id, r.service.description, r.sku.id, r.sku.description, r.usage_start_time, r.usage_end_time,
      r.project.id, r.project.name, JSON.stringify(r.labels), r.location.location, r.cost, r.currency, r.currency_conversion_rate,
      r.usage.amount, r.usage.unit, r.usage.amount_in_pricing_units, r.usage.pricing_unit, JSON.stringify(r.credits), r.invoice.month, r.cost_type,
    ];
  });
  if (bad) cells[bad.index]![GCP_HEADER.indexOf(bad.column)] = bad.value;
  return toCsv(GCP_HEADER, cells);
}

const matchedLines = matched.map(gcpLine);
writeFileSync(`${OUT}/gcp-billing-export.csv`, gcpCsv(matchedLines));
writeFileSync(`${OUT}/gcp-billing-export.jsonl`, matchedLines.map((l) => JSON.stringify(gcpRecord(l))).join('\n') + '\n');

// The mismatched bill: each gap below is injected once and listed in expected-gaps.json.
const find = (day: string, model: string, meter: Meter) =>
  matched.findIndex((c) => c.day === day && c.model.id === model && c.meter === meter && c.lane === 'standard');
const overIndex = find('2026-07-02', 'gemini-3-pro-image', 'image');
const droppedIndex = find('2026-07-03', 'gemini-3.1-flash-image', 'input');
const creditIndex = find('2026-07-01', 'gemini-2.5-flash-image', 'image');
const over = parseUsd('1.25');
const dropped = matched[droppedIndex]!;
const overLine = matched[overIndex]!;
const groundingCost = '0.35';
const euroCost = '3.1';
const storageCost = '0.42';
const credit = '-5';
const mismatched: GcpLine[] = matchedLines.flatMap((l, i) => {
  if (i === droppedIndex) return [];
  if (i === overIndex) return [{ ...l, cost: formatPlain(addPico(overLine.cost, over)) }];
  if (i === creditIndex) return [{ ...l, credits: [{ name: 'Free trial credit', amount: credit, type: 'FREE_TRIAL' }] }];
  return [l];
});
mismatched.push(
  { day: '2026-07-01', service: 'Gemini API', skuId: skuId('grounding'), sku: 'Gemini 3 Pro Image grounding with Google Search', cost: groundingCost, currency: 'USD', usage: '10', unit: 'requests', credits: [] },
  { day: '2026-07-04', service: 'Cloud Storage', skuId: '9E26-7176-B6F6', sku: 'Standard Storage US Multi-region', cost: storageCost, currency: 'USD', usage: '17.5', unit: 'gibibyte month', credits: [] },
  { day: '2026-07-05', service: 'Gemini API', skuId: skuId('eur'), sku: 'Gemini 3.1 Flash Image output image tokens', cost: euroCost, currency: 'EUR', usage: '56000', unit: 'count', credits: [] },
  { ...matchedLines[0]!, cost: '0' },
);
const badRow = mismatched.length;
writeFileSync(`${OUT}/gcp-billing-export-mismatched.csv`, gcpCsv(mismatched, { index: badRow - 1, column: 'cost', value: 'n/a' }));

const FOCUS_HEADER = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodStart', 'ChargePeriodEnd', 'ConsumedQuantity', 'ConsumedUnit',
  'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId', 'Tags', 'x_SkuDescription',
];
interface FocusCharge {
  c: Charge;
  cost: string;
  category?: string;
  end?: string;
}
function focusCsv(charges: FocusCharge[]): string {
  return toCsv(FOCUS_HEADER, charges.map(({ c, cost, category = 'Usage', end }) => [
    cost, ACCOUNT, 'Pixel Studio billing', 'USD', '2026-07-01T00:00:00Z', '2026-08-01T00:00:00Z', category, '', c.sku, 'Usage-Based',
    `${c.day}T00:00:00Z`, end ?? `${nextDay(c.day)}T00:00:00Z`, category === 'Credit' ? '' : String(c.usage), category === 'Credit' ? '' : 'count',
    cost, cost, 'Google', cost, category === 'Credit' ? '' : String(c.usage), category === 'Credit' ? '' : 'count', 'Google Cloud', 'Google',
    'AI and Machine Learning', c.service, c.skuId, `${c.skuId}-std`, 'pixel-studio-prod', '{"env":"prod"}', c.sku,
  ]));
}
const focusMatched: FocusCharge[] = matched.map((c) => ({ c, cost: formatPlain(c.cost) }));
writeFileSync(`${OUT}/focus-export.csv`, focusCsv(focusMatched));
const focusOverIndex = find('2026-07-04', 'gemini-3.1-flash-image', 'image');
const focusDroppedIndex = find('2026-07-05', 'gemini-3-pro-image', 'text');
const focusOver = parseUsd('0.75');
const focusMismatched = focusMatched.flatMap((f, i): FocusCharge[] => {
  if (i === focusDroppedIndex) return [];
  if (i === focusOverIndex) return [{ c: f.c, cost: formatPlain(addPico(f.c.cost, focusOver)) }];
  return [f];
});
focusMismatched.push(
  { c: matched[0]!, cost: '-2', category: 'Credit' },
  { c: matched[1]!, cost: '1', end: `${matched[1]!.day}T00:00:00Z` },
);
writeFileSync(`${OUT}/focus-export-mismatched.csv`, focusCsv(focusMismatched));

const gap = (c: Charge, difference: string) => ({ day: c.day, model: c.model.id, meter: METER_SKU[c.meter].meter, difference });
writeFileSync(`${OUT}/expected-gaps.json`, JSON.stringify({
  'gcp-billing-export-mismatched.csv': {
    gaps: [
      gap(overLine, '1.25'),
      gap(dropped, `-${formatPlain(dropped.cost)}`),
      { day: '2026-07-01', model: 'gemini-3-pro-image', meter: 'grounding', difference: groundingCost },
    ],
    credits: { USD: credit },
    other_currencies: [{ currency: 'EUR', cost: euroCost, day: '2026-07-05', model: 'gemini-3.1-flash-image', meter: 'image_output_tokens' }],
    unmapped: [{ sku: 'Standard Storage US Multi-region', cost: storageCost }],
    problems: [{ row: badRow, column: 'cost' }],
  },
  'focus-export-mismatched.csv': {
    gaps: [gap(matched[focusOverIndex]!, '0.75'), gap(matched[focusDroppedIndex]!, `-${formatPlain(matched[focusDroppedIndex]!.cost)}`)],
    credits: { USD: '-2' },
    other_currencies: [],
    unmapped: [],
    problems: [{ row: focusMismatched.length, column: 'ChargePeriodEnd' }],
  },
}, null, 2) + '\n');
console.log(`wrote ${rows.length} requests, ${matched.length} bill lines to ${OUT}`);
