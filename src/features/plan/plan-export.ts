import type { CsvCell } from '../../domain/csv';
import { formatPlain, type Pico } from '../../domain/money';
import { UNPRICED_LABELS } from '../../domain/pricing';
import { compareScenarios, difference, type ComparisonMetric, type Scenario, type ScenarioResult } from '../../domain/scenario';

export interface ComparisonRow {
  metric: ComparisonMetric;
  /** per scenario after the first: difference from the first */
  deltas: { delta: Pico | number | null; percent: number | null }[];
}

/** The comparison table's rows: each figure per scenario and its difference from the first. */
export function comparisonRows(results: readonly ScenarioResult[]): ComparisonRow[] {
  return compareScenarios(results).map((metric) => ({
    metric,
    deltas: metric.values.slice(1).map((v) => difference(v, metric.values[0] ?? null)),
  }));
}

const exact = (v: Pico | number | null): CsvCell =>
  v === null ? null : typeof v === 'bigint' ? formatPlain(v) : String(Math.round(v * 100) / 100);

/**
 * The comparison for CSV export: one row per figure, a column per scenario, then the
 * difference from the first scenario in $ (or images) and %; then each scenario's lines,
 * so the file stands on its own. Money is exact (plain decimal USD).
 */
export function comparisonCsvTable(scenarios: readonly Scenario[], results: readonly ScenarioResult[]): { header: string[]; rows: CsvCell[][] } {
  const names = scenarios.map((s) => s.name || 'untitled');
  const header = ['figure', 'unit', ...names];
  for (const name of names.slice(1)) header.push(`${name} vs ${names[0]}`, `${name} vs ${names[0]} (%)`);
  const rows: CsvCell[][] = [];
  for (const row of comparisonRows(results)) {
    const cells: CsvCell[] = [row.metric.label, row.metric.kind === 'money' ? 'USD' : 'images', ...row.metric.values.map(exact)];
    for (const d of row.deltas) cells.push(exact(d.delta), d.percent === null ? null : (d.percent * 100).toFixed(2));
    rows.push(cells);
  }
  rows.push([]);
  rows.push(['scenario', 'volume', 'per', 'days per month', 'retry %', 'model', 'provider', 'lane', 'size', 'share', 'acceptance %']);
  for (const s of scenarios) {
    for (const l of s.lines) rows.push([s.name, s.volume, s.per, s.daysPerMonth, s.retryPercent, l.model, l.provider, l.lane, l.size, l.share, l.acceptance]);
  }
  return { header, rows };
}

/** The lines a scenario cannot price, as "model size lane via provider (reason)", for the comparison and its print. */
export function unpricedLines(result: ScenarioResult): string[] {
  return result.lines.filter((l) => l.reason).map((l) => `${l.line.model} ${l.line.size} ${l.line.lane} via ${l.line.provider} (${UNPRICED_LABELS[l.reason!]})`);
}

/** Shares of a scenario's volume by one field, largest first, as "53% a, 47% b" (the top `limit`, then the rest). */
export function mixSummary(s: Scenario, key: (l: Scenario['lines'][number]) => string, limit = 4): string {
  const total = s.lines.reduce((n, l) => n + l.share, 0);
  if (total === 0) return 'no volume';
  const groups = new Map<string, number>();
  for (const l of s.lines) groups.set(key(l), (groups.get(key(l)) ?? 0) + l.share);
  const ranked = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const pct = (n: number) => `${Math.round((n / total) * 100)}%`;
  const shown = ranked.slice(0, limit).map(([k, n]) => `${pct(n)} ${k}`);
  const rest = ranked.slice(limit).reduce((n, [, v]) => n + v, 0);
  return rest > 0 ? `${shown.join(', ')}, ${pct(rest)} other` : shown.join(', ');
}
