import { beforeAll, describe, expect, it } from 'vitest';
import { loadDecisionCells, type DecisionCell } from '../../src/db/decisions';
import { applyRates } from '../../src/db/workspace';
import { formatExact, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { normalizeModelId } from '../../src/domain/rate-card';
import { readSimpleCsv } from '../support/csv';
import { loadSampleLog, SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

/**
 * The decision cells built by SQL equal the same cluster sums taken row by row: group the
 * rated, priced requests per model × job type (× size), cluster them by prompt hash (a row
 * without one is its own cluster), and add up N, A, N², A², N·A, cost, cost² and cost·A.
 */
describe('decision cells', () => {
  const rates = bundledRates();
  let cells: DecisionCell[];
  let filtered: DecisionCell[];

  beforeAll(async () => {
    const engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    cells = await loadDecisionCells(engine);
    filtered = await loadDecisionCells(engine, { jobTypes: ['final'], sizes: ['2K'] });
  });

  function expected(keep: (row: Record<string, string>) => boolean) {
    const clusters = new Map<string, Map<string, { n: number; a: number; c: bigint }>>();
    readSimpleCsv(SAMPLE_PATH).forEach((row, index) => {
      if (row.accepted_by_user === '' || !keep(row)) return;
      const normalized = normalizeModelId(row.model!);
      const model = rates.aliases.get(normalized) ?? normalized;
      const priced = priceRequest({
        timestamp: Date.parse(row.timestamp!), model: row.model!, provider: row.provider!, lane: row.lane!, imageSize: row.image_size!,
        images: Number(row.images), billedAttempts: Number(row.billed_attempts), inputTokens: Number(row.input_tokens || 0), inputImages: 0,
        outputTextTokens: Number(row.output_text_tokens || 0), outputImageTokens: null, groundingQueries: Number(row.grounding_queries || 0),
      }, rates);
      if (!priced.priced) return;
      const cluster = row.prompt_hash ? `h:${row.prompt_hash}` : `r:${index}`;
      for (const size of [row.image_size!, null]) {
        const key = `${model}|${row.job_type}|${size ?? '*'}`;
        const group = clusters.get(key) ?? clusters.set(key, new Map()).get(key)!;
        const c = group.get(cluster) ?? { n: 0, a: 0, c: 0n };
        c.n += 1;
        if (row.accepted_by_user === 'true') c.a += 1;
        c.c += priced.cost;
        group.set(cluster, c);
      }
    });
    const out = new Map<string, { clusters: number; n: number; a: number; n2: number; a2: number; na: number; cost: string; c2: number; ca: number }>();
    for (const [key, group] of clusters) {
      let n = 0, a = 0, n2 = 0, a2 = 0, na = 0, cost = 0n, c2 = 0, ca = 0;
      for (const c of group.values()) {
        const usd = Number(formatExact(c.c as Pico));
        n += c.n; a += c.a; n2 += c.n * c.n; a2 += c.a * c.a; na += c.n * c.a; cost += c.c; c2 += usd * usd; ca += usd * c.a;
      }
      out.set(key, { clusters: group.size, n, a, n2, a2, na, cost: formatExact(cost as Pico), c2, ca });
    }
    return out;
  }

  function check(actual: DecisionCell[], want: ReturnType<typeof expected>) {
    expect(actual.length).toBe(want.size);
    for (const c of actual) {
      const e = want.get(`${c.model}|${c.jobType}|${c.size ?? '*'}`);
      expect(e, `${c.model} ${c.jobType} ${c.size}`).toBeDefined();
      expect([c.clusters, c.n, c.accepted, c.sumN2, c.sumA2, c.sumNA, formatExact(c.costExact)]).toEqual([e!.clusters, e!.n, e!.a, e!.n2, e!.a2, e!.na, e!.cost]);
      expect(c.sumC2).toBeCloseTo(e!.c2, 6);
      expect(c.sumCA).toBeCloseTo(e!.ca, 6);
    }
  }

  it('every cell matches a row-by-row clustering of the CSV', () => {
    check(cells, expected(() => true));
    // The sample repeats prompts: some groups have fewer clusters than rated requests.
    expect(cells.some((c) => c.clusters < c.n)).toBe(true);
  });

  it('honours the global filters', () => {
    check(filtered, expected((r) => r.job_type === 'final' && r.image_size === '2K'));
    expect(filtered.every((c) => c.jobType === 'final')).toBe(true);
  });
});
