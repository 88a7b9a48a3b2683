import { decodeBase64Url, encodeBase64Url } from './base64url';
import { addDays, collapseDays, lastDay, type CubeRow } from './cube';
import { ZERO, type Pico } from './money';
import { mulRatio } from './money-ratio';
import { exactPerImage, lookupPrice, type UnpricedReason } from './pricing';
import { IMAGE_SIZES, LANES, type ActiveRates, type ImageSize, type Lane } from './rate-card';

/** One slice of a scenario's volume: a model at a size on a lane through a provider. */
export interface ScenarioLine {
  model: string;
  provider: string;
  lane: Lane;
  size: ImageSize;
  /** a weight: the line gets share ÷ (sum of shares) of the volume */
  share: number;
  /** expected acceptance, percent; null when not known */
  acceptance: number | null;
}

/** A what-if: how many images, split how, with what retry overhead. Plain JSON: it travels in URLs. */
export interface Scenario {
  name: string;
  volume: number;
  per: 'day' | 'month';
  daysPerMonth: number;
  /** extra billed attempts per 100 requests */
  retryPercent: number;
  lines: ScenarioLine[];
}

export const SCENARIO_LIMITS = {
  maxLines: 24,
  maxVolume: 100_000_000,
  maxShare: 1_000_000_000,
  maxRetryPercent: 500,
  maxNameLength: 80,
  maxIdLength: 80,
  /** characters of the base64url URL parameter */
  maxParamLength: 6000,
} as const;

export const DEFAULT_SCENARIO: Scenario = {
  name: 'Flash 1K, 1,000 a day',
  volume: 1000,
  per: 'day',
  daysPerMonth: 30,
  retryPercent: 0,
  lines: [{ model: 'gemini-3.1-flash-image', provider: 'google', lane: 'standard', size: '1K', share: 100, acceptance: null }],
};

export function cloneScenario(s: Scenario): Scenario {
  return { ...s, lines: s.lines.map((l) => ({ ...l })) };
}

// ---------------------------------------------------------------------------------------------
// Calculator

export interface LineResult {
  line: ScenarioLine;
  /** images a month for this line (a share of the volume, so possibly fractional) */
  monthlyImages: number;
  perImageExact: Pico | null;
  perImageListed: Pico | null;
  /** cost without retries */
  baseCost: Pico;
  retryCost: Pico;
  cost: Pico;
  listedCost: Pico | null;
  acceptedImages: number | null;
  reason: UnpricedReason | null;
}

export interface Breakdown {
  key: string;
  cost: Pico;
  monthlyImages: number;
}

export interface ScenarioResult {
  monthlyImages: number;
  cost: Pico;
  baseCost: Pico;
  retryCost: Pico;
  /** at the publishers' rounded per-image prices; null when a priced line has none */
  listedCost: Pico | null;
  costPerImage: Pico | null;
  /** null unless every priced line has an acceptance rate */
  acceptedImages: number | null;
  costPerAccepted: Pico | null;
  lines: LineResult[];
  unpricedLines: number;
  byModel: Breakdown[];
  bySize: Breakdown[];
  byLane: Breakdown[];
  byProvider: Breakdown[];
}

export function monthlyImages(s: Scenario): number {
  return s.per === 'day' ? s.volume * s.daysPerMonth : s.volume;
}

/** The exact and the listed price of one image, or why there is none. */
export function perImagePrices(
  rates: ActiveRates,
  key: { model: string; provider: string; lane: string; size: ImageSize },
  at: number,
): { exact: Pico; listed: Pico | null; model: string } | { reason: UnpricedReason } {
  const found = lookupPrice(rates, { model: key.model, provider: key.provider, lane: key.lane, timestamp: at });
  if (!found.price) return { reason: found.reason };
  const exact = exactPerImage(found.price, rates.models.get(found.model)?.imageTokens ?? {}, key.size);
  if (exact === null) {
    // Same order as priceRequest: an entry with no image price at all says so, not "size not offered".
    const pricesImages = Object.keys(found.price.perImage).length > 0 || found.price.tokenRates.output_image !== undefined;
    return { reason: pricesImages ? 'size_not_offered' : 'image_not_priced' };
  }
  return { exact, listed: found.price.listedPerImage[key.size] ?? null, model: found.model };
}

/**
 * Monthly cost of a scenario at the prices in force at `at`. Each line's cost is
 * price × monthly images × share ÷ Σ shares × (1 + retry %), computed on integers and
 * rounded once to the picodollar; totals are exact sums of the lines.
 */
export function computeScenario(s: Scenario, rates: ActiveRates, at: number): ScenarioResult {
  const total = monthlyImages(s);
  const shareSum = s.lines.reduce((sum, l) => sum + l.share, 0);
  const retryBp = BigInt(Math.round(s.retryPercent * 100));
  const lines: LineResult[] = s.lines.map((line) => {
    const images = shareSum > 0 ? (total * line.share) / shareSum : 0;
    const found = perImagePrices(rates, line, at);
    const acceptedImages = line.acceptance === null ? null : (images * line.acceptance) / 100;
    if ('reason' in found || shareSum === 0) {
      return {
        line, monthlyImages: images, perImageExact: null, perImageListed: null, baseCost: ZERO, retryCost: ZERO, cost: ZERO,
        listedCost: null, acceptedImages, reason: 'reason' in found ? found.reason : null,
      };
    }
    const num = BigInt(total) * BigInt(line.share);
    const den = BigInt(shareSum);
    const baseCost = mulRatio(found.exact, num, den);
    const cost = mulRatio(found.exact, num * (10_000n + retryBp), den * 10_000n);
    const listedCost = found.listed === null ? null : mulRatio(found.listed, num * (10_000n + retryBp), den * 10_000n);
    return {
      line, monthlyImages: images, perImageExact: found.exact, perImageListed: found.listed, baseCost,
      retryCost: (cost - baseCost) as Pico, cost, listedCost, acceptedImages, reason: null,
    };
  });
  const priced = lines.filter((l) => l.reason === null);
  const sum = (pick: (l: LineResult) => Pico) => priced.reduce((acc, l) => acc + pick(l), 0n) as Pico;
  const cost = sum((l) => l.cost);
  const listedCost = priced.every((l) => l.listedCost !== null) ? sum((l) => l.listedCost!) : null;
  const pricedImages = priced.reduce((n, l) => n + l.monthlyImages, 0);
  const acceptedImages =
    priced.length > 0 && priced.every((l) => l.acceptedImages !== null) ? priced.reduce((n, l) => n + l.acceptedImages!, 0) : null;
  return {
    monthlyImages: total,
    cost,
    baseCost: sum((l) => l.baseCost),
    retryCost: sum((l) => l.retryCost),
    listedCost,
    costPerImage: perUnit(cost, pricedImages),
    acceptedImages,
    costPerAccepted: acceptedImages === null ? null : perUnit(cost, acceptedImages),
    lines,
    unpricedLines: lines.length - priced.length,
    byModel: breakdown(priced, (l) => l.line.model),
    bySize: breakdown(priced, (l) => l.line.size),
    byLane: breakdown(priced, (l) => l.line.lane),
    byProvider: breakdown(priced, (l) => l.line.provider),
  };
}

/** cost ÷ a (possibly fractional) count, to the picodollar; null when the count rounds to nothing. */
export function perUnit(cost: Pico, count: number): Pico | null {
  const millionths = Math.round(count * 1_000_000);
  return Number.isSafeInteger(millionths) && millionths > 0 ? mulRatio(cost, 1_000_000n, BigInt(millionths)) : null;
}

function breakdown(lines: readonly LineResult[], key: (l: LineResult) => string): Breakdown[] {
  const groups = new Map<string, Breakdown>();
  for (const l of lines) {
    const k = key(l);
    const g = groups.get(k) ?? { key: k, cost: ZERO, monthlyImages: 0 };
    g.cost = (g.cost + l.cost) as Pico;
    g.monthlyImages += l.monthlyImages;
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => (a.cost === b.cost ? a.key.localeCompare(b.key) : a.cost > b.cost ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// The classic tables

export interface TableCell {
  exact: Pico | null;
  listed: Pico | null;
}

/** images/day × size → monthly cost (price × images/day × days), exact and at list price. */
export function monthlyBySizeTable(
  rates: ActiveRates,
  opts: { model: string; provider: string; lane: Lane; perDay: readonly number[]; sizes?: readonly ImageSize[]; days?: number; at: number },
): { perDay: number; cells: ({ size: ImageSize } & TableCell)[] }[] {
  const sizes = opts.sizes ?? IMAGE_SIZES;
  const days = opts.days ?? 30;
  return opts.perDay.map((perDay) => ({
    perDay,
    cells: sizes.map((size) => {
      const p = perImagePrices(rates, { ...opts, size }, opts.at);
      if ('reason' in p) return { size, exact: null, listed: null };
      const n = BigInt(perDay * days);
      return { size, exact: mulRatio(p.exact, n, 1n), listed: p.listed === null ? null : mulRatio(p.listed, n, 1n) };
    }),
  }));
}

export interface LaneRow {
  size: ImageSize;
  standard: TableCell;
  batch: TableCell;
  saving: TableCell;
}

/** Standard vs batch monthly cost per size for a daily volume, with the saving. */
export function standardVsBatchTable(
  rates: ActiveRates,
  opts: { model: string; provider: string; perDay: number; sizes?: readonly ImageSize[]; days?: number; at: number },
): LaneRow[] {
  const n = BigInt(opts.perDay * (opts.days ?? 30));
  const monthly = (lane: Lane, size: ImageSize): TableCell => {
    const p = perImagePrices(rates, { model: opts.model, provider: opts.provider, lane, size }, opts.at);
    if ('reason' in p) return { exact: null, listed: null };
    return { exact: mulRatio(p.exact, n, 1n), listed: p.listed === null ? null : mulRatio(p.listed, n, 1n) };
  };
  const minus = (a: Pico | null, b: Pico | null) => (a === null || b === null ? null : ((a - b) as Pico));
  return (opts.sizes ?? IMAGE_SIZES).map((size) => {
    const standard = monthly('standard', size);
    const batch = monthly('batch', size);
    return { size, standard, batch, saving: { exact: minus(standard.exact, batch.exact), listed: minus(standard.listed, batch.listed) } };
  });
}

// ---------------------------------------------------------------------------------------------
// Start from my data

/**
 * A scenario that reproduces the logs' last `days` days (ending on the last logged day):
 * images per day, the mix of model × size × lane × provider (largest lines, up to the line
 * limit), the retry overhead and each line's observed acceptance.
 */
export function scenarioFromCube(rows: readonly CubeRow[], days = 30): { scenario: Scenario; from: string; to: string; coverage: number } | null {
  const to = lastDay(rows);
  if (to === null) return null;
  const from = addDays(to, -(days - 1));
  const cells = collapseDays(rows, from, to);
  const lines = new Map<string, { line: ScenarioLine; withFeedback: number; accepted: number }>();
  let images = 0, billedImages = 0;
  for (const c of cells) {
    images += c.images;
    billedImages += c.billedImages;
    if (!isLane(c.lane) || !isSize(c.imageSize) || !isSafeId(c.model) || !isSafeId(c.provider)) continue;
    const key = `${c.model}|${c.provider}|${c.lane}|${c.imageSize}`;
    const entry = lines.get(key) ?? {
      line: { model: c.model, provider: c.provider, lane: c.lane, size: c.imageSize, share: 0, acceptance: null },
      withFeedback: 0,
      accepted: 0,
    };
    entry.line.share += c.images;
    entry.withFeedback += c.withFeedback;
    entry.accepted += c.accepted;
    lines.set(key, entry);
  }
  if (images === 0) return null;
  const ranked = [...lines.values()].sort((a, b) => b.line.share - a.line.share || a.line.model.localeCompare(b.line.model));
  const kept = ranked.slice(0, SCENARIO_LIMITS.maxLines).filter((e) => e.line.share > 0);
  const keptImages = kept.reduce((n, e) => n + e.line.share, 0);
  const scenario: Scenario = {
    name: `My data, ${from} to ${to}`,
    volume: Math.round(images / days),
    per: 'day',
    daysPerMonth: 30,
    retryPercent: round2(((billedImages - images) / images) * 100),
    lines: kept.map((e) => ({
      ...e.line,
      acceptance: e.withFeedback > 0 ? round2((e.accepted / e.withFeedback) * 100) : null,
    })),
  };
  return { scenario, from, to, coverage: keptImages / images };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Sharing: scenarios in URLs, validated strictly

const SAFE_ID = /^[A-Za-z0-9][\w.:/@+-]*$/;
/** Letters, digits, spaces and plain punctuation: no markup, no control characters. */
const SAFE_NAME = /^[\p{L}\p{N} .,_()+#&/:'%-]*$/u;
const SCENARIO_KEYS = ['name', 'volume', 'per', 'daysPerMonth', 'retryPercent', 'lines'];
const LINE_KEYS = ['model', 'provider', 'lane', 'size', 'share', 'acceptance'];

function isLane(v: unknown): v is Lane {
  return typeof v === 'string' && (LANES as readonly string[]).includes(v);
}
function isSize(v: unknown): v is ImageSize {
  return typeof v === 'string' && (IMAGE_SIZES as readonly string[]).includes(v);
}
function isSafeId(v: unknown): v is string {
  return typeof v === 'string' && v.length <= SCENARIO_LIMITS.maxIdLength && SAFE_ID.test(v);
}
function isNumberIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}
function hasAtMostDecimals(v: number, decimals: number): boolean {
  const scaled = v * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; problem: string };

/**
 * Checks untrusted JSON (a shared link, local storage) against the scenario shape: only
 * known keys, plain identifiers, enumerated lanes and sizes, integers where counts are
 * meant, every number inside its limit. The first problem is returned, never thrown.
 */
export function validateScenario(json: unknown): ScenarioCheck {
  const fail = (problem: string): ScenarioCheck => ({ ok: false, problem });
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('not a scenario object');
  const o = json as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !SCENARIO_KEYS.includes(k));
  if (unknown !== undefined) return fail(`unknown field "${unknown.slice(0, 30)}"`);
  const L = SCENARIO_LIMITS;
  if (typeof o.name !== 'string' || o.name.length > L.maxNameLength || !SAFE_NAME.test(o.name))
    return fail(`the name must be up to ${L.maxNameLength} letters, digits, spaces or plain punctuation`);
  if (!isNumberIn(o.volume, 0, L.maxVolume) || !Number.isInteger(o.volume))
    return fail(`the volume must be a whole number from 0 to ${L.maxVolume.toLocaleString('en-US')}`);
  if (o.per !== 'day' && o.per !== 'month') return fail('the volume must be per "day" or per "month"');
  if (!isNumberIn(o.daysPerMonth, 1, 31) || !Number.isInteger(o.daysPerMonth)) return fail('days per month must be a whole number from 1 to 31');
  if (!isNumberIn(o.retryPercent, 0, L.maxRetryPercent) || !hasAtMostDecimals(o.retryPercent, 2))
    return fail(`the retry rate must be 0–${L.maxRetryPercent}% with at most 2 decimals`);
  if (!Array.isArray(o.lines) || o.lines.length === 0 || o.lines.length > L.maxLines) return fail(`a scenario has 1 to ${L.maxLines} lines`);
  const lines: ScenarioLine[] = [];
  for (const [i, raw] of o.lines.entries()) {
    const at = `line ${i + 1}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(`${at} is not an object`);
    const l = raw as Record<string, unknown>;
    const bad = Object.keys(l).find((k) => !LINE_KEYS.includes(k));
    if (bad !== undefined) return fail(`${at}: unknown field "${bad.slice(0, 30)}"`);
    if (!isSafeId(l.model)) return fail(`${at}: the model must be a plain identifier`);
    if (!isSafeId(l.provider)) return fail(`${at}: the provider must be a plain identifier`);
    if (!isLane(l.lane)) return fail(`${at}: the lane must be one of ${LANES.join(', ')}`);
    if (!isSize(l.size)) return fail(`${at}: the size must be one of ${IMAGE_SIZES.join(', ')}`);
    if (!isNumberIn(l.share, 0, L.maxShare) || !Number.isInteger(l.share)) return fail(`${at}: the share must be a whole number from 0 to ${L.maxShare}`);
    if (l.acceptance !== null && (!isNumberIn(l.acceptance, 0, 100) || !hasAtMostDecimals(l.acceptance, 2)))
      return fail(`${at}: the acceptance must be empty or 0–100%`);
    lines.push({ model: l.model, provider: l.provider, lane: l.lane, size: l.size, share: l.share, acceptance: l.acceptance as number | null });
  }
  return {
    ok: true,
    scenario: { name: o.name, volume: o.volume, per: o.per, daysPerMonth: o.daysPerMonth, retryPercent: o.retryPercent, lines },
  };
}

/** Saved scenarios as read back from storage: entries that fail validation are dropped. */
export function sanitizeSaved(saved: unknown): { id: string; scenario: Scenario }[] {
  if (!Array.isArray(saved)) return [];
  return saved.flatMap((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') return [];
    const { id, scenario } = entry as { id?: unknown; scenario?: unknown };
    if (typeof id !== 'string' || id.length > 100) return [];
    const checked = validateScenario(scenario);
    return checked.ok ? [{ id, scenario: checked.scenario }] : [];
  });
}

/** The scenario as a URL-safe token: base64url of its UTF-8 JSON. */
export function encodeScenario(s: Scenario): string {
  return encodeBase64Url(JSON.stringify(s));
}

export type ScenarioLink = { ok: true; scenario: Scenario } | { ok: false; problem: string; scenario: Scenario };

/** Reads a `scenario` URL parameter; anything wrong gives a plain-text problem and the default scenario. */
export function decodeScenario(token: string): ScenarioLink {
  const fallback = (problem: string): ScenarioLink => ({ ok: false, problem, scenario: cloneScenario(DEFAULT_SCENARIO) });
  if (token.length > SCENARIO_LIMITS.maxParamLength) return fallback('the scenario in the link is too long');
  const decoded = decodeBase64Url(token);
  if (!decoded.ok) return fallback(`the scenario in the link ${decoded.problem}`);
  const text = decoded.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fallback('the scenario in the link is not valid JSON');
  }
  const checked = validateScenario(json);
  return checked.ok ? checked : fallback(`the scenario in the link was refused: ${checked.problem}`);
}

// ---------------------------------------------------------------------------------------------
// Comparison and export

export interface ComparisonMetric {
  id: string;
  label: string;
  kind: 'money' | 'count';
  values: (Pico | number | null)[];
}

/** Figures of 2–4 scenarios, side by side; the first is the baseline for differences. */
export function compareScenarios(results: readonly ScenarioResult[]): ComparisonMetric[] {
  return [
    { id: 'monthly_cost', label: 'Monthly cost (exact)', kind: 'money', values: results.map((r) => r.cost) },
    { id: 'monthly_listed', label: 'Monthly cost (list prices)', kind: 'money', values: results.map((r) => r.listedCost) },
    { id: 'retry_cost', label: 'of which retries', kind: 'money', values: results.map((r) => r.retryCost) },
    { id: 'images', label: 'Images a month', kind: 'count', values: results.map((r) => r.monthlyImages) },
    { id: 'cost_per_image', label: 'Cost per image', kind: 'money', values: results.map((r) => r.costPerImage) },
    { id: 'accepted_images', label: 'Accepted images a month', kind: 'count', values: results.map((r) => r.acceptedImages) },
    { id: 'cost_per_accepted', label: 'Cost per accepted image', kind: 'money', values: results.map((r) => r.costPerAccepted) },
    {
      id: 'unpriced_images',
      label: 'Images with no price (left out of cost)',
      kind: 'count',
      values: results.map((r) => r.lines.reduce((n, l) => (l.reason ? n + l.monthlyImages : n), 0)),
    },
  ];
}

/** value − baseline, and the same as a share of the baseline (null when undefined). */
export function difference(value: Pico | number | null, baseline: Pico | number | null): { delta: Pico | number | null; percent: number | null } {
  if (value === null || baseline === null) return { delta: null, percent: null };
  if (typeof value === 'bigint' && typeof baseline === 'bigint') {
    const delta = (value - baseline) as Pico;
    return { delta, percent: baseline === 0n ? null : Number((delta * 1_000_000n) / baseline) / 1e6 };
  }
  const v = Number(value), b = Number(baseline);
  return { delta: v - b, percent: b === 0 ? null : (v - b) / b };
}
