import { beforeAll, describe, expect, it } from 'vitest';
import { loadBatchByJobType, loadDuplicates, loadExplorerExport, loadExplorerPage, loadFilterOptions, loadRetryBreakdown, loadSpendOverTime } from '../../src/db/dashboard';
import type { Engine } from '../../src/db/engine';
import { buildReport } from '../../src/db/report';
import { EXPLORER_COLUMNS, type ExplorerRequest } from '../../src/db/sql/explorer';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import type { Filters } from '../../src/domain/filters';
import { formatExact, parseUsd, sumPico, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { DEFAULT_BATCH_ELIGIBLE, type Report } from '../../src/domain/report';
import { readSimpleCsv, sampleRowRequest } from '../support/csv';
import { loadSampleLog, SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const csv = readSimpleCsv(SAMPLE_PATH).map((r) => {
  const priced = priceRequest(
    sampleRowRequest(r),
    rates,
  );
  return { r, priced, cost: priced.priced ? priced.cost : null };
});

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

const BASE: ExplorerRequest = { sort: [], columnFilters: [], search: '', pageIndex: 0, pageSize: 25 };

describe('dashboard SQL builders on the real engine, against independent loops over the sample', () => {
  let engine: Engine;
  let report: Report;

  beforeAll(async () => {
    engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    report = await buildReport(engine);
  });

  it('filter options: distinct values with request counts', async () => {
    const options = await loadFilterOptions(engine);
    expect(new Map(options.providers.map((o) => [o.value, o.requests]))).toEqual(countBy(csv, (c) => c.r.provider!));
    expect(new Map(options.jobTypes.map((o) => [o.value, o.requests]))).toEqual(countBy(csv, (c) => c.r.job_type!));
    expect(new Map(options.lanes.map((o) => [o.value, o.requests]))).toEqual(countBy(csv, (c) => c.r.lane!));
    expect(new Map(options.models.map((o) => [o.value, o.requests]))).toEqual(countBy(csv, (c) => c.priced.model));
    expect(new Map(options.sizes.map((o) => [o.value, o.requests]))).toEqual(countBy(csv, (c) => c.r.image_size!));
    // Most requests first, then by value.
    for (const list of [options.models, options.providers, options.lanes, options.jobTypes, options.sizes]) {
      expect(list).toEqual([...list].sort((a, b) => b.requests - a.requests || (a.value < b.value ? -1 : 1)));
    }
    const days = csv.map((c) => c.r.timestamp!.slice(0, 10)).sort();
    expect(options.firstDay).toBe(days[0]);
    expect(options.lastDay).toBe(days.at(-1));
  });

  it('spend over time: days, Monday weeks and months each add up to the total', async () => {
    const byDay = new Map<string, Pico>();
    for (const c of csv) if (c.cost !== null) byDay.set(c.r.timestamp!.slice(0, 10), ((byDay.get(c.r.timestamp!.slice(0, 10)) ?? 0n) + c.cost) as Pico);
    const days = await loadSpendOverTime(engine, {}, 'day');
    expect(new Map(days.filter((d) => d.requests > 0).map((d) => [d.bucket, d.cost]))).toEqual(byDay);
    const weeks = await loadSpendOverTime(engine, {}, 'week');
    for (const w of weeks) expect(new Date(`${w.bucket}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(formatExact(sumPico(weeks.map((w) => w.cost)))).toBe(formatExact(report.totalCost));
    const months = await loadSpendOverTime(engine, {}, 'month');
    expect(months.map((m) => [m.bucket.slice(0, 7), m.cost])).toEqual(report.byMonth.map((m) => [m.month, m.cost]));
    expect(formatExact(sumPico(months.map((m) => m.retryCost)))).toBe(formatExact(report.retry.retryCost));
  });

  it('spend over time under a model, a provider and a date range: each day from a plain loop', async () => {
    const model = 'gemini-3-pro-image';
    const from = '2026-06-10';
    const to = '2026-06-24';
    const expected = new Map<string, { requests: number; images: number; cost: Pico; retryCost: Pico }>();
    for (const c of csv) {
      const day = c.r.timestamp!.slice(0, 10);
      if (!c.priced.priced || c.priced.model !== model || c.r.provider !== 'google' || day < from || day > to) continue;
      const billed = Number(c.r.billed_attempts);
      const was = expected.get(day) ?? { requests: 0, images: 0, cost: 0n as Pico, retryCost: 0n as Pico };
      expected.set(day, {
        requests: was.requests + 1,
        images: was.images + Number(c.r.images),
        cost: (was.cost + c.priced.cost) as Pico,
        retryCost: (was.retryCost + c.priced.attemptCost * BigInt(Math.max(billed - 1, 0))) as Pico,
      });
    }
    const days = await loadSpendOverTime(engine, { models: [model], providers: ['google'], from, to }, 'day');
    expect(expected.size).toBeGreaterThan(10);
    expect(new Map(days.map((d) => [d.bucket, { requests: d.requests, images: d.images, cost: d.cost, retryCost: d.retryCost }]))).toEqual(expected);
    const report = await buildReport(engine, { filters: { models: [model], providers: ['google'], from, to } });
    expect(formatExact(report.totalCost)).toBe(formatExact(sumPico([...expected.values()].map((d) => d.cost))));
    expect(report.pricedRequests).toBe([...expected.values()].reduce((n, d) => n + d.requests, 0));
  });

  it('retry breakdown: by job type and attempt counts from a plain loop', async () => {
    const retry = await loadRetryBreakdown(engine, {});
    const expected = new Map<string, Pico>();
    for (const c of csv) {
      if (!c.priced.priced) continue;
      const perAttempt = c.priced.attemptCost;
      const retryCost = (perAttempt * BigInt(Math.max(Number(c.r.billed_attempts) - 1, 0))) as Pico;
      expected.set(c.r.job_type!, ((expected.get(c.r.job_type!) ?? 0n) + retryCost) as Pico);
    }
    expect(new Map(retry.byJobType.map((g) => [g.key, g.retryCost]))).toEqual(expected);
    const pricedRows = csv.filter((c) => c.priced.priced);
    expect(new Map(retry.attempts.map((a) => [String(a.attempts), a.requests]))).toEqual(countBy(pricedRows, (c) => c.r.attempt_count!));
    expect(new Map(retry.byModel.map((g) => [g.key, g.retryCost]))).toEqual(new Map(report.retry.byModel.map((m) => [m.model, m.retryCost])));
  });

  it('retry breakdown per model, size and job type, unfiltered and under a lane and a date range: every figure from a plain loop', async () => {
    const groups = (keep: (r: Record<string, string>) => boolean, key: (c: (typeof csv)[number]) => string) => {
      const out = new Map<string, { requests: number; retried: number; attempts: number; billedAttempts: number; cost: Pico; retryCost: Pico }>();
      for (const c of csv) {
        if (!c.priced.priced || !keep(c.r)) continue;
        const g = out.get(key(c)) ?? { requests: 0, retried: 0, attempts: 0, billedAttempts: 0, cost: 0n as Pico, retryCost: 0n as Pico };
        const attempts = Number(c.r.attempt_count);
        const billed = Number(c.r.billed_attempts);
        out.set(key(c), {
          requests: g.requests + 1,
          retried: g.retried + (attempts > 1 ? 1 : 0),
          attempts: g.attempts + attempts,
          billedAttempts: g.billedAttempts + billed,
          cost: (g.cost + c.priced.cost) as Pico,
          retryCost: (g.retryCost + c.priced.attemptCost * BigInt(Math.max(billed - 1, 0))) as Pico,
        });
      }
      return out;
    };
    const asMap = (rows: { key: string; requests: number; retried: number; attempts: number; billedAttempts: number; cost: Pico; retryCost: Pico }[]) =>
      new Map(rows.map(({ key, ...figures }) => [key, figures]));
    const byModel = (c: (typeof csv)[number]) => (c.priced.priced ? c.priced.model : '');
    const cases: [Filters, (r: Record<string, string>) => boolean][] = [
      [{}, () => true],
      [{ lanes: ['standard'], from: '2026-06-15', to: '2026-07-10' }, (r) => r.lane === 'standard' && r.timestamp!.slice(0, 10) >= '2026-06-15' && r.timestamp!.slice(0, 10) <= '2026-07-10'],
    ];
    for (const [filters, keep] of cases) {
      const retry = await loadRetryBreakdown(engine, filters);
      expect(asMap(retry.byModel)).toEqual(groups(keep, byModel));
      expect(asMap(retry.byResolution)).toEqual(groups(keep, (c) => c.r.image_size!));
      expect(asMap(retry.byJobType)).toEqual(groups(keep, (c) => c.r.job_type!));
      expect(retry.byJobType.map((g) => g.key)).toEqual([...retry.byJobType.map((g) => g.key)].sort());
      expect(retry.byModel.some((g) => g.retried > 0 && g.retried < g.requests)).toBe(true);
    }
  });

  it('batch by job type adds up to the report and follows the eligible set', async () => {
    const rows = await loadBatchByJobType(engine, {});
    const eligible = rows.filter((r) => DEFAULT_BATCH_ELIGIBLE.includes(r.jobType));
    expect(formatExact(sumPico(eligible.map((r) => r.potentialSavings)))).toBe(formatExact(report.batch.potentialSavingsEligible));
    expect(formatExact(sumPico(rows.map((r) => r.potentialSavings)))).toBe(formatExact(report.batch.potentialSavingsAll));
    expect(formatExact(sumPico(rows.map((r) => r.realizedSavings)))).toBe(formatExact(report.batch.realizedSavings));
    expect(sumPico(rows.map((r) => r.realizedSavings))).toBeGreaterThan(0n);
  });

  it('batch by job type, unfiltered and under a provider and a date range: every figure from a plain loop', async () => {
    const expected = (keep: (r: Record<string, string>) => boolean) => {
      const out = new Map<string, { standardRequests: number; batchableRequests: number; standardCost: Pico; potentialSavings: Pico; batchRequests: number; batchCost: Pico; realizedSavings: Pico }>();
      for (const c of csv) {
        if (!c.priced.priced || !keep(c.r) || (c.r.lane !== 'standard' && c.r.lane !== 'batch')) continue;
        const row = out.get(c.r.job_type!) ?? { standardRequests: 0, batchableRequests: 0, standardCost: 0n as Pico, potentialSavings: 0n as Pico, batchRequests: 0, batchCost: 0n as Pico, realizedSavings: 0n as Pico };
        const other = priceRequest(sampleRowRequest(c.r, c.r.lane === 'standard' ? 'batch' : 'standard'), rates);
        if (c.r.lane === 'standard') {
          row.standardRequests += 1;
          row.standardCost = (row.standardCost + c.priced.cost) as Pico;
          if (other.priced) {
            row.batchableRequests += 1;
            row.potentialSavings = (row.potentialSavings + c.priced.cost - other.cost) as Pico;
          }
        } else {
          row.batchRequests += 1;
          row.batchCost = (row.batchCost + c.priced.cost) as Pico;
          if (other.priced) row.realizedSavings = (row.realizedSavings + other.cost - c.priced.cost) as Pico;
        }
        out.set(c.r.job_type!, row);
      }
      return out;
    };
    const asMap = (rows: Awaited<ReturnType<typeof loadBatchByJobType>>) => new Map(rows.map(({ jobType, ...figures }) => [jobType, figures]));
    const all = expected(() => true);
    expect([...all.values()].some((r) => r.batchRequests > 0 && r.standardRequests > 0 && r.batchableRequests < r.standardRequests)).toBe(true);
    expect(asMap(await loadBatchByJobType(engine, {}))).toEqual(all);
    const filtered = expected((r) => r.provider === 'google' && r.timestamp!.slice(0, 10) >= '2026-06-10' && r.timestamp!.slice(0, 10) <= '2026-07-05');
    expect(asMap(await loadBatchByJobType(engine, { providers: ['google'], from: '2026-06-10', to: '2026-07-05' }))).toEqual(filtered);
  });

  it('duplicates: repeated hashes and re-generation cost from a plain loop', async () => {
    const dup = await loadDuplicates(engine, {}, 5);
    const hashes = countBy(csv.filter((c) => c.r.prompt_hash), (c) => c.r.prompt_hash!);
    const repeated = [...hashes.values()].filter((n) => n > 1);
    expect(dup.repeatedHashes).toBe(repeated.length);
    expect(dup.requestsInRepeats).toBe(repeated.reduce((a, b) => a + b, 0));
    expect(dup.distinctHashes).toBe(hashes.size);
    expect(repeated.length).toBeLessThan(hashes.size);
    // Only repeated hashes are kept per load; a filter counts the hashes it keeps.
    const [kept] = await engine.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM shared_prompts');
    expect(kept!.n).toBe(repeated.length);
    const standard = await loadDuplicates(engine, { lanes: ['standard'] }, 5);
    const standardHashes = countBy(csv.filter((c) => c.r.prompt_hash && c.r.lane === 'standard'), (c) => c.r.prompt_hash!);
    expect(standard.distinctHashes).toBe(standardHashes.size);
    expect(standard.repeatedHashes).toBe([...standardHashes.values()].filter((n) => n > 1).length);
    expect(dup.top).toHaveLength(5);
    const top = dup.top[0]!;
    expect(top.requests).toBe(Math.max(...repeated));
    const occurrences = csv
      .filter((c) => c.r.prompt_hash === top.promptHash)
      .sort((a, b) => a.r.timestamp!.localeCompare(b.r.timestamp!) || a.r.request_id!.localeCompare(b.r.request_id!));
    expect(formatExact(top.regenCost)).toBe(formatExact(sumPico(occurrences.slice(1).map((c) => c.cost ?? (0n as Pico)))));
  });

  it('duplicates: the whole top list, in order, with and without a filter, from a plain loop', async () => {
    const firsts = new Map<string, (typeof csv)[number]>();
    for (const c of csv) {
      const h = c.r.prompt_hash;
      if (!h) continue;
      const seen = firsts.get(h);
      if (!seen || c.r.timestamp!.localeCompare(seen.r.timestamp!) < 0 || (c.r.timestamp === seen.r.timestamp && c.r.request_id!.localeCompare(seen.r.request_id!) < 0)) firsts.set(h, c);
    }
    const expectedTop = (keep: (c: (typeof csv)[number]) => boolean, limit: number) => {
      const groups = new Map<string, { n: number; regen: Pico | null }>();
      for (const c of csv.filter((c) => c.r.prompt_hash && keep(c))) {
        const g = groups.get(c.r.prompt_hash!) ?? { n: 0, regen: null };
        g.n++;
        if (firsts.get(c.r.prompt_hash!) !== c && c.cost !== null) g.regen = ((g.regen ?? 0n) + c.cost) as Pico;
        groups.set(c.r.prompt_hash!, g);
      }
      return [...groups.entries()]
        .filter(([, g]) => g.n > 1)
        .sort(([ha, a], [hb, b]) => b.n - a.n || (a.regen === null ? (b.regen === null ? 0 : 1) : b.regen === null ? -1 : Number(b.regen - a.regen)) || ha.localeCompare(hb))
        .slice(0, limit)
        .map(([h, g]) => [h, g.n, formatExact(g.regen ?? (0n as Pico))]);
    };
    const actual = (d: Awaited<ReturnType<typeof loadDuplicates>>) => d.top.map((t) => [t.promptHash, t.requests, formatExact(t.regenCost)]);
    expect(actual(await loadDuplicates(engine, {}, 12))).toEqual(expectedTop(() => true, 12));
    const filtered = await loadDuplicates(engine, { lanes: ['standard'] }, 12);
    expect(filtered.top.length).toBeGreaterThan(0);
    expect(actual(filtered)).toEqual(expectedTop((c) => (c.r.lane ?? 'standard') === 'standard', 12));
  });

  it('explorer: count, whitelisted sort, paging and bound filters', async () => {
    const all = await loadExplorerPage(engine, {}, BASE);
    expect(all.total).toBe(csv.length);
    expect(all.rows).toHaveLength(25);
    expect(Object.keys(all.rows[0]!)).toEqual(['row_id', ...EXPLORER_COLUMNS.map((c) => c.id)]);

    const maxCost = csv.reduce((m, c) => (c.cost !== null && c.cost > m ? c.cost : m), 0n);
    const byCost = await loadExplorerPage(engine, {}, { ...BASE, sort: [{ id: 'cost', desc: true }], pageSize: 3 });
    expect(parseUsd(String(byCost.rows[0]!.cost))).toBe(maxCost);

    const page2 = await loadExplorerPage(engine, {}, { ...BASE, pageIndex: 2, pageSize: 10 });
    expect(page2.rows.map((r) => r.request_id)).toEqual(csv.slice(20, 30).map((c) => c.r.request_id));

    const hostile = await loadExplorerPage(engine, {}, { ...BASE, sort: [{ id: 'cost; DROP TABLE priced', desc: false }], search: "x'); DROP TABLE priced; --" });
    expect(hostile.total).toBe(0);
    expect((await loadExplorerPage(engine, {}, BASE)).total).toBe(csv.length);

    const filtered = await loadExplorerPage(engine, { lanes: ['batch'] }, { ...BASE, columnFilters: [{ id: 'attempt_count', value: '>= 2' }, { id: 'job_type', value: 'DRAFT' }] });
    expect(filtered.total).toBe(csv.filter((c) => c.r.lane === 'batch' && Number(c.r.attempt_count) >= 2 && c.r.job_type!.includes('draft')).length);
    expect(filtered.total).toBeGreaterThan(0);

    const exported = await loadExplorerExport(engine, { lanes: ['batch'] }, { ...BASE, sort: [{ id: 'cost', desc: true }], columnFilters: [{ id: 'attempt_count', value: '>= 2' }] });
    const batchRetried = csv.filter((c) => c.r.lane === 'batch' && Number(c.r.attempt_count) >= 2);
    expect(exported).toHaveLength(batchRetried.length);
    const costAt = EXPLORER_COLUMNS.findIndex((c) => c.id === 'cost');
    const maxBatchRetried = batchRetried.reduce((m, c) => (c.cost !== null && c.cost > m ? c.cost : m), 0n);
    expect(parseUsd(String(exported[0]![costAt]))).toBe(maxBatchRetried);

    // Counted from the day sums under the global filters alone, from the rows with a column filter or a search.
    const inJune = (c: (typeof csv)[number]) => c.r.timestamp!.slice(0, 10) >= '2026-06-05' && c.r.timestamp!.slice(0, 10) <= '2026-06-20';
    const june = { models: ['gemini-3-pro-image', 'no-such-model'], lanes: ['standard'], from: '2026-06-05', to: '2026-06-20' };
    const proJune = csv.filter((c) => c.priced.model === 'gemini-3-pro-image' && c.r.lane === 'standard' && inJune(c));
    expect(proJune.length).toBeGreaterThan(0);
    expect((await loadExplorerPage(engine, june, BASE)).total).toBe(proJune.length);
    expect((await loadExplorerPage(engine, june, { ...BASE, search: 'draft' })).total).toBe(proJune.filter((c) => c.r.job_type!.includes('draft')).length);
    expect((await loadExplorerPage(engine, { from: '2026-06-05', to: '2026-06-20' }, BASE)).total).toBe(csv.filter(inJune).length);

    const costly = await loadExplorerPage(engine, {}, { ...BASE, columnFilters: [{ id: 'cost', value: '> 0.2' }] });
    expect(costly.total).toBe(csv.filter((c) => c.cost !== null && c.cost > parseUsd('0.2')).length);
  });
});

describe('the report lists its tables in the engine’s order', () => {
  it('job types and models in any script sort as ORDER BY sorts them; figures per group as the engine sums them', async () => {
    const engine = await testEngine();
    // Job types (lower-cased as they are read) the sort orders by code point (U+1F600 after U+FF21, unlike a UTF-16 comparison), and one unpriced model.
    const jobs = ['\u{1F600}', '\uFF21', 'b', 'a', 'ab', 'é', 'Z'];
    const header = 'request_id,timestamp,model,provider,lane,image_size,images,job_type,attempt_count';
    const lines = jobs.flatMap((job, i) => [
      `r${i}a,2026-06-0${1 + (i % 3)}T10:00:00Z,gemini-3.1-flash-image-preview,google,standard,1K,1,${job},1`,
      `r${i}b,2026-07-01T10:00:00Z,${i % 2 ? 'gemini-3-pro-image-preview' : 'no-such-model'},google,batch,2K,2,${job},${1 + (i % 2)}`,
    ]);
    await ingestFiles(engine, [{ name: 'order.csv', bytes: new TextEncoder().encode([header, ...lines].join('\n')) }], { mode: 'replace' });
    await applyRates(engine, rates);
    const report = await buildReport(engine);
    const ordered = async (sql: string) => (await engine.query<Record<string, string | number>>(sql));
    expect(report.byJobType.map((r) => r.jobType)).toEqual((await ordered('SELECT DISTINCT job_type FROM priced_cube ORDER BY 1')).map((r) => r.job_type));
    expect(report.byJobType.map((r) => r.jobType)).toEqual(['a', 'ab', 'b', 'z', 'é', '\uFF41', '\u{1F600}']);
    const perModel = await ordered(`SELECT model_key, sum(requests)::BIGINT AS requests, COALESCE(sum(cost), 0)::VARCHAR AS cost FROM priced_cube GROUP BY 1 ORDER BY 1`);
    expect(report.byModel.map((r) => [r.model, r.requests + r.unpricedRequests, formatExact(r.cost)])).toEqual(perModel.map((r) => [r.model_key, r.requests, r.cost]));
    expect(report.unpriced).toEqual([{ model: 'no-such-model', imageSize: '2K', lane: 'batch', reason: expect.any(String), requests: 4 }]);
    expect(report.byMonth.map((r) => [r.month, r.requests])).toEqual([['2026-06', 7], ['2026-07', 3]]);
  });
});
