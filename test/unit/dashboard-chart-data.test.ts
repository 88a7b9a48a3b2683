import { describe, expect, it } from 'vitest';
import { acceptanceIntervals } from '../../src/features/acceptance/acceptance-chart-data';
import { familyVerdicts, verdictSentences } from '../../src/features/acceptance/verdict-data';
import { batchRows, eligibleMissed, missedBars } from '../../src/features/batch/batch-chart-data';
import { regenBars } from '../../src/features/duplicates/duplicates-chart-data';
import { pageRange, toExplorerRequest } from '../../src/features/explorer/explorer-request';
import { bucketLabel, costPerAccepted, timeBars } from '../../src/features/overview/overview-figures';
import { attemptBars, overallRetryRate, proRetries, retryRows } from '../../src/features/retry/retry-chart-data';
import { compareSizes, modelSizeStack, spendRows } from '../../src/features/spend/spend-chart-data';
import { formatUsd, parseUsd, type Pico } from '../../src/domain/money';
import type { Report } from '../../src/domain/report';

const usd = (s: string): Pico => parseUsd(s);
const group = (cost: string, requests: number, images = requests, unpricedRequests = 0) => ({ cost: usd(cost), requests, images, unpricedRequests });

describe('overview figures', () => {
  it('cost per accepted image pools every model × job type with feedback', () => {
    const acceptance = [
      { cost: usd('1.34'), accepted: 8, withFeedback: 10 },
      { cost: usd('0.67'), accepted: 2, withFeedback: 10 },
    ] as unknown as Report['acceptance'];
    expect(costPerAccepted({ acceptance } as Report)).toEqual({ cost: usd('2.01'), accepted: 10, withFeedback: 20 });
  });
  it('time bars: sorted by bucket, labelled per grain, exact in the tooltip', () => {
    const bars = timeBars([{ bucket: '2026-07-01', cost: usd('2.5') }, { bucket: '2026-06-01', cost: usd('1.000000000001') }], 'month');
    expect(bars.map((b) => b.label)).toEqual(['2026-06', '2026-07']);
    expect(bars[0]!.exact).toBe('$1.000000000001');
    expect(bars[1]!.value).toBe(2.5);
    expect(bucketLabel('2026-06-08', 'week')).toBe('wk 06-08');
    expect(bucketLabel('2026-06-08', 'day')).toBe('06-08');
  });
});

describe('spend chart data', () => {
  it('sizes in natural order, unknown ones last', () => {
    expect(['4K', 'odd', '512', '2K', '1K'].sort(compareSizes)).toEqual(['512', '1K', '2K', '4K', 'odd']);
  });
  it('rows carry share of total and exact per-image cost, largest first', () => {
    const rows = spendRows([{ model: 'a', ...group('1', 3) }, { model: 'b', ...group('3', 2, 4) }], (g) => g.model, usd('4'));
    expect(rows.map((r) => r.key)).toEqual(['b', 'a']);
    expect(rows[0]!.share).toBe(0.75);
    expect(rows[0]!.perImage).toBe(usd('0.75'));
    expect(rows[1]!.perImage).toBe(usd('0.333333333333'));
  });
  it('model × size stacks: one bar per model, one series per size', () => {
    const stack = modelSizeStack(
      [
        { model: 'flash', imageSize: '4K', ...group('1', 1) },
        { model: 'flash', imageSize: '1K', ...group('2', 1) },
        { model: 'pro', imageSize: '1K', ...group('5', 1) },
      ],
      (m) => m.toUpperCase(),
    );
    expect(stack.series).toEqual(['1K', '4K']);
    expect(stack.data.map((d) => d.label)).toEqual(['PRO', 'FLASH']);
    expect(stack.data[1]).toEqual({ label: 'FLASH', values: { '4K': 1, '1K': 2 }, exact: { '4K': '$1', '1K': '$2' } });
  });
});

describe('batch, retry and duplicates chart data', () => {
  const zero = usd('0');
  const job = (jobType: string, potential: string) => ({
    jobType, standardRequests: 10, batchableRequests: 10, standardCost: usd('2'), potentialSavings: usd(potential),
    batchRequests: 0, batchCost: zero, realizedSavings: zero,
  });
  it('eligible job types are marked and only they count as missed', () => {
    const rows = batchRows([job('draft', '1.5'), job('final', '4')], ['draft']);
    expect(rows.map((r) => [r.jobType, r.eligible])).toEqual([['final', false], ['draft', true]]);
    expect(eligibleMissed(rows)).toBe(usd('1.5'));
    expect(missedBars(rows)[1]!.label).toBe('draft (eligible)');
  });
  it('retry rows, overall rate and the Pro call-out', () => {
    const g = (key: string, requests: number, retried: number, retryCost: string, cost: string) => ({ key, requests, retried, attempts: 0, billedAttempts: 0, cost: usd(cost), retryCost: usd(retryCost) });
    const groups = [g('pro', 10, 2, '0.268', '1.608'), g('flash', 30, 3, '0.2', '2')];
    const rows = retryRows(groups);
    expect(rows[0]!.key).toBe('pro');
    expect(rows[0]!.retryRate).toBe(0.2);
    expect(rows[0]!.retryShare).toBeCloseTo(0.166667, 6);
    expect(overallRetryRate(groups)).toEqual({ retried: 5, requests: 40, rate: 0.125 });
    expect(proRetries(groups, (m) => m === 'pro')).toEqual({ models: ['pro'], retried: 2, retryCost: usd('0.268') });
    expect(attemptBars([{ attempts: 2, requests: 5, cost: zero, retryCost: usd('1') }, { attempts: 1, requests: 9, cost: zero, retryCost: zero }]).map((b) => [b.label, b.value])).toEqual([['1×', 9], ['2×', 5]]);
  });
  it('re-generation bars: most costly first, hashes shortened', () => {
    const d = (promptHash: string, regen: string) => ({ promptHash, requests: 3, models: '', jobTypes: '', firstDay: '', lastDay: '', cost: usd('9'), regenCost: usd(regen) });
    const bars = regenBars([d('aaaaaaaaaaaaaaaa', '1'), d('b', '2')]);
    expect(bars.map((b) => b.label)).toEqual(['b', 'aaaaaaaaaaaa…']);
    expect(bars[0]!.exact).toBe('$2 for 2 repeats');
  });
});

describe('acceptance verdicts per job type', () => {
  const row = (model: string, jobType: string, withFeedback: number, accepted: number, cost: string) =>
    ({ model, jobType, withFeedback, accepted, cost: usd(cost) }) as Report['acceptance'][number];
  const family = (m: string) => (m.startsWith('pro') ? 'pro' : m.startsWith('flash') ? 'flash' : 'other') as 'pro' | 'flash' | 'other';

  it('pools models of one family and skips job types without both families', () => {
    const verdicts = familyVerdicts(
      [
        row('pro', 'final', 100, 80, '13.40'),
        row('flash-a', 'final', 60, 36, '4.02'),
        row('flash-b', 'final', 40, 24, '2.68'),
        row('flash-a', 'draft', 50, 40, '3.35'),
        row('other', 'final', 50, 50, '1'),
      ],
      family,
    );
    expect(verdicts.map((v) => v.jobType)).toEqual(['final']);
    const v = verdicts[0]!;
    expect(v.flashModels).toEqual(['flash-a', 'flash-b']);
    expect(v.verdict.flash).toMatchObject({ withFeedback: 100, accepted: 60, cost: usd('6.70') });
    // Same figures as the hand-computed domain case: break-even 1.2, Flash cheaper.
    expect(v.verdict.breakEven).toBeCloseTo(1.2, 9);
    const s = verdictSentences(v.verdict, (p) => formatUsd(p, 4));
    expect(s.cheaper).toBe("Flash is cheaper per accepted image: $0.1117 against Pro's $0.1675.");
    expect(s.significance).toBe('The acceptance gap (80.0% vs 60.0%) is statistically meaningful (two-proportion test p = 0.002).');
    expect(s.breakEven).toBe('Pro cannot pay for itself here: even at 100% acceptance it costs more per accepted image than Flash (break-even 120.0%).');
  });

  it('small samples say so', () => {
    const [v] = familyVerdicts([row('pro', 'ad', 12, 11, '1.6'), row('flash', 'ad', 100, 50, '6.7')], family);
    expect(verdictSentences(v!.verdict, (p) => formatUsd(p, 4)).significance).toMatch(/^Too few answers to judge: Pro has 12, Flash 100/);
  });
});

describe('explorer request', () => {
  it('maps table state to the SQL request, dropping empty filters', () => {
    expect(
      toExplorerRequest({
        sorting: [{ id: 'cost', desc: true }],
        columnFilters: [{ id: 'model_key', value: 'pro' }, { id: 'lane', value: '  ' }, { id: 'images', value: 3 }],
        search: 'abc',
        pagination: { pageIndex: 2, pageSize: 50 },
      }),
    ).toEqual({ sort: [{ id: 'cost', desc: true }], columnFilters: [{ id: 'model_key', value: 'pro' }], search: 'abc', pageIndex: 2, pageSize: 50 });
  });
  it('page range clamps to the total', () => {
    expect(pageRange(0, 25, 0)).toEqual({ first: 0, last: 0 });
    expect(pageRange(1, 25, 40)).toEqual({ first: 26, last: 40 });
  });
});

describe('acceptance intervals', () => {
  it('groups by job type, labels with the market name, and spreads the bar to the Wilson bounds', () => {
    const rows = [
      { model: 'gemini-3-pro-image', jobType: 'final', withFeedback: 10, accepted: 8, acceptanceRate: 0.8, ciLow: 0.4902, ciHigh: 0.9433, cost: 0n, costPerAccepted: null },
      { model: 'gemini-3.1-flash-image', jobType: 'draft', withFeedback: 4, accepted: 1, acceptanceRate: 0.25, ciLow: 0.0456, ciHigh: 0.6994, cost: 0n, costPerAccepted: null },
    ] as unknown as Report['acceptance'];
    const labels: Record<string, string> = { 'gemini-3-pro-image': 'Nano Banana Pro', 'gemini-3.1-flash-image': 'Nano Banana 2' };
    const data = acceptanceIntervals(rows, (m) => labels[m]!);
    expect(data.map((d) => d.label)).toEqual(['draft · Nano Banana 2', 'final · Nano Banana Pro']);
    expect(data[1]!.spread[0]).toBeCloseTo(0.3098, 10);
    expect(data[1]!.spread[1]).toBeCloseTo(0.1433, 10);
    expect(data[1]!.exact).toBe('80.0% accepted (95% interval 49.0%–94.3%), 8 of 10');
  });
});
