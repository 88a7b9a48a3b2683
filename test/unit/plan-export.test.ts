import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/domain/csv';
import { computeScenario, DEFAULT_SCENARIO, type Scenario } from '../../src/domain/scenario';
import { UNPRICED_LABELS } from '../../src/domain/pricing';
import { comparisonCsvTable, comparisonRows, mixSummary, unpricedLines } from '../../src/features/plan/plan-export';
import { bundledRates } from '../support/rates';

const rates = bundledRates();
const AT = Date.parse('2026-08-01T00:00:00Z');
const batch: Scenario = { ...DEFAULT_SCENARIO, name: '=batch plan', lines: [{ ...DEFAULT_SCENARIO.lines[0]!, lane: 'batch' }] };

describe('comparison export', () => {
  const scenarios = [DEFAULT_SCENARIO, batch];
  const results = scenarios.map((s) => computeScenario(s, rates, AT));

  it('rows carry the difference from the first scenario', () => {
    const cost = comparisonRows(results)[0]!;
    expect(cost.deltas[0]!.percent).toBe(-0.5);
  });

  it('CSV: exact money, differences in $ and %, formulas neutralised', () => {
    const { header, rows } = comparisonCsvTable(scenarios, results);
    const lines = toCsv(header, rows).split('\r\n');
    expect(lines[0]).toBe(`figure,unit,"Flash 1K, 1,000 a day",'=batch plan,"'=batch plan vs Flash 1K, 1,000 a day","'=batch plan vs Flash 1K, 1,000 a day (%)"`);
    // 30,000 images × 0.0672 = 2,016 standard; × 0.0336 = 1,008 batch; list 0.067 vs 0.034
    expect(lines[1]).toBe('Monthly cost (exact),USD,2016,1008,-1008,-50.00');
    expect(lines[2]).toBe('Monthly cost (list prices),USD,2010,1020,-990,-49.25');
    expect(lines).toContain(`'=batch plan,1000,day,30,0,gemini-3.1-flash-image,google,batch,1K,100,`);
  });
});

describe('mix summary for the printed assumptions', () => {
  it('shares by model, largest first, the tail folded into "other"', () => {
    const line = DEFAULT_SCENARIO.lines[0]!;
    const s: Scenario = { ...DEFAULT_SCENARIO, lines: [
      { ...line, model: 'a', share: 50 }, { ...line, model: 'b', share: 30 }, { ...line, model: 'a', lane: 'batch', share: 10 },
      { ...line, model: 'c', share: 6 }, { ...line, model: 'd', share: 4 },
    ] };
    expect(mixSummary(s, (l) => l.model)).toBe('60% a, 30% b, 6% c, 4% d');
    expect(mixSummary(s, (l) => l.model, 2)).toBe('60% a, 30% b, 10% other');
    expect(mixSummary(s, (l) => l.lane)).toBe('90% standard, 10% batch');
  });
});

describe('unpriced lines in a comparison', () => {
  it('are counted as images left out and named with their reason, not hidden', () => {
    const line = DEFAULT_SCENARIO.lines[0]!;
    const mixed: Scenario = { ...DEFAULT_SCENARIO, name: 'mixed', lines: [{ ...line, share: 75 }, { ...line, model: 'no-such-model', share: 25 }] };
    const results = [DEFAULT_SCENARIO, mixed].map((s) => computeScenario(s, rates, AT));
    const row = comparisonRows(results).find((r) => r.metric.id === 'unpriced_images')!;
    // 1,000 a day × 30 days × 25 % of the volume on a model no card prices
    expect(row.metric.values).toEqual([0, 7500]);
    expect(unpricedLines(results[0]!)).toEqual([]);
    expect(unpricedLines(results[1]!)).toEqual([`no-such-model 1K standard via google (${UNPRICED_LABELS[results[1]!.lines[1]!.reason!]})`]);
    expect(results[1]!.lines[1]!.reason).not.toBeNull();
    const { rows } = comparisonCsvTable([DEFAULT_SCENARIO, mixed], results);
    expect(rows.find((r) => r[0] === 'Images with no price (left out of cost)')).toEqual(['Images with no price (left out of cost)', 'images', '0', '7500', '7500', null]);
  });
});
