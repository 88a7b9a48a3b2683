import type { BarDatum } from '../../components/money-bar-chart';
import type { StackedDatum } from '../../components/charts';
import { divideRounded, formatPlain, ratio, toUsdNumber, type Pico } from '../../domain/money';
import type { GroupFigures } from '../../domain/report';

export interface SpendRow {
  key: string;
  label: string;
  requests: number;
  images: number;
  cost: Pico;
  share: number;
  perImage: Pico | null;
  unpriced: number;
}

const SIZE_ORDER = ['512', '1K', '2K', '4K'];

/** Sizes in their natural order (512 < 1K < 2K < 4K), unknown sizes after, alphabetically. */
export function compareSizes(a: string, b: string): number {
  const ia = SIZE_ORDER.indexOf(a);
  const ib = SIZE_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.localeCompare(b);
}

/**
 * Report groups as table rows: share of the given total, exact cost per image.
 * `order` 'cost' puts the largest spend first; 'key' keeps keys in natural order.
 */
export function spendRows<T extends GroupFigures>(
  groups: readonly T[],
  key: (g: T) => string,
  total: Pico,
  options: { label?: (key: string) => string; order?: 'cost' | 'key' | 'size' } = {},
): SpendRow[] {
  const rows = groups.map((g) => ({
    key: key(g),
    label: options.label?.(key(g)) ?? key(g),
    requests: g.requests,
    images: g.images,
    cost: g.cost,
    share: ratio(g.cost, total),
    perImage: g.images > 0 ? divideRounded(g.cost, g.images) : null,
    unpriced: g.unpricedRequests,
  }));
  const order = options.order ?? 'cost';
  if (order === 'cost') rows.sort((a, b) => (b.cost > a.cost ? 1 : b.cost < a.cost ? -1 : a.key.localeCompare(b.key)));
  else if (order === 'size') rows.sort((a, b) => compareSizes(a.key, b.key));
  else rows.sort((a, b) => a.key.localeCompare(b.key));
  return rows;
}

export function spendBars(rows: readonly SpendRow[]): BarDatum[] {
  return rows.map((r) => ({ key: r.key, label: r.label, value: toUsdNumber(r.cost), exact: `$${formatPlain(r.cost)} · ${r.requests.toLocaleString('en-US')} requests` }));
}

/** Model × size as stacked bars: one bar per model (largest spend first), one series per size. */
export function modelSizeStack(
  groups: readonly ({ model: string; imageSize: string } & GroupFigures)[],
  label: (model: string) => string,
): { data: StackedDatum[]; series: string[] } {
  const series = [...new Set(groups.map((g) => g.imageSize))].sort(compareSizes);
  const byModel = new Map<string, { total: bigint; datum: StackedDatum }>();
  for (const g of groups) {
    let entry = byModel.get(g.model);
    if (!entry) {
      entry = { total: 0n, datum: { label: label(g.model), values: {}, exact: {} } };
      byModel.set(g.model, entry);
    }
    entry.total += g.cost;
    entry.datum.values[g.imageSize] = toUsdNumber(g.cost);
    entry.datum.exact[g.imageSize] = `$${formatPlain(g.cost)}`;
  }
  const data = [...byModel.entries()]
    .sort(([ma, a], [mb, b]) => (b.total > a.total ? 1 : b.total < a.total ? -1 : ma.localeCompare(mb)))
    .map(([, e]) => e.datum);
  return { data, series };
}
