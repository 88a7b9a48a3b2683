import { addDays, lastDay, type CubeRow } from './cube';
import { mulPico, ZERO, type Pico } from './money';
import { lookupPrice, type UnpricedReason } from './pricing';
import { dateToUtcMs, IMAGE_SIZES, type ActiveRates, type ImageSize } from './rate-card';
import { monthlyImages, perImagePrices, type Scenario } from './scenario';

/** A workload: requests of a model at a size on a day, with the images paid for (retries included). */
export interface WorkloadCell {
  model: string;
  imageSize: string;
  day: string;
  requests: number;
  billedImages: number;
  /** what was actually billed for these requests, when every one of them was priced; else null */
  actualCost: Pico | null;
}

export interface CandidateResult {
  provider: string;
  lane: string;
  /** image output of the requests it can price, at the prices in force on each request's day */
  cost: Pico;
  pricedRequests: number;
  unpricedRequests: number;
  /** what it cannot price, by model and reason */
  cannot: { model: string; imageSize: string; reason: UnpricedReason; requests: number }[];
  /** the dates the prices it used were checked */
  checked: string[];
  /** like for like: requests it prices that were also actually priced, what they cost there and here */
  compared: { requests: number; actual: Pico; here: Pico } | null;
}

export interface ProviderComparison {
  from: string;
  to: string;
  requests: number;
  actualCost: Pico;
  candidates: CandidateResult[];
}

/** The log's last `days` days (inclusive, up to its last day) as a workload. */
export function workloadFromCube(rows: readonly CubeRow[], days = 30): { from: string; to: string; cells: WorkloadCell[] } | null {
  const to = lastDay(rows);
  if (to === null) return null;
  const from = addDays(to, -(days - 1));
  const cells = new Map<string, WorkloadCell>();
  for (const r of rows) {
    if (r.day < from || r.day > to) continue;
    const key = `${r.model}\u0000${r.imageSize}\u0000${r.day}`;
    const cell = cells.get(key) ?? { model: r.model, imageSize: r.imageSize, day: r.day, requests: 0, billedImages: 0, actualCost: ZERO };
    cell.requests += r.requests;
    cell.billedImages += r.billedImages;
    cell.actualCost = cell.actualCost === null || r.unpricedRequests > 0 ? null : ((cell.actualCost + r.cost) as Pico);
    cells.set(key, cell);
  }
  return { from, to, cells: [...cells.values()] };
}

/**
 * Prices one workload on every provider × lane of the rate card: image output only (the
 * per-image price, exact token math), at the prices in force on each day. A provider that
 * cannot price a request says why; nothing is guessed.
 */
export function compareProviders(rates: ActiveRates, workload: { from: string; to: string; cells: readonly WorkloadCell[] }): ProviderComparison {
  const keys = [...new Set(rates.prices.map((p) => `${p.provider}\u0000${p.lane}`))].sort();
  let requests = 0;
  let actualCost = ZERO;
  for (const c of workload.cells) {
    requests += c.requests;
    if (c.actualCost !== null) actualCost = (actualCost + c.actualCost) as Pico;
  }
  const candidates: CandidateResult[] = keys.map((key) => {
    const [provider, lane] = key.split('\u0000') as [string, string];
    let cost = ZERO;
    let priced = 0;
    let unpriced = 0;
    const cannot = new Map<string, CandidateResult['cannot'][number]>();
    const checked = new Set<string>();
    let comparedRequests = 0;
    let comparedActual = ZERO;
    let comparedHere = ZERO;
    for (const c of workload.cells) {
      const at = dateToUtcMs(c.day);
      const sized = (IMAGE_SIZES as readonly string[]).includes(c.imageSize);
      const found = sized
        ? perImagePrices(rates, { model: c.model, provider, lane, size: c.imageSize as ImageSize }, at)
        : ({ reason: 'size_not_offered' } as const);
      if ('reason' in found) {
        unpriced += c.requests;
        const k = `${c.model}\u0000${c.imageSize}\u0000${found.reason}`;
        const entry = cannot.get(k) ?? { model: c.model, imageSize: c.imageSize, reason: found.reason, requests: 0 };
        entry.requests += c.requests;
        cannot.set(k, entry);
        continue;
      }
      const here = mulPico(found.exact, c.billedImages);
      cost = (cost + here) as Pico;
      priced += c.requests;
      const entry = lookupPrice(rates, { model: c.model, provider, lane, timestamp: at });
      if (entry.price) checked.add(entry.price.checked);
      if (c.actualCost !== null) {
        comparedRequests += c.requests;
        comparedActual = (comparedActual + c.actualCost) as Pico;
        comparedHere = (comparedHere + here) as Pico;
      }
    }
    return {
      provider,
      lane,
      cost,
      pricedRequests: priced,
      unpricedRequests: unpriced,
      cannot: [...cannot.values()].sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model)),
      checked: [...checked].sort(),
      compared: comparedRequests > 0 ? { requests: comparedRequests, actual: comparedActual, here: comparedHere } : null,
    };
  });
  // Those that price the most requests first, then the cheapest.
  candidates.sort((a, b) => b.pricedRequests - a.pricedRequests || (a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0));
  return { from: workload.from, to: workload.to, requests, actualCost, candidates };
}

/** A calculator scenario's month as a workload on one day (images rounded to whole images per line). */
export function workloadFromScenario(s: Scenario, day: string): { from: string; to: string; cells: WorkloadCell[] } {
  const total = monthlyImages(s);
  const shareSum = s.lines.reduce((sum, l) => sum + l.share, 0);
  const cells = s.lines.map((line) => {
    const images = shareSum > 0 ? Math.round((total * line.share) / shareSum) : 0;
    return { model: line.model, imageSize: line.size, day, requests: images, billedImages: Math.round(images * (1 + s.retryPercent / 100)), actualCost: null };
  });
  return { from: day, to: day, cells };
}
