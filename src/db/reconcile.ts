import type { Filters } from '../domain/filters';
import { formatExact, parseUsd, type Pico } from '../domain/money';
import { DEFAULT_TOLERANCE, type CauseFigures, type ReconcileCause, type ReconcileGroup, type Reconciliation } from '../domain/reconcile';
import type { Engine } from './engine';
import { filterWhere } from './sql/filters';
import { reconcileGroupsQuery, reconcileRowsQuery, reconcileTotalsQuery } from './sql/reconcile';

export interface ReconcileOptions {
  filters?: Filters;
  tolerance?: Pico;
  /** Output name → SQL over priced rows (`RECONCILE_DIMENSIONS`, `attributeKeySql`). */
  groupBy?: Record<string, string>;
  limit?: number;
  /** false: totals only (one query on the priced cube), no per-request tolerance, causes or groups. */
  detail?: boolean;
}

interface GroupSqlRow {
  rank: number;
  requests: number;
  billed: string;
  computed: string;
  difference: string;
  outside: number;
  unpriced_requests: number;
  unpriced_billed: string;
  cause: ReconcileCause;
  alt_price_id: string | null;
  alt_from: string | null;
  cause_requests: number;
  cause_billed: string;
  cause_difference: string;
  [key: string]: unknown;
}

function cause(r: GroupSqlRow): CauseFigures {
  return {
    cause: r.cause,
    requests: Number(r.cause_requests),
    billed: parseUsd(r.cause_billed),
    difference: r.cause === 'unpriced' ? null : parseUsd(r.cause_difference),
    entry: r.alt_price_id ? { priceId: r.alt_price_id, from: r.alt_from ?? '' } : null,
  };
}

/** Groups of `reconcileGroupsQuery` rows (one per group × cause), in rank order. */
function toGroups(rows: GroupSqlRow[], keys: string[]): ReconcileGroup[] {
  const groups = new Map<number, ReconcileGroup>();
  for (const r of rows) {
    let g = groups.get(Number(r.rank));
    if (!g) {
      g = {
        key: Object.fromEntries(keys.map((k) => [k, String(r[k] ?? '')])),
        requests: Number(r.requests),
        billed: parseUsd(r.billed),
        computed: parseUsd(r.computed),
        difference: parseUsd(r.difference),
        outsideTolerance: Number(r.outside),
        unpricedRequests: Number(r.unpriced_requests),
        unpricedBilled: parseUsd(r.unpriced_billed),
        causes: [],
      };
      groups.set(Number(r.rank), g);
    }
    g.causes.push(cause(r));
  }
  return [...groups.values()];
}

/** Classifies the filtered requests with billed cost into `reconcile_rows` (see reconcileRowsQuery). */
async function classify(engine: Engine, options: ReconcileOptions): Promise<void> {
  const q = reconcileRowsQuery(filterWhere(options.filters ?? {}), formatExact(options.tolerance ?? DEFAULT_TOLERANCE));
  await engine.query(q.sql, q.params);
}

async function groupsOf(engine: Engine, keys: Record<string, string>, limit: number): Promise<ReconcileGroup[]> {
  const q = reconcileGroupsQuery(keys, limit);
  return toGroups(await engine.query<GroupSqlRow>(q.sql, q.params), Object.keys(keys));
}

/** The groups with the largest billed − computed difference, with their causes. */
export async function loadReconcileGroups(engine: Engine, options: ReconcileOptions = {}): Promise<ReconcileGroup[]> {
  await classify(engine, options);
  return groupsOf(engine, options.groupBy ?? {}, options.limit ?? 20);
}

/** Billed versus computed over the requests with billed cost: totals, causes, the top groups. */
export async function loadReconciliation(engine: Engine, options: ReconcileOptions = {}): Promise<Reconciliation> {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const t = reconcileTotalsQuery(filterWhere(options.filters ?? {}));
  const [totals] = await engine.query<{
    requests: number; priced_requests: number; billed: string; computed: string; unpriced_requests: number; unpriced_billed: string;
  }>(t.sql, t.params);
  const groupBy = options.groupBy ?? {};
  const detail = options.detail !== false && Number(totals!.requests) > 0;
  if (detail) await classify(engine, { ...options, tolerance });
  const [all] = detail ? await groupsOf(engine, {}, 1) : [];
  const groups = detail ? await groupsOf(engine, groupBy, options.limit ?? 20) : [];
  const billed = parseUsd(totals!.billed);
  const computed = parseUsd(totals!.computed);
  return {
    tolerance,
    requestsWithBilledCost: Number(totals!.requests),
    pricedRequests: Number(totals!.priced_requests),
    billed,
    computed,
    difference: (billed - computed) as Pico,
    // no rows behind the totals: a usage cube file, which holds sums, not requests
    requestsOutsideTolerance: Number(totals!.requests) === 0 ? 0 : (all?.outsideTolerance ?? null),
    unpricedRequests: Number(totals!.unpriced_requests),
    unpricedBilled: parseUsd(totals!.unpriced_billed),
    causes: all?.causes ?? [],
    groupKeys: Object.keys(groupBy),
    groups,
  };
}
