import type { ErrorObject } from 'ajv';
// Precompiled from rate-card.schema.json (npm run generate:validator; a unit test keeps it in step):
// compiling at start would put Ajv's compiler, a tenth of the app's JavaScript, in the initial chunk.
import validator from './rate-card-validator.js';
import { parseUsd, type Pico } from './money';

export const IMAGE_SIZES = ['512', '1K', '2K', '4K'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export const LANES = ['standard', 'batch', 'flex', 'priority'] as const;
export type Lane = (typeof LANES)[number];
export type ModelFamily = 'pro' | 'flash' | 'other';
export const TOKEN_METERS = ['input_text', 'input_image', 'output_text', 'output_image'] as const;
export type TokenMeter = (typeof TOKEN_METERS)[number];
export const FLAT_METERS = ['per_input_image', 'per_request', 'per_grounding_query'] as const;
export type FlatMeter = (typeof FLAT_METERS)[number];

type PerSize = Partial<Record<ImageSize, string>>;

export interface ModelSpec {
  id: string;
  label: string;
  family: ModelFamily;
  vendor?: string;
  aliases?: string[];
  image_tokens?: Partial<Record<ImageSize, number>>;
  input_image_tokens?: number;
  note?: string;
}

export interface VariantGroup {
  id: string;
  label: string;
  default: string;
  options: { id: string; label: string }[];
}

export interface PriceSpec {
  id?: string;
  model: string;
  provider: string;
  lane: Lane;
  from: string;
  to?: string | null;
  variant?: { group: string; option: string };
  per_million_tokens?: Partial<Record<TokenMeter, string>>;
  per_image?: PerSize;
  tokens_included?: boolean;
  per_input_image?: string;
  per_request?: string;
  per_grounding_query?: string;
  listed_per_image?: PerSize;
  source: string;
  checked: string;
  note?: string;
}

export interface RateCard {
  format: 'pixelspend-rate-card';
  version: 1;
  name: string;
  description?: string;
  models?: ModelSpec[];
  variant_groups?: VariantGroup[];
  prices: PriceSpec[];
}

/** A problem found in a rate card: which card, which entry, which field, and why. */
export interface RateCardIssue {
  card: string;
  entry: string;
  field: string;
  message: string;
}

export class RateCardError extends Error {
  constructor(readonly issues: RateCardIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'RateCardError';
  }
}

export function formatIssue(issue: RateCardIssue): string {
  return `${issue.card}: ${issue.entry}${issue.field ? `, ${issue.field}` : ''}: ${issue.message}`;
}

/** Checks one parsed JSON document against the rate-card schema; returns it typed or throws. */
export function parseRateCard(json: unknown, cardName = 'rate card'): RateCard {
  if (!validator(json)) {
    // A bad key inside per_image is reported twice by Ajv (`propertyNames` and the `enum` under it): keep the precise one.
    // The branches of an anyOf each report a failure of their own: the anyOf's one message says it.
    const all = validator.errors ?? [];
    const anyOf = new Set(all.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
    const errors = all.filter((e) => e.keyword !== 'propertyNames' && (e.keyword === 'anyOf' || !anyOf.has(e.instancePath)));
    const issues = dedupe(errors.map((e) => schemaIssue(json, e, cardName)));
    throw new RateCardError(issues);
  }
  return json as unknown as RateCard;
}

function dedupe(issues: RateCardIssue[]): RateCardIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = formatIssue(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function schemaIssue(json: unknown, error: ErrorObject, card: string): RateCardIssue {
  const path = error.instancePath.split('/').filter(Boolean);
  let entry = 'top level';
  let fieldParts = path;
  if ((path[0] === 'prices' || path[0] === 'models' || path[0] === 'variant_groups') && path[1] !== undefined) {
    const list = (json as Record<string, unknown[]>)[path[0]];
    entry = describeEntry(path[0], Number(path[1]), list?.[Number(path[1])]);
    fieldParts = path.slice(2);
  }
  let field = fieldParts.join('.');
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    field = [...fieldParts, String(error.params.missingProperty)].join('.');
    message = 'is missing';
  } else if (error.keyword === 'additionalProperties') {
    field = [...fieldParts, String(error.params.additionalProperty)].join('.');
    message = 'is not a known field';
  } else if (error.keyword === 'pattern' && typeof getPath(json, path) === 'string') {
    const value = getPath(json, path) as string;
    const max = maxOfPattern(String(error.params.pattern));
    message = value.trim().startsWith('-')
      ? `must not be negative (got "${value}")`
      : max !== null && /^\d+(\.\d+)?$/.test(value.trim()) && !/^\d+\.\d{13,}$/.test(value.trim()) && value.trim().split('.')[0]!.length > max.split('.')[0]!.length
        ? `"${value}" is too large (max ${max})`
        : `"${value}" is not in the expected form (${describePattern(String(error.params.pattern))})`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify(error.params.allowedValue)} (got ${shortJson(getPath(json, path))})`;
  } else if (error.keyword === 'type' && !(typeof getPath(json, path) === 'number' && /^(per_|listed_per_)/.test(fieldParts[0] ?? ''))) {
    message = `must be ${article(String(error.params.type))} (got ${shortJson(getPath(json, path))})`;
  } else if (error.keyword === 'maximum' || error.keyword === 'minimum') {
    message = `${String(getPath(json, path))} is too ${error.keyword === 'maximum' ? 'large' : 'small'} (${error.keyword === 'maximum' ? 'max' : 'min'} ${String(error.params.limit)})`;
  } else if (error.keyword === 'anyOf' && fieldParts.at(-1) === 'to') {
    message = `must be a date (YYYY-MM-DD) or null (got ${shortJson(getPath(json, path))})`;
  } else if (error.keyword === 'type' && typeof getPath(json, path) === 'number' && /^(per_|listed_per_)/.test(fieldParts[0] ?? '')) {
    message = `write amounts as decimal strings, e.g. "0.134" (got ${String(getPath(json, path))})`;
  } else if (error.keyword === 'enum' && error.propertyName !== undefined) {
    field = [...fieldParts, error.propertyName].join('.');
    message = `"${error.propertyName}" is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  } else if (error.keyword === 'enum') {
    message = `"${String(getPath(json, path))}" is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  }
  return { card, entry, field, message };
}

/** The largest amount a bounded decimal pattern allows, e.g. `\d{1,4}(\.\d{1,12})` → 9999.999999999999. */
function maxOfPattern(pattern: string): string | null {
  const m = /^\^\\d\{1,(\d+)\}\(\\\.\\d\{1,(\d+)\}\)\?\$$/.exec(pattern);
  return m ? `${'9'.repeat(Number(m[1]))}.${'9'.repeat(Number(m[2]))}` : null;
}

function article(type: string): string {
  return { string: 'a string', integer: 'a whole number', number: 'a number', array: 'a list', object: 'an object', boolean: 'true or false', null: 'null' }[type] ?? type;
}

function shortJson(value: unknown): string {
  // Never stringify a list or object: it may be nested deeper than the stack.
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'an object';
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describePattern(pattern: string): string {
  if (pattern.includes('{4}')) return 'YYYY-MM-DD';
  if (pattern.includes('1,6')) return 'a non-negative decimal with at most 6 decimals';
  if (pattern.includes('1,12')) return 'a non-negative decimal with at most 12 decimals';
  return `pattern ${pattern}`;
}

function getPath(json: unknown, path: string[]): unknown {
  let value: unknown = json;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function describeEntry(list: string, index: number, item: unknown): string {
  const o = (item ?? {}) as Record<string, unknown>;
  if (list === 'prices') {
    const parts = [o.model, o.provider, o.lane, o.from ? `from ${String(o.from)}` : undefined]
      .filter((p) => p !== undefined)
      .map(String);
    return `prices[${index}]${parts.length ? ` (${parts.join(' / ')})` : ''}`;
  }
  return `${list}[${index}]${o.id ? ` (${String(o.id)})` : ''}`;
}

/** Price id used for overrides: explicit `id`, else derived from its key. */
export function priceId(p: PriceSpec): string {
  return p.id ?? [p.model, p.provider, p.lane, p.from, p.variant?.option].filter(Boolean).join('|');
}

// ---------------------------------------------------------------------------------------------
// The active price list: cards merged, variants chosen, overrides applied, money exact.

export interface ActiveModel {
  id: string;
  label: string;
  family: ModelFamily;
  vendor: string;
  imageTokens: Partial<Record<ImageSize, number>>;
  inputImageTokens: number | null;
  note: string | null;
}

export interface ActivePrice {
  id: string;
  card: string;
  model: string;
  provider: string;
  lane: Lane;
  /** UTC milliseconds, inclusive. */
  from: number;
  /** UTC milliseconds, exclusive; null = open-ended. */
  to: number | null;
  fromDate: string;
  toDate: string | null;
  /** Per token, picodollars (exact for rates with ≤ 6 decimals per million). */
  tokenRates: Partial<Record<TokenMeter, Pico>>;
  perImage: Partial<Record<ImageSize, Pico>>;
  /** The per-image price covers input and text tokens and input images. */
  tokensIncluded: boolean;
  perInputImage: Pico | null;
  perRequest: Pico | null;
  perGroundingQuery: Pico | null;
  listedPerImage: Partial<Record<ImageSize, Pico>>;
  variant: { group: string; option: string } | null;
  source: string;
  checked: string;
  note: string | null;
  overridden: string[];
  /** The entry as its card gave it, when overrides changed it (reconciliation compares billed cost to it). */
  beforeOverrides?: ActivePrice;
}

export interface ActiveRates {
  models: Map<string, ActiveModel>;
  /** Normalised alias → canonical model id (every id maps to itself). */
  aliases: Map<string, string>;
  prices: ActivePrice[];
  variantGroups: VariantGroup[];
  selectedVariants: Record<string, string>;
}

/** A manual price change: one field of one price entry, keyed by price id. */
export interface PriceOverride {
  priceId: string;
  /** e.g. `per_million_tokens.output_image`, `per_image.1K`, `per_request`. */
  field: string;
  value: string;
}

export interface ResolveOptions {
  variants?: Record<string, string>;
  overrides?: readonly PriceOverride[];
}

/**
 * The routing prefixes APIs and gateways put before a model id: Gemini's `models/`, Vertex
 * AI's (full) `publishers/google/models/`, OpenRouter's `google/` and `openai/`, LiteLLM's
 * `vertex_ai/`, `gemini/`, `azure/`, `openrouter/` (and combinations). Anything else with
 * a slash is an id nobody here knows: it is kept whole, so two unknown models never share
 * a key. Written once for both engines: JS and DuckDB's RE2 read it alike.
 */
export const MODEL_PREFIX_PATTERN = '^((projects/[^/]+/locations/[^/]+/)?publishers/[^/]+/models/|(models|google|openai|vertex_ai|vertex|gemini|azure|openrouter)/)+';
const MODEL_PREFIX = new RegExp(MODEL_PREFIX_PATTERN);

/**
 * The one normalisation of a logged model id, shared with SQL (`normalizeModelSql`):
 * trimmed, lower-cased, a known routing prefix removed.
 */
export function normalizeModelId(raw: string): string {
  return raw.trim().toLowerCase().replace(MODEL_PREFIX, '');
}

/** A calendar date (YYYY-MM-DD, UTC midnight) in milliseconds; refuses dates that do not exist (2026-02-30). */
export function dateToUtcMs(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  return ms;
}

/**
 * Merges cards into the active price list. Checks what the schema cannot: prices that parse,
 * dates in order, known variant options, and no two entries for the same key whose date
 * ranges overlap. Throws a RateCardError naming every entry at fault.
 */
export function resolveRates(cards: readonly { name: string; card: RateCard }[], options: ResolveOptions = {}): ActiveRates {
  const issues: RateCardIssue[] = [];
  const models = new Map<string, ActiveModel>();
  const aliases = new Map<string, string>();
  const variantGroups: VariantGroup[] = [];
  const overrides = options.overrides ?? [];

  for (const { name, card } of cards) {
    for (const [i, m] of (card.models ?? []).entries()) {
      const entry = describeEntry('models', i, m);
      if (models.has(m.id)) {
        issues.push({ card: name, entry, field: 'id', message: `model "${m.id}" is defined twice` });
        continue;
      }
      models.set(m.id, {
        id: m.id,
        label: m.label,
        family: m.family,
        vendor: m.vendor ?? 'unknown',
        imageTokens: { ...(m.image_tokens ?? {}) },
        inputImageTokens: m.input_image_tokens ?? null,
        note: m.note ?? null,
      });
      for (const alias of [m.id, ...(m.aliases ?? [])]) {
        const key = normalizeModelId(alias);
        const existing = aliases.get(key);
        if (existing && existing !== m.id) {
          issues.push({ card: name, entry, field: 'aliases', message: `"${alias}" already names model "${existing}"` });
        } else {
          aliases.set(key, m.id);
        }
      }
    }
    for (const g of card.variant_groups ?? []) {
      if (!g.options.some((o) => o.id === g.default)) {
        issues.push({ card: name, entry: `variant_groups (${g.id})`, field: 'default', message: `"${g.default}" is not one of its options` });
      }
      variantGroups.push(g);
    }
  }

  const selectedVariants: Record<string, string> = {};
  for (const g of variantGroups) {
    const chosen = options.variants?.[g.id];
    selectedVariants[g.id] = chosen && g.options.some((o) => o.id === chosen) ? chosen : g.default;
  }

  const prices: ActivePrice[] = [];
  const entries = new Map<ActivePrice, string>();
  const ids = new Set<string>();
  for (const { name, card } of cards) {
    for (const [i, raw] of card.prices.entries()) {
      const entry = describeEntry('prices', i, raw);
      const id = priceId(raw);
      if (ids.has(id)) {
        issues.push({ card: name, entry, field: 'id', message: `price id "${id}" is used twice` });
        continue;
      }
      ids.add(id);
      if (!models.has(raw.model)) {
        issues.push({ card: name, entry, field: 'model', message: `"${raw.model}" is not a model defined in any loaded rate card` });
        continue;
      }
      if (raw.variant) {
        const group = variantGroups.find((g) => g.id === raw.variant!.group);
        if (!group) {
          issues.push({ card: name, entry, field: 'variant.group', message: `no variant group "${raw.variant.group}"` });
          continue;
        }
        if (!group.options.some((o) => o.id === raw.variant!.option)) {
          issues.push({ card: name, entry, field: 'variant.option', message: `"${raw.variant.option}" is not an option of "${group.id}"` });
          continue;
        }
      }
      const applied = overrides.filter((o) => o.priceId === id);
      const spec = applyOverrides(raw, applied, (field, message) => issues.push({ card: name, entry, field, message }));
      const price = toActivePrice(spec, id, name, entry, issues);
      if (!price) continue;
      price.overridden = applied.map((o) => o.field);
      if (applied.length > 0) price.beforeOverrides = toActivePrice(raw, id, name, entry, []) ?? undefined;
      prices.push(price);
      entries.set(price, entry);
    }
  }

  const active = prices.filter((p) => !p.variant || selectedVariants[p.variant.group] === p.variant.option);
  issues.push(...findOverlaps(active, entries));
  if (issues.length > 0) throw new RateCardError(issues);
  return { models, aliases, prices: active, variantGroups, selectedVariants };
}

function applyOverrides(spec: PriceSpec, overrides: PriceOverride[], fail: (field: string, message: string) => void): PriceSpec {
  if (overrides.length === 0) return spec;
  const copy: PriceSpec = structuredClone(spec);
  for (const o of overrides) {
    const [head, sub] = o.field.split('.') as [string, string | undefined];
    const container = copy as unknown as Record<string, unknown>;
    if (sub === undefined) {
      if (!(FLAT_METERS as readonly string[]).includes(head)) {
        fail(o.field, 'cannot be overridden');
        continue;
      }
      container[head] = o.value;
    } else {
      const allowed =
        head === 'per_million_tokens'
          ? (TOKEN_METERS as readonly string[]).includes(sub)
          : head === 'per_image' && (IMAGE_SIZES as readonly string[]).includes(sub);
      if (!allowed) {
        fail(o.field, 'cannot be overridden');
        continue;
      }
      container[head] = { ...((container[head] as object | undefined) ?? {}), [sub]: o.value };
    }
  }
  return copy;
}

const RATE = /^\d{1,6}(\.\d{1,6})?$/;
const AMOUNT = /^\d{1,4}(\.\d{1,12})?$/;
const MAX = (pattern: RegExp) => (pattern === RATE ? '999999.999999' : '9999.999999999999');

function toActivePrice(spec: PriceSpec, id: string, card: string, entry: string, issues: RateCardIssue[]): ActivePrice | null {
  const before = issues.length;
  const fail = (field: string, message: string) => issues.push({ card, entry, field, message });
  const amount = (field: string, value: string | undefined, pattern = AMOUNT): Pico | null => {
    if (value === undefined) return null;
    if (value.trim().startsWith('-')) {
      fail(field, `must not be negative (got "${value}")`);
      return null;
    }
    if (!pattern.test(value)) {
      const tooLarge = /^\d+(\.\d+)?$/.test(value) && value.split('.')[0]!.length > MAX(pattern).split('.')[0]!.length;
      fail(field, tooLarge ? `"${value}" is too large (max ${MAX(pattern)})` : `"${value}" is not a non-negative decimal${pattern === RATE ? ' with at most 6 decimals' : ''}`);
      return null;
    }
    return parseUsd(value);
  };

  const tokenRates: Partial<Record<TokenMeter, Pico>> = {};
  for (const meter of TOKEN_METERS) {
    const perMillion = amount(`per_million_tokens.${meter}`, spec.per_million_tokens?.[meter], RATE);
    if (perMillion !== null) tokenRates[meter] = (perMillion / 1_000_000n) as Pico;
  }
  const perSize = (field: 'per_image' | 'listed_per_image') => {
    const out: Partial<Record<ImageSize, Pico>> = {};
    for (const [size, value] of Object.entries(spec[field] ?? {})) {
      if (!(IMAGE_SIZES as readonly string[]).includes(size)) {
        fail(`${field}.${size}`, `"${size}" is not an image size (${IMAGE_SIZES.join(', ')})`);
        continue;
      }
      const v = amount(`${field}.${size}`, value);
      if (v !== null) out[size as ImageSize] = v;
    }
    return out;
  };
  const perImage = perSize('per_image');
  const listedPerImage = perSize('listed_per_image');
  const perInputImage = amount('per_input_image', spec.per_input_image);
  const perRequest = amount('per_request', spec.per_request);
  const perGroundingQuery = amount('per_grounding_query', spec.per_grounding_query);

  let from = 0;
  let to: number | null = null;
  let fromOk = true;
  try {
    from = dateToUtcMs(spec.from);
  } catch {
    fromOk = false;
    fail('from', `"${spec.from}" is not a date (YYYY-MM-DD)`);
  }
  if (spec.to) {
    try {
      to = dateToUtcMs(spec.to);
      if (fromOk && to <= from) fail('to', `must be after from (${spec.from}); got ${spec.to}`);
    } catch {
      fail('to', `"${spec.to}" is not a date (YYYY-MM-DD)`);
    }
  }
  try {
    dateToUtcMs(spec.checked);
  } catch {
    fail('checked', `"${spec.checked}" is not a date (YYYY-MM-DD)`);
  }
  if (!(LANES as readonly string[]).includes(spec.lane)) fail('lane', `"${String(spec.lane)}" is not one of ${LANES.join(', ')}`);
  if (tokenRates.output_image === undefined && Object.keys(perImage).length === 0 && tokenRates.output_text === undefined) {
    fail('per_image', 'a price needs per_image prices or per_million_tokens rates');
  }
  const tokensIncluded = spec.tokens_included === true;
  if (tokensIncluded && (Object.keys(perImage).length === 0 || Object.keys(tokenRates).length > 0 || perInputImage !== null)) {
    fail('tokens_included', 'only for a per_image price without token rates or per_input_image');
  }
  if (issues.length > before) return null;
  return {
    id,
    card,
    model: spec.model,
    provider: spec.provider,
    lane: spec.lane,
    from,
    to,
    fromDate: spec.from,
    toDate: spec.to ?? null,
    tokenRates,
    perImage,
    tokensIncluded,
    perInputImage,
    perRequest,
    perGroundingQuery,
    listedPerImage,
    variant: spec.variant ?? null,
    source: spec.source,
    checked: spec.checked,
    note: spec.note ?? null,
    overridden: [],
  };
}

function findOverlaps(prices: ActivePrice[], entries: Map<ActivePrice, string>): RateCardIssue[] {
  const issues: RateCardIssue[] = [];
  const byKey = new Map<string, ActivePrice[]>();
  for (const p of prices) {
    const key = `${p.model} / ${p.provider} / ${p.lane}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (prev.to === null || prev.to > cur.from) {
        issues.push({
          card: cur.card,
          entry: entries.get(cur) ?? `prices (${key} from ${cur.fromDate})`,
          field: 'from',
          message: `${cur.fromDate}–${cur.toDate ?? 'open end'} overlaps ${entries.get(prev) ?? 'another entry'} of ${prev.card} (${prev.fromDate}–${prev.toDate ?? 'open end'}) for the same ${key}`,
        });
      }
    }
  }
  return issues;
}

/** Per-token rate back to USD per 1M tokens, for display. */
export function ratePerMillion(perToken: Pico): Pico {
  return (perToken * 1_000_000n) as Pico;
}


function priceKey(p: PriceSpec): string {
  return `${p.model}\u0000${p.provider}\u0000${p.lane}`;
}

/**
 * Lays user cards over base cards. A user card takes over every model id it defines and every
 * model / provider / lane it prices, so a loaded file (an export, an import) replaces those
 * bundled entries instead of colliding with them; user cards among themselves still must not
 * collide. Base variant groups no remaining price refers to are dropped.
 */
export function layerRateCards(
  base: readonly { name: string; card: RateCard }[],
  overlays: readonly { name: string; card: RateCard }[],
): { name: string; card: RateCard }[] {
  const models = new Set(overlays.flatMap((o) => (o.card.models ?? []).map((m) => m.id)));
  const keys = new Set(overlays.flatMap((o) => o.card.prices.map(priceKey)));
  const trimmed = base.map(({ name, card }) => ({
    name,
    card: { ...card, models: card.models?.filter((m) => !models.has(m.id)), prices: card.prices.filter((p) => !keys.has(priceKey(p))) },
  }));
  const usedGroups = new Set([...trimmed, ...overlays].flatMap((c) => c.card.prices.flatMap((p) => (p.variant ? [p.variant.group] : []))));
  return [
    ...trimmed.map(({ name, card }) => ({ name, card: { ...card, variant_groups: card.variant_groups?.filter((g) => usedGroups.has(g.id)) } })),
    ...overlays,
  ];
}
