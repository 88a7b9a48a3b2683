import { parseUsd, toUsdNumber, type Pico } from './money';

/** Why a request's billed cost differs from its computed cost; the SQL classification is in src/db/sql/reconcile.ts. */
export const RECONCILE_CAUSES = ['unpriced', 'failed_billed', 'not_billed', 'thinking_tokens', 'rate_override', 'other_price', 'other'] as const;
export type ReconcileCause = (typeof RECONCILE_CAUSES)[number] | 'match';

/** Default tolerance per request: one micro-dollar. */
export const DEFAULT_TOLERANCE_USD = '0.000001';
export const DEFAULT_TOLERANCE: Pico = parseUsd(DEFAULT_TOLERANCE_USD);

export const CAUSE_LABELS: Record<ReconcileCause, string> = {
  match: 'within tolerance',
  unpriced: 'unpriced (no computed cost)',
  failed_billed: 'failed request billed',
  not_billed: 'request not billed',
  thinking_tokens: 'thinking tokens',
  rate_override: 'rate override',
  other_price: 'a different price in force',
  other: 'other',
};

export interface CauseFigures {
  cause: ReconcileCause;
  requests: number;
  /** Σ billed cost of these requests. */
  billed: Pico;
  /** Σ (billed − computed); null for unpriced requests (no computed cost). */
  difference: Pico | null;
  /** For `rate_override` and `other_price`: the price entry the billed cost matches, and its start date. */
  entry: { priceId: string; from: string } | null;
}

export interface ReconcileGroup {
  key: Record<string, string>;
  /** Requests with billed cost, priced or not. */
  requests: number;
  /** Σ billed over the priced ones. */
  billed: Pico;
  computed: Pico;
  /** billed − computed. */
  difference: Pico;
  outsideTolerance: number;
  unpricedRequests: number;
  unpricedBilled: Pico;
  /** Largest |difference| first (unpriced by its billed cost); `match` included. */
  causes: CauseFigures[];
}

export interface Reconciliation {
  tolerance: Pico;
  /** Requests that carry a billed cost, priced or not. */
  requestsWithBilledCost: number;
  pricedRequests: number;
  /** Σ billed cost of the priced requests with billed cost. */
  billed: Pico;
  /** Σ computed cost of the same requests. */
  computed: Pico;
  difference: Pico;
  /** null when only the totals were asked for (the app's report; the Reconcile view has it), or a usage cube file holds the log */
  requestsOutsideTolerance: number | null;
  unpricedRequests: number;
  /** Σ billed cost of unpriced requests: not in `billed`, never set against a computed 0. */
  unpricedBilled: Pico;
  /** Every request with billed cost by cause. */
  causes: CauseFigures[];
  groupKeys: string[];
  /** The groups with the largest |difference| first. */
  groups: ReconcileGroup[];
}

/** The causes that explain a group, largest share of the difference first, within-tolerance left out. */
export function likelyCauses(causes: readonly CauseFigures[]): CauseFigures[] {
  return causes.filter((c) => c.cause !== 'match');
}

/** "a different price in force: gemini-3-pro-image|laozhang|standard|2026-02-01" (the date added when the id lacks it). */
export function describeCause(c: CauseFigures): string {
  const label = CAUSE_LABELS[c.cause];
  if (!c.entry) return label;
  return c.entry.priceId.includes(c.entry.from) ? `${label}: ${c.entry.priceId}` : `${label}: ${c.entry.priceId} (from ${c.entry.from})`;
}

function causeToJson(c: CauseFigures) {
  return {
    cause: c.cause,
    requests: c.requests,
    billed: toUsdNumber(c.billed),
    difference: c.difference === null ? null : toUsdNumber(c.difference),
    price_id: c.entry?.priceId ?? null,
    price_from: c.entry?.from ?? null,
  };
}

/** The report's `reconciliation` section (docs/report-json.md). */
export function reconciliationToJson(r: Reconciliation) {
  return {
    tolerance: toUsdNumber(r.tolerance),
    requests_with_billed_cost: r.requestsWithBilledCost,
    priced_requests: r.pricedRequests,
    billed: toUsdNumber(r.billed),
    computed: toUsdNumber(r.computed),
    difference: toUsdNumber(r.difference),
    requests_outside_tolerance: r.requestsOutsideTolerance,
    unpriced_requests: r.unpricedRequests,
    unpriced_billed: toUsdNumber(r.unpricedBilled),
    causes: r.causes.map(causeToJson),
    top_groups: r.groups.map((g) => ({
      ...g.key,
      requests: g.requests,
      billed: toUsdNumber(g.billed),
      computed: toUsdNumber(g.computed),
      difference: toUsdNumber(g.difference),
      requests_outside_tolerance: g.outsideTolerance,
      unpriced_requests: g.unpricedRequests,
      unpriced_billed: toUsdNumber(g.unpricedBilled),
      causes: g.causes.map(causeToJson),
    })),
  };
}
