import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatExact, sumPico, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import type { Report } from '../../src/domain/report';
import { readSimpleCsv, sampleRowRequest } from '../support/csv';
import { loadSampleLog, SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';


/**
 * The SQL report on the sample log against a plain loop over the parsed CSV priced by the
 * TypeScript engine: two independent computations that must agree to the picodollar.
 */
describe('sample log: SQL report = independent loop', () => {
  const rates = bundledRates();
  let report: Report;

  beforeAll(async () => {
    const engine = await testEngine();
    const diagnostics = await loadSampleLog(engine);
    expect(diagnostics[0]).toMatchObject({ rowsRead: 50_000, rowsAccepted: 50_000, rowsRejected: 0 });
    await applyRates(engine, rates);
    report = await buildReport(engine);
  });

  const rows = readSimpleCsv(SAMPLE_PATH).map((r) => {
    const priced = priceRequest(
      sampleRowRequest(r),
      rates,
    );
    return { row: r, priced };
  });
  const priced = rows.filter((r) => r.priced.priced);
  const cost = (r: (typeof rows)[number]) => (r.priced.priced ? r.priced.cost : (0n as Pico));

  it('counts and total cost', () => {
    expect(report.requests).toBe(rows.length);
    expect(report.pricedRequests).toBe(priced.length);
    expect(report.unpricedRequests).toBe(rows.length - priced.length);
    expect(formatExact(report.totalCost)).toBe(formatExact(sumPico(priced.map(cost))));
    expect(report.attempts).toBe(rows.reduce((s, r) => s + Number(r.row.attempt_count), 0));
  });

  it('spend per model', () => {
    const expected = new Map<string, Pico>();
    for (const r of priced) expected.set(r.priced.model, (expected.get(r.priced.model) ?? 0n) + cost(r) as Pico);
    const got = new Map(report.byModel.filter((m) => m.requests > 0).map((m) => [m.model, m.cost]));
    expect(got).toEqual(expected);
  });

  it('unpriced requests are grouped by reason, never priced', () => {
    const byReason = new Map<string, number>();
    for (const r of rows) if (!r.priced.priced) byReason.set(r.priced.reason, (byReason.get(r.priced.reason) ?? 0) + 1);
    const got = new Map<string, number>();
    for (const u of report.unpriced) got.set(u.reason, (got.get(u.reason) ?? 0) + u.requests);
    expect(got).toEqual(byReason);
    expect(got.get('model_not_priced')).toBeGreaterThan(0);
  });

  it('spend per month (UTC)', () => {
    const expected = new Map<string, Pico>();
    for (const r of priced) {
      const month = r.row.timestamp!.slice(0, 7);
      expected.set(month, (expected.get(month) ?? 0n) + cost(r) as Pico);
    }
    expect(new Map(report.byMonth.map((m) => [m.month, m.cost]))).toEqual(expected);
  });
});
