import { describe, expect, it } from 'vitest';
import type { CubeRow } from '../../src/domain/cube';
import { formatPlain, parseUsd, type Pico } from '../../src/domain/money';
import {
  compareScenarios, computeScenario, DEFAULT_SCENARIO, difference, monthlyBySizeTable, SCENARIO_LIMITS, scenarioFromCube, standardVsBatchTable,
  type Scenario,
} from '../../src/domain/scenario';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');
const plain = (p: Pico | null) => (p === null ? null : formatPlain(p));
const FLASH = 'gemini-3.1-flash-image';
const PRO = 'gemini-3-pro-image';

function scenario(patch: Partial<Scenario>, lines: Partial<Scenario['lines'][number]>[] = [{}]): Scenario {
  return {
    ...DEFAULT_SCENARIO,
    ...patch,
    lines: lines.map((l) => ({ model: FLASH, provider: 'google', lane: 'standard', size: '1K', share: 100, acceptance: null, ...l })),
  };
}

describe('the published tables (pricing-facts.md), from the calculator', () => {
  const table = monthlyBySizeTable(rates, { model: FLASH, provider: 'google', lane: 'standard', perDay: [100, 1000, 10_000], at: AT });
  it.each([
    [0, ['135', '201', '303', '453']],
    [1, ['1350', '2010', '3030', '4530']],
    [2, ['13500', '20100', '30300', '45300']],
  ] as const)('row %i at list prices', (row, want) => {
    expect(table[row]!.cells.map((c) => plain(c.listed))).toEqual(want);
  });
  it('exact token math: 1K × 1,000/day × 30 = $2,016; 512 = 0.04482 × 30,000', () => {
    expect(plain(table[1]!.cells[1]!.exact)).toBe('2016');
    expect(plain(table[1]!.cells[0]!.exact)).toBe('1344.6');
  });
  it('standard vs batch at 1,000 Flash 1K a day: $2,010 vs $1,020, saves $990', () => {
    const rows = standardVsBatchTable(rates, { model: FLASH, provider: 'google', perDay: 1000, at: AT });
    const k1 = rows.find((r) => r.size === '1K')!;
    expect([plain(k1.standard.listed), plain(k1.batch.listed), plain(k1.saving.listed)]).toEqual(['2010', '1020', '990']);
    expect([plain(k1.standard.exact), plain(k1.batch.exact), plain(k1.saving.exact)]).toEqual(['2016', '1008', '1008']);
  });
  it('the default scenario is the 1K × 1,000/day case: exact $2,016, listed $2,010', () => {
    const r = computeScenario(DEFAULT_SCENARIO, rates, AT);
    expect([plain(r.cost), plain(r.listedCost), r.monthlyImages]).toEqual(['2016', '2010', 30_000]);
    expect(plain(r.lines[0]!.perImageExact)).toBe('0.0672');
    expect(plain(r.lines[0]!.perImageListed)).toBe('0.067');
  });
  it('10,000 Pro images a month: $1,340 at list price (exact $1,344)', () => {
    const r = computeScenario(scenario({ volume: 10_000, per: 'month' }, [{ model: PRO }]), rates, AT);
    expect([plain(r.listedCost), plain(r.cost)]).toEqual(['1340', '1344']);
  });
  it('1K vs 4K: $84 a month apart at 1,000 images, $840 at 10,000', () => {
    const gap = (volume: number) => {
      const at = (size: '1K' | '4K') => computeScenario(scenario({ volume, per: 'month' }, [{ size }]), rates, AT).listedCost!;
      return plain((at('4K') - at('1K')) as Pico);
    };
    expect([gap(1000), gap(10_000)]).toEqual(['84', '840']);
  });
});

describe('calculator, hand-computed', () => {
  // 1,000/day × 30 = 30,000 images; shares 3:2 → 18,000 Flash 1K standard + 12,000 Pro 2K batch; retries +10%.
  // Flash 0.0672 × 18,000 = 1,209.60; Pro batch 2K 0.0672 × 12,000 = 806.40; base 2,016.00; × 1.1 = 2,217.60.
  const s = scenario({ retryPercent: 10 }, [
    { share: 3, acceptance: 80 },
    { model: PRO, size: '2K', lane: 'batch', share: 2, acceptance: 90 },
  ]);
  const r = computeScenario(s, rates, AT);
  it('cost, retry cost and list-price cost', () => {
    expect([plain(r.baseCost), plain(r.cost), plain(r.retryCost)]).toEqual(['2016', '2217.6', '201.6']);
    // list: (0.067 × 18,000 + 0.067 × 12,000) × 1.1 = 2,211
    expect(plain(r.listedCost)).toBe('2211');
  });
  it('breakdown by model and lane', () => {
    expect(r.byModel.map((b) => [b.key, plain(b.cost), b.monthlyImages])).toEqual([[FLASH, '1330.56', 18_000], [PRO, '887.04', 12_000]]);
    expect(r.byLane.map((b) => [b.key, plain(b.cost)])).toEqual([['standard', '1330.56'], ['batch', '887.04']]);
  });
  it('acceptance: 14,400 + 10,800 accepted; $2,217.60 / 25,200 = $0.088 each', () => {
    expect(r.acceptedImages).toBe(25_200);
    expect(plain(r.costPerAccepted)).toBe('0.088');
    expect(plain(r.costPerImage)).toBe('0.07392');
  });
  it('a share that does not divide evenly is rounded once per line, to the picodollar', () => {
    const thirds = computeScenario(scenario({ volume: 100, per: 'month' }, [{ share: 1 }, { share: 1, size: '2K' }, { share: 1, size: '4K' }]), rates, AT);
    // 100/3 images each: 0.0672 × 100/3 = 2.24; 0.1008 × 100/3 = 3.36; 0.1512 × 100/3 = 5.04
    expect(thirds.lines.map((l) => plain(l.cost))).toEqual(['2.24', '3.36', '5.04']);
    const odd = computeScenario(scenario({ volume: 1, per: 'month' }, [{ share: 1 }, { share: 2 }]), rates, AT);
    // 0.0672 / 3 = 0.0224; 0.0672 × 2 / 3 = 0.0448
    expect(odd.lines.map((l) => plain(l.cost))).toEqual(['0.0224', '0.0448']);
  });
  it('a vanishing share or zero acceptance gives no per-unit figure instead of a division by zero', () => {
    const tiny = computeScenario(scenario({ volume: 1, per: 'month' }, [{ share: 1, acceptance: 0 }, { share: SCENARIO_LIMITS.maxShare, model: 'gemini-3.1-flash-lite-image' }]), rates, AT);
    expect([tiny.costPerImage, tiny.costPerAccepted, tiny.acceptedImages]).toEqual([null, null, 0]);
    const none = computeScenario(scenario({ volume: 0 }), rates, AT);
    expect([plain(none.cost), none.costPerImage]).toEqual(['0', null]);
  });
  it('lines without a price are counted, not guessed', () => {
    const u = computeScenario(scenario({}, [{ share: 1 }, { model: 'gemini-3.1-flash-lite-image', share: 1 }, { model: PRO, size: '512', share: 1 }]), rates, AT);
    expect(u.lines.map((l) => l.reason)).toEqual([null, 'model_not_priced', 'size_not_offered']);
    expect(u.unpricedLines).toBe(2);
    expect(plain(u.cost)).toBe('672'); // 10,000 priced Flash images × 0.0672
  });
});

describe('comparison', () => {
  it('differences in $ and % against the first scenario', () => {
    const a = computeScenario(DEFAULT_SCENARIO, rates, AT);
    const b = computeScenario(scenario({}, [{ lane: 'batch' }]), rates, AT);
    const cost = compareScenarios([a, b])[0]!;
    const d = difference(cost.values[1]!, cost.values[0]!);
    expect(plain(d.delta as Pico)).toBe('-1008');
    expect(d.percent).toBe(-0.5);
    expect(difference(3, 0)).toEqual({ delta: 3, percent: null });
  });
});

describe('start from my data', () => {
  const cell = (patch: Partial<CubeRow>): CubeRow => ({
    model: FLASH, imageSize: '1K', lane: 'standard', provider: 'google', jobType: 'draft', day: '2026-08-31', requests: 10, images: 10,
    attempts: 10, billedAttempts: 10, billedImages: 10, withFeedback: 0, accepted: 0, unpricedRequests: 0, cost: parseUsd('0.672'), ...patch,
  });
  it('volume, mix, retry and acceptance of the last 30 days', () => {
    const rows = [
      cell({ images: 600, billedImages: 660, withFeedback: 100, accepted: 80 }),
      cell({ day: '2026-08-02', model: PRO, images: 300, billedImages: 300, withFeedback: 10, accepted: 9 }),
      cell({ day: '2026-08-01', images: 9999 }), // 31 days before the last day: outside the window
    ];
    const found = scenarioFromCube(rows)!;
    expect([found.from, found.to, found.coverage]).toEqual(['2026-08-02', '2026-08-31', 1]);
    expect(found.scenario.volume).toBe(30); // 900 images / 30 days
    expect(found.scenario.retryPercent).toBe(6.67); // 60 extra of 900
    expect(found.scenario.lines.map((l) => [l.model, l.share, l.acceptance])).toEqual([[FLASH, 600, 80], [PRO, 300, 90]]);
    const r = computeScenario(found.scenario, rates, AT);
    // 900 images: 600 Flash 1K (0.0672) + 300 Pro 1K (0.1344) = 80.64; × 1.0667 = 80.64 + 5.378688
    expect(plain(r.baseCost)).toBe('80.64');
    expect(plain(r.cost)).toBe('86.018688');
  });
  it('nothing loaded: no scenario', () => {
    expect(scenarioFromCube([])).toBeNull();
  });
});
