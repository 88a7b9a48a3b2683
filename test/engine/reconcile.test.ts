import { beforeAll, describe, expect, it } from 'vitest';
import { entryFor, costUnder, fixtureCsv, reconcileFixture, RECONCILE_OVERRIDE, type FixtureRow } from '../../scripts/lib/reconcile-fixture';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { loadReconcileGroups } from '../../src/db/reconcile';
import { buildReport } from '../../src/db/report';
import { attributeKeySql, RECONCILE_DIMENSIONS } from '../../src/db/sql/reconcile';
import { loadExplorerPage } from '../../src/db/dashboard';
import { applyRates } from '../../src/db/workspace';
import { parseUsd, type Pico } from '../../src/domain/money';
import type { ActiveRates } from '../../src/domain/rate-card';
import type { Report } from '../../src/domain/report';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const TOLERANCE = parseUsd('0.000001');
const EXPECTED_CAUSE: Record<FixtureRow['injected'], string | null> = {
  match: 'match', within_tolerance: 'match', other_price: 'other_price', thinking_tokens: 'thinking_tokens', failed_billed: 'failed_billed',
  not_billed: 'not_billed', rate_override: 'rate_override', unpriced: 'unpriced', other: 'other', no_billed_cost: null,
};

function withOverride(): ActiveRates {
  const base = bundledRates();
  const o = RECONCILE_OVERRIDE;
  const entry = base.prices.find((p) => p.model === o.model && p.provider === o.provider && p.lane === o.lane)!;
  return bundledRates({ overrides: [{ priceId: entry.id, field: o.field, value: o.value }] });
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n) as Pico;

/** The reconciliation the SQL must give, by a plain loop over the fixture's rows. */
function expected(rates: ActiveRates, rows: FixtureRow[]) {
  const billedRows = rows.filter((r) => r.billed !== null).map((r) => {
    const entry = entryFor(rates, r);
    const computed = entry ? costUnder(rates, entry, r) : null;
    return { ...r, billed: r.billed!, computed, cause: EXPECTED_CAUSE[r.injected]! };
  });
  const priced = billedRows.filter((r) => r.computed !== null);
  const unpriced = billedRows.filter((r) => r.computed === null);
  const byCause = new Map<string, { requests: number; billed: Pico; difference: Pico | null }>();
  for (const r of billedRows) {
    const c = byCause.get(r.cause) ?? { requests: 0, billed: 0n as Pico, difference: r.computed === null ? null : (0n as Pico) };
    c.requests += 1;
    c.billed = (c.billed + r.billed) as Pico;
    if (c.difference !== null) c.difference = (c.difference + r.billed - r.computed!) as Pico;
    byCause.set(r.cause, c);
  }
  return {
    requests: billedRows.length,
    billed: sum(priced.map((r) => r.billed)),
    computed: sum(priced.map((r) => r.computed!)),
    outside: priced.filter((r) => abs(r.billed - r.computed!) > TOLERANCE).length,
    unpricedRequests: unpriced.length,
    unpricedBilled: sum(unpriced.map((r) => r.billed)),
    byCause,
    billedRows,
  };
}

describe('reconciliation: billed vs computed on a log with injected differences', () => {
  let engine: Engine;
  let rates: ActiveRates;
  let rows: FixtureRow[];
  let report: Report;
  beforeAll(async () => {
    engine = await testEngine();
    rates = withOverride();
    rows = reconcileFixture(rates);
    await ingestFiles(engine, [{ name: 'reconcile.csv', bytes: new TextEncoder().encode(fixtureCsv(rows)) }], { mode: 'replace' });
    await applyRates(engine, rates);
    report = await buildReport(engine);
  }, 120_000);

  it('injects every cause', () => {
    const kinds = new Set(rows.map((r) => r.injected));
    expect([...kinds].sort()).toEqual(Object.keys(EXPECTED_CAUSE).sort());
  });

  it('totals equal a loop over the rows', () => {
    const e = expected(rates, rows);
    const r = report.reconciliation;
    expect(r.requestsWithBilledCost).toBe(e.requests);
    expect(r.billed).toBe(e.billed);
    expect(r.computed).toBe(e.computed);
    expect(r.difference).toBe(e.billed - e.computed);
    expect(r.requestsOutsideTolerance).toBe(e.outside);
    expect(r.unpricedRequests).toBe(e.unpricedRequests);
    expect(r.unpricedBilled).toBe(e.unpricedBilled);
    expect(r.unpricedBilled > 0n && r.difference !== 0n).toBe(true);
  });

  it('totals under a provider and a date range equal a loop over the rows they keep', async () => {
    const days = [...new Set(rows.map((r) => new Date(r.ts).toISOString().slice(0, 10)))].sort();
    const from = days[Math.floor(days.length / 4)]!;
    const to = days[Math.floor((days.length * 3) / 4)]!;
    const provider = rows[0]!.provider;
    const kept = rows.filter((r) => r.provider === provider && new Date(r.ts).toISOString().slice(0, 10) >= from && new Date(r.ts).toISOString().slice(0, 10) <= to);
    const e = expected(rates, kept);
    expect(e.requests).toBeGreaterThan(0);
    expect(e.requests).toBeLessThan(expected(rates, rows).requests);
    const r = (await buildReport(engine, { filters: { providers: [provider], from, to } })).reconciliation;
    expect([r.requestsWithBilledCost, r.pricedRequests, r.billed, r.computed, r.unpricedRequests, r.unpricedBilled])
      .toEqual([e.requests, e.requests - e.unpricedRequests, e.billed, e.computed, e.unpricedRequests, e.unpricedBilled]);
  });

  it('classifies every request as it was injected', () => {
    const e = expected(rates, rows);
    // other_price comes once per entry matched
    const got = new Map<string, { requests: number; billed: Pico; difference: Pico | null }>();
    for (const c of report.reconciliation.causes) {
      const g = got.get(c.cause) ?? { requests: 0, billed: 0n as Pico, difference: c.difference === null ? null : (0n as Pico) };
      g.requests += c.requests;
      g.billed = (g.billed + c.billed) as Pico;
      if (g.difference !== null) g.difference = (g.difference + c.difference!) as Pico;
      got.set(c.cause, g);
    }
    expect([...got.keys()].sort()).toEqual([...e.byCause.keys()].sort());
    for (const [cause, want] of e.byCause) expect({ cause, ...got.get(cause) }).toEqual({ cause, ...want });
  });

  it('names the price entry a gateway billed (another date) and the un-overridden entry', () => {
    const laozhang = rates.prices.filter((p) => p.model === 'gemini-3-pro-image' && p.provider === 'laozhang');
    const entries = report.reconciliation.causes.filter((c) => c.cause === 'other_price').map((c) => c.entry);
    expect(entries.map((x) => x!.priceId).sort()).toEqual(laozhang.map((p) => p.id).sort());
    for (const x of entries) expect(x!.from).toBe(laozhang.find((p) => p.id === x!.priceId)!.fromDate);
    const override = report.reconciliation.causes.find((c) => c.cause === 'rate_override')!;
    expect(override.entry!.priceId).toBe(rates.prices.find((p) => p.overridden.length > 0)!.id);
  });

  it('groups by model × provider × lane × size, largest |difference| first', () => {
    const e = expected(rates, rows);
    const groups = new Map<string, { billed: bigint; computed: bigint; requests: number }>();
    for (const r of e.billedRows) {
      const key = [rates.aliases.get(r.model) ?? r.model, r.provider, r.lane, r.imageSize].join('|');
      const g = groups.get(key) ?? { billed: 0n, computed: 0n, requests: 0 };
      g.requests += 1;
      if (r.computed !== null) {
        g.billed += r.billed;
        g.computed += r.computed;
      }
      groups.set(key, g);
    }
    const got = report.reconciliation.groups;
    expect(got.length).toBe(Math.min(10, groups.size));
    const diffs = got.map((g) => abs(g.difference));
    expect(diffs).toEqual([...diffs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    for (const g of got) {
      const want = groups.get([g.key.model, g.key.provider, g.key.lane, g.key.image_size].join('|'))!;
      expect({ requests: g.requests, billed: g.billed, computed: g.computed }).toEqual(want);
      expect(g.causes.reduce((n, c) => n + c.requests, 0)).toBe(g.requests);
    }
  });

  it('groups by day and by attribute; the tolerance is a setting', async () => {
    const byDay = await loadReconcileGroups(engine, { groupBy: { day: RECONCILE_DIMENSIONS.day }, limit: 1000 });
    const e = expected(rates, rows);
    expect(byDay.reduce((n, g) => n + g.requests, 0)).toBe(e.requests);
    const byTeam = await loadReconcileGroups(engine, { groupBy: { team: attributeKeySql('team') } });
    expect(byTeam.map((g) => g.key.team).sort()).toEqual(['ads', 'design', 'web']);
    expect(sum(byTeam.map((g) => g.difference))).toBe(e.billed - e.computed);
    // With a cent of tolerance the within-tolerance offsets and the small "other" differences stop counting.
    const loose = await buildReport(engine, { tolerance: parseUsd('0.02') });
    const outside = e.billedRows.filter((r) => r.computed !== null && abs(r.billed - r.computed) > parseUsd('0.02')).length;
    expect(loose.reconciliation.requestsOutsideTolerance).toBe(outside);
    expect(outside).toBeLessThan(e.outside);
  });

  it('the Explorer sorts a group\'s requests by |variance| (billed − computed), unbilled last', async () => {
    const e = expected(rates, rows);
    const page = await loadExplorerPage(engine, { models: ['gemini-3-pro-image'] }, {
      sort: [{ id: 'abs_variance', desc: true }], columnFilters: [], search: '', pageIndex: 0, pageSize: 1000,
      attributes: [{ name: 'team', value: 'ads' }],
    });
    const want = e.billedRows.filter((r) => r.computed !== null && r.team === 'ads')
      .map((r) => ({ id: r.requestId, v: abs(r.billed - r.computed!) }))
      .sort((a, b) => (a.v > b.v ? -1 : a.v < b.v ? 1 : 0));
    const adsRows = rows.filter((r) => r.team === 'ads' && r.model === 'gemini-3-pro-image');
    expect(page.total).toBe(adsRows.length);
    const got = page.rows.slice(0, want.length).map((r) => ({ id: String(r.request_id), v: parseUsd(String(r.abs_variance)) }));
    expect(got.map((g) => g.v)).toEqual(want.map((w) => w.v));
    for (const r of page.rows.slice(0, want.length)) expect(parseUsd(String(r.variance))).toBe(parseUsd(String(r.cost_usd)) - parseUsd(String(r.cost)));
    expect(page.rows.slice(want.length).every((r) => r.abs_variance === null)).toBe(true);
  });

  it('the Explorer sorts money as numbers, not as text (negative variances, amounts of different lengths)', async () => {
    const e = expected(rates, rows);
    const request = { columnFilters: [], search: '', pageIndex: 0, pageSize: 1000 };
    const ascending = await loadExplorerPage(engine, {}, { ...request, sort: [{ id: 'variance', desc: false }] });
    const variances = e.billedRows.filter((r) => r.computed !== null).map((r) => r.billed - r.computed!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(variances.some((v) => v < 0n) && variances.some((v) => v > 0n)).toBe(true);
    expect(ascending.rows.slice(0, Math.min(1000, variances.length)).map((r) => parseUsd(String(r.variance)))).toEqual(variances.slice(0, 1000));
    const byCost = await loadExplorerPage(engine, {}, { ...request, sort: [{ id: 'cost', desc: true }] });
    const costs = byCost.rows.map((r) => r.cost).filter((c) => c !== null).map((c) => parseUsd(String(c)));
    expect(costs).toEqual([...costs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });
});
