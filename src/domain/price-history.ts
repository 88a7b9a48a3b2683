import type { CubeRow } from './cube';
import { parseUsd } from './money';
import { exportPrice } from './rate-card-export';
import { perImagePrices } from './scenario';
import { dateToUtcMs, IMAGE_SIZES, type ActivePrice, type ActiveRates, type ImageSize, type PriceSpec, type RateCard } from './rate-card';

/** The name of the user card that holds price-history edits made on the Rate card screen. */
export const HISTORY_CARD = 'price-history (edited here)';

export interface PriceKey {
  model: string;
  provider: string;
  lane: string;
}

export const keyOf = (p: PriceKey) => `${p.model}|${p.provider}|${p.lane}`;

/** Every dated entry of one model × provider × lane, oldest first. */
export function priceTimeline(rates: ActiveRates, key: PriceKey): ActivePrice[] {
  return rates.prices.filter((p) => keyOf(p) === keyOf(key)).sort((a, b) => a.from - b.from);
}

/** Requests of the log each entry of a timeline priced (by the request's UTC day), and those it left unpriced. */
export function requestsPerEntry(rows: readonly CubeRow[], entries: readonly ActivePrice[]): Map<string, { requests: number; unpriced: number }> {
  const out = new Map(entries.map((e) => [e.id, { requests: 0, unpriced: 0 }]));
  for (const r of rows) {
    const at = dateToUtcMs(r.day);
    const entry = entries.find((e) => e.model === r.model && e.provider === r.provider && e.lane === r.lane && e.from <= at && (e.to === null || at < e.to));
    if (!entry) continue;
    const n = out.get(entry.id)!;
    n.requests += r.requests - r.unpricedRequests;
    n.unpriced += r.unpricedRequests;
  }
  return out;
}

export type EntryChange =
  | { kind: 'add'; from: string; outputImagePerM?: string; perImage?: Partial<Record<ImageSize, string>> }
  | { kind: 'end'; priceId: string; to: string }
  | { kind: 'edit'; priceId: string; from: string; to: string | null; outputImagePerM?: string; perImage?: Partial<Record<ImageSize, string>> };

/**
 * The history card after one more edit: the edited keys' entries as they are now, with the
 * change applied. A new dated entry copies the entry in force on its date, ends that one the
 * day it starts, and changes only the prices given. An edited entry keeps its neighbours adjoining:
 * the entry that ended where it began (or began where it ended) moves with it. The card replaces
 * those keys' bundled entries.
 */
export function editHistory(rates: ActiveRates, editedKeys: readonly string[], key: PriceKey, change: EntryChange, today: string): RateCard {
  const keys = new Set([...editedKeys, keyOf(key)]);
  const prices: PriceSpec[] = rates.prices.filter((p) => keys.has(keyOf(p))).map(exportPrice);
  if (change.kind === 'end') {
    const entry = prices.find((p) => p.id === change.priceId);
    if (!entry) throw new Error(`no entry ${change.priceId}`);
    entry.to = change.to;
  } else if (change.kind === 'edit') {
    const entry = prices.find((p) => p.id === change.priceId);
    if (!entry) throw new Error(`no entry ${change.priceId}`);
    if (change.to !== null && dateToUtcMs(change.to) <= dateToUtcMs(change.from)) throw new Error(`an entry must end after it starts (${change.from} → ${change.to})`);
    const timeline = prices.filter((p) => keyOf(p) === keyOf(key) && p !== entry);
    const before = timeline.find((p) => p.to === entry.from);
    const after = entry.to == null ? undefined : timeline.find((p) => p.from === entry.to);
    if (before) before.to = change.from;
    if (after && change.to !== null) after.from = change.to;
    entry.from = change.from;
    entry.to = change.to;
    const differs = (was: string | undefined, now: string | undefined) => now !== undefined && (was === undefined || parseUsd(was) !== parseUsd(now));
    const repriced =
      differs(entry.per_million_tokens?.output_image, change.outputImagePerM) ||
      Object.entries(change.perImage ?? {}).some(([size, v]) => differs(entry.per_image?.[size as ImageSize], v));
    if (change.outputImagePerM !== undefined) entry.per_million_tokens = { ...entry.per_million_tokens, output_image: change.outputImagePerM };
    if (change.perImage) entry.per_image = { ...entry.per_image, ...change.perImage };
    entry.source = `${entry.source.replace(/; edited on the Rate card screen \(\d{4}-\d{2}-\d{2}\)$/, '')}; edited on the Rate card screen (${today})`;
    // A changed price is one the user vouches for today; moving an entry's dates re-checks nothing.
    if (repriced) entry.checked = today;
  } else {
    const at = dateToUtcMs(change.from);
    const timeline = prices.filter((p) => keyOf(p) === keyOf(key));
    const current = timeline.find((p) => dateToUtcMs(p.from) <= at && (p.to == null || at < dateToUtcMs(p.to)));
    const base: PriceSpec = current ?? timeline.at(-1) ?? { model: key.model, provider: key.provider, lane: key.lane as PriceSpec['lane'], from: change.from, source: '', checked: today };
    const added: PriceSpec = {
      ...base,
      id: `${keyOf(key)}|from-${change.from}`,
      from: change.from,
      to: current ? (current.to ?? null) : (timeline.find((p) => dateToUtcMs(p.from) > at)?.from ?? null),
      source: `entered on the Rate card screen (${today})`,
      checked: today,
      note: current ? `Replaces ${current.id ?? 'the previous entry'} from ${change.from}.` : undefined,
    };
    if (added.note === undefined) delete added.note;
    if (change.outputImagePerM !== undefined) added.per_million_tokens = { ...base.per_million_tokens, output_image: change.outputImagePerM };
    if (change.perImage) added.per_image = { ...base.per_image, ...change.perImage };
    if (current) current.to = change.from;
    prices.push(added);
  }
  return { format: 'pixelspend-rate-card', version: 1, name: HISTORY_CARD, prices };
}

/** How a change of rates moves the log's requests: their image price changes, they lose or gain a price. */
export interface PriceChangeCounts {
  changed: number;
  becomeUnpriced: number;
  becomePriced: number;
}

export function priceChanges(rows: readonly CubeRow[], before: ActiveRates, after: ActiveRates): PriceChangeCounts {
  const out: PriceChangeCounts = { changed: 0, becomeUnpriced: 0, becomePriced: 0 };
  for (const r of rows) {
    if (!(IMAGE_SIZES as readonly string[]).includes(r.imageSize)) continue;
    const at = dateToUtcMs(r.day);
    const key = { model: r.model, provider: r.provider, lane: r.lane, size: r.imageSize as ImageSize };
    const a = perImagePrices(before, key, at);
    const b = perImagePrices(after, key, at);
    if ('reason' in a && 'reason' in b) continue;
    if ('reason' in b) out.becomeUnpriced += r.requests;
    else if ('reason' in a) out.becomePriced += r.requests;
    else if (a.exact !== b.exact) out.changed += r.requests;
  }
  return out;
}
