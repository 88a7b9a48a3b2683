import { ZERO, type Pico } from './money';
import { wilsonInterval } from './stats';

/**
 * One cell of the pre-aggregated log: requests grouped by canonical model × size × lane ×
 * provider × job type × UTC day (built by `src/db/sql/cube.ts`). Scenario, policy and budget
 * math run on these cells, so a slider move never rescans the raw rows.
 */
export interface CubeRow {
  model: string;
  imageSize: string;
  lane: string;
  provider: string;
  jobType: string;
  /** YYYY-MM-DD, UTC */
  day: string;
  requests: number;
  /** Σ images per request */
  images: number;
  attempts: number;
  billedAttempts: number;
  /** Σ images × billed attempts: the images paid for, retries included */
  billedImages: number;
  /** requests with an accepted / rejected mark */
  withFeedback: number;
  accepted: number;
  /** requests the rate card could not price (their cost is not in `cost`) */
  unpricedRequests: number;
  /** exact billed cost of the priced requests */
  cost: Pico;
}

/** A cell without its day: the cube collapsed over a date window. */
export type CubeCell = Omit<CubeRow, 'day'>;

const CELL_KEY = (r: CubeCell) => `${r.model}\u0000${r.imageSize}\u0000${r.lane}\u0000${r.provider}\u0000${r.jobType}`;

/** Sums the rows of an inclusive day window (whole cube when the bounds are undefined) into day-less cells. */
export function collapseDays(rows: readonly CubeRow[], from?: string, to?: string): CubeCell[] {
  const cells = new Map<string, CubeCell>();
  for (const r of rows) {
    if ((from !== undefined && r.day < from) || (to !== undefined && r.day > to)) continue;
    const key = CELL_KEY(r);
    const cell = cells.get(key);
    if (!cell) {
      const { day: _day, ...rest } = r;
      cells.set(key, { ...rest });
      continue;
    }
    cell.requests += r.requests;
    cell.images += r.images;
    cell.attempts += r.attempts;
    cell.billedAttempts += r.billedAttempts;
    cell.billedImages += r.billedImages;
    cell.withFeedback += r.withFeedback;
    cell.accepted += r.accepted;
    cell.unpricedRequests += r.unpricedRequests;
    cell.cost = (cell.cost + r.cost) as Pico;
  }
  return [...cells.values()];
}

/** Total billed cost per day, ascending by day. */
export function dailyCost(rows: readonly CubeRow[]): { day: string; cost: Pico; images: number }[] {
  const days = new Map<string, { cost: Pico; images: number }>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { cost: ZERO, images: 0 };
    d.cost = (d.cost + r.cost) as Pico;
    d.images += r.images;
    days.set(r.day, d);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, d]) => ({ day, ...d }));
}

export function lastDay(rows: readonly CubeRow[]): string | null {
  let max: string | null = null;
  for (const r of rows) if (max === null || r.day > max) max = r.day;
  return max;
}

/** YYYY-MM-DD shifted by whole days (UTC). */
export function addDays(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

/** What the logs say about one model on one job type: retry and acceptance, with a 95% Wilson interval. */
export interface Observed {
  requests: number;
  images: number;
  billedAttempts: number;
  withFeedback: number;
  accepted: number;
  /**
   * Share of billed attempts that were followed by another attempt: the per-attempt failure
   * probability of a geometric retry model, whose mean attempts per request = 1 / (1 − q).
   */
  retryQ: number;
  acceptance: number | null;
  acceptanceLow: number | null;
  acceptanceHigh: number | null;
}

export interface ObservedTable {
  byModelJob: Map<string, Observed>;
  byModel: Map<string, Observed>;
  overall: Observed;
}

function observe(cells: readonly CubeCell[]): Observed {
  let requests = 0, images = 0, billed = 0, withFeedback = 0, accepted = 0;
  for (const c of cells) {
    requests += c.requests;
    images += c.images;
    billed += c.billedAttempts;
    withFeedback += c.withFeedback;
    accepted += c.accepted;
  }
  const ci = withFeedback > 0 ? wilsonInterval(accepted, withFeedback) : null;
  return {
    requests,
    images,
    billedAttempts: billed,
    withFeedback,
    accepted,
    retryQ: billed > 0 ? Math.max(0, (billed - requests) / billed) : 0,
    acceptance: withFeedback > 0 ? accepted / withFeedback : null,
    acceptanceLow: ci?.low ?? null,
    acceptanceHigh: ci?.high ?? null,
  };
}

const MJ = (model: string, jobType: string) => `${model}\u0000${jobType}`;

/** Retry and acceptance per model × job type, per model, and overall. */
export function observeCells(cells: readonly CubeCell[]): ObservedTable {
  const groups = new Map<string, CubeCell[]>();
  const models = new Map<string, CubeCell[]>();
  for (const c of cells) {
    const k = MJ(c.model, c.jobType);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(c);
    (models.get(c.model) ?? models.set(c.model, []).get(c.model)!).push(c);
  }
  return {
    byModelJob: new Map([...groups].map(([k, v]) => [k, observe(v)])),
    byModel: new Map([...models].map(([k, v]) => [k, observe(v)])),
    overall: observe(cells),
  };
}

/**
 * The observation to use for a model on a job type: the model × job type cell when it has
 * feedback, else the model overall, else nothing (acceptance unknown).
 */
export function observedFor(table: ObservedTable, model: string, jobType: string): Observed | undefined {
  const exact = table.byModelJob.get(MJ(model, jobType));
  if (exact && exact.withFeedback > 0) return exact;
  return table.byModel.get(model) ?? exact;
}
