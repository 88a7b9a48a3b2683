import { beforeAll, describe, expect, it } from 'vitest';
import { loadCube } from '../../src/db/cube';
import { applyRates } from '../../src/db/workspace';
import type { CubeRow } from '../../src/domain/cube';
import { formatExact, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { normalizeModelId } from '../../src/domain/rate-card';
import { readSimpleCsv } from '../support/csv';
import { loadSampleLog, SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';


/** The cube built by SQL on the real engine equals the same sums taken row by row in TypeScript. */
describe('planning cube', () => {
  const rates = bundledRates();
  let cube: CubeRow[];

  beforeAll(async () => {
    const engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    cube = await loadCube(engine);
  });

  it('every cell matches a row-by-row aggregation of the CSV', () => {
    const expected = new Map<string, { requests: number; images: number; attempts: number; billed: number; billedImages: number; feedback: number; accepted: number; unpriced: number; cost: bigint }>();
    for (const row of readSimpleCsv(SAMPLE_PATH)) {
      const normalized = normalizeModelId(row.model!);
      const model = rates.aliases.get(normalized) ?? normalized;
      const key = [model, row.image_size, row.lane, row.provider, row.job_type, row.timestamp!.slice(0, 10)].join('|');
      const e = expected.get(key) ?? { requests: 0, images: 0, attempts: 0, billed: 0, billedImages: 0, feedback: 0, accepted: 0, unpriced: 0, cost: 0n };
      const images = Number(row.images), billed = Number(row.billed_attempts);
      const priced = priceRequest({
        timestamp: Date.parse(row.timestamp!), model: row.model!, provider: row.provider!, lane: row.lane!, imageSize: row.image_size!,
        images, billedAttempts: billed, inputTokens: Number(row.input_tokens || 0), inputImages: 0,
        outputTextTokens: Number(row.output_text_tokens || 0), outputImageTokens: null, groundingQueries: Number(row.grounding_queries || 0),
      }, rates);
      e.requests += 1;
      e.images += images;
      e.attempts += Number(row.attempt_count);
      e.billed += billed;
      e.billedImages += images * billed;
      if (row.accepted_by_user !== '') e.feedback += 1;
      if (row.accepted_by_user === 'true') e.accepted += 1;
      if (priced.priced) e.cost += priced.cost;
      else e.unpriced += 1;
      expected.set(key, e);
    }
    expect(cube.length).toBe(expected.size);
    for (const c of cube) {
      const e = expected.get([c.model, c.imageSize, c.lane, c.provider, c.jobType, c.day].join('|'));
      expect(e, `cell ${c.model} ${c.imageSize} ${c.lane} ${c.provider} ${c.jobType} ${c.day}`).toBeDefined();
      expect([c.requests, c.images, c.attempts, c.billedAttempts, c.billedImages, c.withFeedback, c.accepted, c.unpricedRequests, formatExact(c.cost)]).toEqual([
        e!.requests, e!.images, e!.attempts, e!.billed, e!.billedImages, e!.feedback, e!.accepted, e!.unpriced, formatExact(e!.cost as Pico),
      ]);
    }
  });

  it('is small next to the log: under 20,000 cells for 50,000 requests', () => {
    expect(cube.reduce((n, c) => n + c.requests, 0)).toBe(50_000);
    expect(cube.length).toBeLessThan(20_000);
  });
});
