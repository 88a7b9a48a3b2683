import type { Bill, BillComparison, BillComparisonRow } from '../domain/bill';
import type { SkuMap } from '../domain/bill-skus';
import { formatExact, parseUsd, type Pico } from '../domain/money';
import type { Engine } from './engine';
import * as q from './sql/bill';
import type { Query } from './sql/report';

/** Replaces `bill_lines` with the bill's usable lines, each with the model, meter and lane its SKU maps to (or none). */
export async function loadBill(engine: Engine, bill: Bill, skus: SkuMap): Promise<void> {
  const rows = bill.lines.map((l) => {
    const m = skus.match(l);
    return [
      String(l.row), l.day, l.service, l.skuId, l.sku, l.project, l.currency, formatExact(l.cost), formatExact(l.credits),
      l.usageAmount, l.usageUnit, m?.model ?? null, m?.meter ?? null, m?.lane ?? null,
    ];
  });
  await engine.exec('DROP TABLE IF EXISTS bill_lines_text');
  await engine.insertText('bill_lines_text', q.BILL_LINE_COLUMNS.map(([c]) => c), rows);
  await engine.exec(q.buildBillLinesSql());
  await engine.exec('DROP TABLE bill_lines_text');
}

const money = (value: string | null): Pico | null => (value === null ? null : parseUsd(value));

/** The loaded bill against the priced logs (run after `loadBill`, and again after the rates change). */
export async function compareBill(
  engine: Engine,
  bill: Pick<Bill, 'file' | 'format' | 'rowsRead' | 'problems'>,
  skus: SkuMap,
): Promise<BillComparison> {
  const run = <T>(query: Query) => engine.query<T>(query.sql, query.params);
  const [span] = await run<{ first_day: string | null; last_day: string | null }>(q.billSpanQuery());
  const currencies = await run<{ currency: string; lines: number; cost: string; credits: string; net: string; unmapped_cost: string }>(
    q.billCurrencyTotalsQuery(),
  );
  const [logs] = await run<{ cost: string; requests: number; unpriced_requests: number }>(q.billLogTotalsQuery(skus.providers));
  const rows = await run<{
    day: string; model: string; meter: string; currency: string; bill_lines: number; bill_cost: string | null;
    bill_credits: string | null; bill_usage: number | null; log_cost: string | null; log_usage: number | null; difference: string | null;
  }>(q.billComparisonQuery(skus.providers));
  const unmapped = await run<{ service: string; sku_id: string; sku: string; currency: string; lines: number; cost: string; credits: string }>(
    q.billUnmappedQuery(),
  );
  return {
    ...bill,
    from: span?.first_day ?? null,
    to: span?.last_day ?? null,
    providers: skus.providers,
    currencies: currencies.map((c) => ({
      currency: c.currency, lines: c.lines, cost: parseUsd(c.cost), credits: parseUsd(c.credits), net: parseUsd(c.net),
      unmappedCost: parseUsd(c.unmapped_cost),
    })),
    logCost: parseUsd(logs!.cost),
    logRequests: logs!.requests,
    logUnpricedRequests: logs!.unpriced_requests,
    rows: rows.map(
      (r): BillComparisonRow => ({
        day: r.day, model: r.model, meter: r.meter, currency: r.currency, billLines: r.bill_lines,
        billCost: money(r.bill_cost), billCredits: money(r.bill_credits), billUsage: r.bill_usage,
        logCost: money(r.log_cost), logUsage: r.log_usage, difference: money(r.difference),
      }),
    ),
    unmapped: unmapped.map((u) => ({
      service: u.service, skuId: u.sku_id, sku: u.sku, currency: u.currency, lines: u.lines, cost: parseUsd(u.cost), credits: parseUsd(u.credits),
    })),
  };
}
