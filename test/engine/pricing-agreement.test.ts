import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import { formatExact, parseUsd, sumPico, ZERO, type Pico } from '../../src/domain/money';
import { loadDecisionCells } from '../../src/db/decisions';
import { buildReport } from '../../src/db/report';
import { priceRequest, type PricingRequest } from '../../src/domain/pricing';
import { reportToJson } from '../../src/domain/report';
import { createRng } from '../../src/domain/random';
import { testEngine } from '../support/engine';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
import { resolveRates, type ActiveRates } from '../../src/domain/rate-card';
import { bundledRates } from '../support/rates';

const MODELS = [
  'gemini-3-pro-image', 'gemini-3-pro-image-preview', 'models/gemini-3-pro-image-preview', 'google/gemini-3-pro-image-preview',
  'vertex_ai/gemini-3-pro-image', 'gemini-3.1-flash-image-preview', 'Gemini-3.1-Flash-Image', 'gemini-3.1-flash-lite-image',
  'gemini-2.5-flash-image', 'gpt-image-1-high', 'dall-e-3-hd', 'imagen-4.0-ultra-generate-001', 'mystery-model-7',
  // Gateway and Vertex prefixes are stripped; unknown ids with slashes are kept whole.
  'publishers/google/models/gemini-3-pro-image-preview', 'openrouter/google/gemini-3-pro-image-preview', 'vertex_ai/gemini-3-pro-image-preview',
  '<script>alert(1)</script>', 'acme/gemini-3-pro-image', 'other/gemini-3-pro-image',
];
const PROVIDERS = ['google', 'vertex', 'openrouter', 'laozhang', 'kissapi', 'openai', 'nobody'];
const LANES = ['standard', 'batch', 'flex', 'priority'];
const SIZES = ['512', '1K', '2K', '4K'];
const N = 5000;
const sumOf = <T,>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

type RandomRequest = PricingRequest & { attempts: number };

function randomRequests(seed: number): RandomRequest[] {
  const rng = createRng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const small = (p: number, max: number) => (rng() < p ? 1 + Math.floor(rng() * max) : 0);
  return Array.from({ length: N }, () => {
    const attempts = 1 + small(0.3, 3);
    const model = pick(MODELS);
    const natural = model.startsWith('gpt') || model.startsWith('dall') ? 'openai' : 'google';
    return {
      attempts,
      // 2026-01-01 … 2026-12-31: crosses launch dates and laozhang's price change
      timestamp: Date.UTC(2026, 0, 1) + Math.floor(rng() * 365 * 86_400_000),
      model,
      provider: rng() < 0.6 ? natural : pick(PROVIDERS),
      lane: rng() < 0.5 ? 'standard' : pick(LANES),
      imageSize: pick(SIZES),
      images: 1 + small(0.2, 3),
      billedAttempts: Math.floor(rng() * (attempts + 1)),
      inputTokens: small(0.6, 2000),
      inputImages: small(0.2, 3),
      outputTextTokens: small(0.3, 400),
      outputThinkingTokens: small(0.2, 300),
      outputImageTokens: rng() < 0.1 ? 1 + Math.floor(rng() * 3000) : null,
      groundingQueries: small(0.03, 3),
    };
  });
}

/** SQL pricing and the TypeScript engine price thousands of random requests identically. */
describe('SQL pricing = TypeScript pricing', () => {
  const variants: Record<string, string>[] = [{}, { 'flash-3.1-input-text-rates': 'documented' }];
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine();
  });

  it.each(variants)('random requests agree (variants %o)', async (variant) => {
    const rates = bundledRates({ variants: variant });
    const requests = randomRequests(7 + Object.keys(variant).length);
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries',
      ...requests.map((r) =>
        [new Date(r.timestamp).toISOString(), r.model, r.provider, r.lane, r.imageSize, r.images, r.attempts,
          r.billedAttempts, r.inputTokens, r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries].join(','),
      ),
    ].join('\n');
    await ingestFiles(engine, [{ name: 'random.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    await applyRates(engine, rates);
    const sql = await engine.query<{ source_row: number; model_key: string; unpriced_reason: string | null; image: string | null; input: string | null; text: string | null; grounding: string | null; cost: string | null; retry: string | null }>(
      `SELECT source_row, model_key, unpriced_reason, image_cost::VARCHAR AS image, input_cost::VARCHAR AS input,
         text_cost::VARCHAR AS text, grounding_cost::VARCHAR AS grounding, cost::VARCHAR AS cost, retry_cost::VARCHAR AS retry
       FROM priced ORDER BY source_row`,
    );
    expect(sql).toHaveLength(N);
    const mismatches: string[] = [];
    let pricedCount = 0;
    for (const [i, request] of requests.entries()) {
      const ts = priceRequest(request, rates);
      const row = sql[i]!;
      const tsView = ts.priced
        ? { model: ts.model, reason: null, image: formatExact(ts.attempt.image), input: formatExact(ts.attempt.input), text: formatExact(ts.attempt.text), grounding: formatExact(ts.attempt.grounding), cost: formatExact(ts.cost), retry: formatExact(ts.retryCost) }
        : { model: ts.model, reason: ts.reason, image: null, input: null, text: null, grounding: null, cost: null, retry: null };
      const sqlView = { model: row.model_key, reason: row.unpriced_reason, image: row.image, input: row.input, text: row.text, grounding: row.grounding, cost: row.cost, retry: row.retry };
      if (ts.priced) pricedCount++;
      if (JSON.stringify(tsView) !== JSON.stringify(sqlView)) mismatches.push(`row ${i + 1}: ts ${JSON.stringify(tsView)} sql ${JSON.stringify(sqlView)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The random mix must exercise both outcomes and every reason, or agreement proves little.
    expect(pricedCount).toBeGreaterThan(N / 10);
    const reasons = new Set(sql.map((r) => r.unpriced_reason));
    for (const reason of ['unknown_model', 'model_not_priced', 'provider_not_priced', 'lane_not_offered', 'no_price_on_date', 'size_not_offered', 'image_not_priced', 'meter_not_priced']) {
      expect(reasons).toContain(reason);
    }
  });

  it('an open-ended price is open: a request on 9999-12-31 is priced at it in both engines', async () => {
    const csv = 'timestamp,model,provider,image_size\n9999-12-31T23:59:59Z,gemini-3-pro-image,google,1K\n';
    await ingestFiles(engine, [{ name: 'far.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace', today: '2026-12-01' });
    const rates = bundledRates();
    await applyRates(engine, rates);
    // 1120 output image tokens at $120 per million.
    expect(await engine.query(`SELECT unpriced_reason, cost::VARCHAR AS cost FROM priced`)).toEqual([{ unpriced_reason: null, cost: '0.134400000000' }]);
    const ts = priceRequest({ model: 'gemini-3-pro-image', provider: 'google', lane: 'standard', imageSize: '1K', images: 1, billedAttempts: 1,
      inputTokens: 0, inputImages: 0, outputTextTokens: 0, outputThinkingTokens: 0, outputImageTokens: null, groundingQueries: 0, timestamp: Date.parse('9999-12-31T23:59:59Z') }, rates);
    expect(ts.priced && formatExact(ts.cost)).toBe('0.134400000000');
  });

  it('a changed price re-prices history at query time', async () => {
    const csv = 'timestamp,model,provider,image_size\n2026-06-15T12:00:00Z,gemini-3-pro-image,laozhang,1K\n2026-07-15T12:00:00Z,gemini-3-pro-image,laozhang,1K\n';
    await ingestFiles(engine, [{ name: 'lz.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    await applyRates(engine, bundledRates());
    expect(await engine.query(`SELECT cost::VARCHAR AS cost FROM priced ORDER BY ts`)).toEqual([{ cost: '0.050000000000' }, { cost: '0.090000000000' }]);
    await applyRates(engine, bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.1K', value: '0.07' }] }));
    expect(await engine.query(`SELECT cost::VARCHAR AS cost FROM priced ORDER BY ts`)).toEqual([{ cost: '0.050000000000' }, { cost: '0.070000000000' }]);
  });

  it('requests at the largest counts a row may hold are priced exactly, past what 64-bit picodollars hold', async () => {
    // Half the requests at validation's limits (10,000 images and attempts, 10 billion tokens): their costs
    // run past $100,000 a request, where SQL leaves its 64-bit fast path for 128-bit arithmetic.
    const requests = randomRequests(31).slice(0, 600).map((r, i) => (i % 2 === 0 ? r : {
      ...r, ...(i % 4 === 3 ? { model: 'gemini-3-pro-image', provider: 'google', imageSize: '2K', timestamp: Date.UTC(2026, 8, 1) + i * 3_600_000 } : {}), attempts: 10_000, billedAttempts: 10_000 - (i % 5), images: 10_000, inputTokens: 10_000_000_000, inputImages: 10_000,
      outputTextTokens: 10_000_000_000, outputThinkingTokens: i % 3 ? 10_000_000_000 : 0, outputImageTokens: i % 4 ? 10_000_000_000 : null,
      groundingQueries: i % 7 === 0 ? 10_000 : 0,
    }));
    const rates = bundledRates();
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries',
      ...requests.map((r) =>
        [new Date(r.timestamp).toISOString(), r.model, r.provider, r.lane, r.imageSize, r.images, r.attempts, r.billedAttempts, r.inputTokens,
          r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries].join(','),
      ),
    ].join('\n');
    expect((await ingestFiles(engine, [{ name: 'huge.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' }))[0]!.rowsRejected).toBe(0);
    await applyRates(engine, rates);
    const rows = await engine.query<{ cost: string | null; retry: string | null; standard: string | null; batch: string | null }>(
      `SELECT cost::VARCHAR AS cost, retry_cost::VARCHAR AS retry, cost_standard::VARCHAR AS standard, cost_batch::VARCHAR AS batch FROM priced ORDER BY source_row`);
    const costOn = (r: RandomRequest, lane: string) => {
      const p = priceRequest({ ...r, lane }, rates);
      return p.priced ? formatExact(p.cost) : null;
    };
    const expected = requests.map((r) => {
      const p = priceRequest(r, rates);
      return { cost: p.priced ? formatExact(p.cost) : null, retry: p.priced ? formatExact(p.retryCost) : null, standard: costOn(r, 'standard'), batch: costOn(r, 'batch') };
    });
    expect(rows).toEqual(expected);
    const costs = requests.map((r) => priceRequest(r, rates)).flatMap((p) => (p.priced ? [p.cost] : []));
    // Both ways are exercised: costs past 10^17 picodollars ($100,000) and costs under it.
    expect(costs.filter((c) => c >= 10n ** 17n).length).toBeGreaterThan(40);
    expect(costs.filter((c) => c > 0n && c < 10n ** 17n).length).toBeGreaterThan(40);
    const report = await buildReport(engine, {});
    expect(formatExact(report.totalCost)).toBe(formatExact(sumPico(costs)));
  });

  it('a cell summing many requests at the limits prices exactly when none or one of their attempts is billed', async () => {
    // One cell's sums run past 64-bit picodollars per attempt (100 requests of 20 billion text and
    // thinking tokens) while the attempts it multiplies by are 0 (nothing billed) or 0 retries: that
    // once took the 64-bit path and failed with an overflow.
    const base = randomRequests(37)[0]!;
    const requests = Array.from({ length: 200 }, (_, i) => ({
      ...base, model: 'gemini-3-pro-image', provider: 'google', lane: 'standard', imageSize: '1K', timestamp: Date.UTC(2026, 8, 1, 10) + (i % 60) * 60_000,
      images: 1, attempts: 2, billedAttempts: i % 2, inputTokens: 10_000_000_000, inputImages: 0,
      outputTextTokens: 10_000_000_000, outputThinkingTokens: 10_000_000_000, outputImageTokens: null, groundingQueries: 0,
    }));
    const rates = bundledRates();
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries',
      ...requests.map((r) =>
        [new Date(r.timestamp).toISOString(), r.model, r.provider, r.lane, r.imageSize, r.images, r.attempts, r.billedAttempts, r.inputTokens,
          r.inputImages, r.outputTextTokens, r.outputThinkingTokens, '', r.groundingQueries].join(','),
      ),
    ].join('\n');
    expect((await ingestFiles(engine, [{ name: 'cell.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' }))[0]!.rowsRejected).toBe(0);
    await applyRates(engine, rates);
    const priced = requests.map((r) => priceRequest(r, rates));
    expect(priced.every((p) => p.priced)).toBe(true);
    const costs = priced.flatMap((p) => (p.priced ? [p.cost] : []));
    const retries = priced.flatMap((p) => (p.priced ? [p.retryCost] : []));
    // The billed half costs more than 64-bit picodollars hold; the unbilled half nothing.
    expect(sumPico(costs) > 2n ** 63n).toBe(true);
    const report = await buildReport(engine, {});
    expect(formatExact(report.totalCost)).toBe(formatExact(sumPico(costs)));
    expect(formatExact(report.retry.retryCost)).toBe(formatExact(sumPico(retries)));
    expect(report.pricedRequests).toBe(200);
  });

  it('the priced cube gives every report figure a row-by-row TypeScript loop gives, to the picodollar', async () => {
    // Random requests across laozhang's 2026-07-01 price change (requests at every hour of that day),
    // with an override of the new price, unknown models and unpriced lanes among them.
    const requests = randomRequests(23).map((r, i) => (i % 10 === 0 ? { ...r, timestamp: Date.UTC(2026, 6, 1) + (i % 24) * 3_600_000, provider: 'laozhang' } : r));
    const rates = bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.1K', value: '0.07' }] });
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries,job_type',
      ...requests.map((r, i) =>
        [new Date(r.timestamp).toISOString(), r.model, r.provider, r.lane, r.imageSize, r.images, r.attempts, r.billedAttempts, r.inputTokens,
          r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries, ['draft', 'final', 'variant'][i % 3]].join(','),
      ),
    ].join('\n');
    await ingestFiles(engine, [{ name: 'cube-vs-rows.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    await applyRates(engine, rates);
    const report = await buildReport(engine, { batchEligibleJobTypes: ['draft'] });

    const priced = requests.map((r, i) => ({ r, jobType: ['draft', 'final', 'variant'][i % 3]!, p: priceRequest(r, rates) }));
    const costOf = (x: (typeof priced)[number]) => (x.p.priced ? x.p.cost : ZERO);
    const on = (x: (typeof priced)[number], lane: string) => {
      const p = priceRequest({ ...x.r, lane }, rates);
      return p.priced ? p.cost : null;
    };
    const total = sumPico(priced.map(costOf));
    expect(formatExact(report.totalCost)).toBe(formatExact(total));
    expect(report.unpricedRequests).toBe(priced.filter((x) => !x.p.priced).length);
    expect(report.unpricedRequests).toBeGreaterThan(0);
    expect(formatExact(report.retry.retryCost)).toBe(formatExact(sumPico(priced.map((x) => (x.p.priced ? x.p.retryCost : ZERO)))));
    const byModel = new Map<string, Pico>();
    for (const x of priced) if (x.p.priced) byModel.set(x.p.model, (byModel.get(x.p.model) ?? ZERO) + x.p.cost as Pico);
    expect(Object.fromEntries(report.byModel.filter((m) => m.requests > 0).map((m) => [m.model, formatExact(m.cost)])))
      .toEqual(Object.fromEntries([...byModel].map(([m, c]) => [m, formatExact(c)])));
    const realized = sumPico(priced.filter((x) => x.p.priced && x.r.lane === 'batch').map((x) => {
      const standard = on(x, 'standard');
      return standard === null ? ZERO : (standard - costOf(x)) as Pico;
    }));
    expect(formatExact(report.batch.realizedSavings)).toBe(formatExact(realized));
    const potential = sumPico(priced.filter((x) => x.p.priced && x.r.lane === 'standard' && x.jobType === 'draft').map((x) => {
      const batch = on(x, 'batch');
      return batch === null ? ZERO : (costOf(x) - batch) as Pico;
    }));
    expect(formatExact(report.batch.potentialSavingsEligible)).toBe(formatExact(potential));
    expect(parseUsd(formatExact(potential))).toBeGreaterThan(0n);
  });
  it('every list of the report, in its order, is what a row-by-row TypeScript loop gives', async () => {
    const requests = randomRequests(29);
    const jobType = (i: number) => ['draft', 'final', 'variant'][i % 3]!;
    const accepted = (i: number) => [null, false, true, true, false][i % 5]!;
    const hash = (i: number) => (i % 2 === 0 ? `h${i % 41}` : '');
    const csv = [
      'request_id,timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries,job_type,accepted_by_user,prompt_hash',
      ...requests.map((r, i) =>
        [`r${String(i).padStart(5, '0')}`, new Date(r.timestamp).toISOString(), r.model.replace('<script>alert(1)</script>', 'script-model'), r.provider, r.lane, r.imageSize, r.images, r.attempts,
          r.billedAttempts, r.inputTokens, r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries,
          jobType(i), accepted(i) ?? '', hash(i)].join(','),
      ),
    ].join('\n');
    const rates = bundledRates();
    await ingestFiles(engine, [{ name: 'lists.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    await applyRates(engine, rates);
    const report = await buildReport(engine, { batchEligibleJobTypes: ['draft', 'final'] });

    const rows = requests.map((r, i) => {
      const request = { ...r, model: r.model.replace('<script>alert(1)</script>', 'script-model') };
      return { r: request, i, p: priceRequest(request, rates) };
    });
    const priced = rows.filter((x) => x.p.priced);
    const cost = (x: (typeof rows)[number]) => (x.p.priced ? x.p.cost : ZERO);
    const sum = (xs: typeof rows, f = cost) => formatExact(sumPico(xs.map(f)));
    const byKey = <K extends string>(xs: typeof rows, key: (x: (typeof rows)[number]) => K) => {
      const groups = new Map<K, typeof rows>();
      for (const x of xs) groups.set(key(x), [...(groups.get(key(x)) ?? []), x]);
      return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    };
    const figures = (xs: typeof rows) => {
      const p = xs.filter((x) => x.p.priced);
      return { requests: p.length, images: p.reduce((n, x) => n + x.r.images, 0), cost: sum(p), unpricedRequests: xs.length - p.length };
    };
    const shown = <T extends { cost: Pico }>(xs: T[]) => xs.map((x) => ({ ...x, cost: formatExact(x.cost) }));

    expect(shown(report.byMonth)).toEqual(byKey(rows, (x) => new Date(x.r.timestamp).toISOString().slice(0, 7)).map(([month, xs]) => ({ month, ...figures(xs) })));
    expect(shown(report.byJobType)).toEqual(byKey(rows, (x) => jobType(x.i)).map(([j, xs]) => ({ jobType: j, ...figures(xs) })));
    expect(shown(report.byLane)).toEqual(byKey(rows, (x) => x.r.lane).map(([lane, xs]) => ({ lane, ...figures(xs) })));
    expect(shown(report.byProvider)).toEqual(byKey(rows, (x) => x.r.provider).map(([provider, xs]) => ({ provider, ...figures(xs) })));
    expect(shown(report.byModelResolution)).toEqual(byKey(rows, (x) => `${x.p.model}\u0000${x.r.imageSize}`)
      .map(([k, xs]) => ({ model: k.split('\u0000')[0], imageSize: k.split('\u0000')[1], ...figures(xs) })));

    const unpriced = byKey(rows.filter((x) => !x.p.priced), (x) => [x.p.model, x.r.imageSize, x.r.lane, x.p.priced ? '' : x.p.reason].join('\u0000'))
      .map(([k, xs]) => { const [model, imageSize, lane, reason] = k.split('\u0000'); return { model, imageSize, lane, reason, requests: xs.length }; })
      .sort((a, b) => b.requests - a.requests);
    expect(report.unpriced).toEqual(unpriced);
    expect(report.unpriced.length).toBeGreaterThan(3);

    expect(report.retry.byModel.map((m) => ({ ...m, retryCost: formatExact(m.retryCost) }))).toEqual(byKey(priced, (x) => x.p.model).map(([model, xs]) => ({
      model,
      retryCost: sum(xs, (x) => (x.p.priced ? x.p.retryCost : ZERO)),
      retryRate: xs.filter((x) => x.r.attempts > 1).length / xs.length,
    })));
    expect(report.acceptance.map((a) => ({ model: a.model, jobType: a.jobType, withFeedback: a.withFeedback, accepted: a.accepted, cost: formatExact(a.cost) })))
      .toEqual(byKey(priced.filter((x) => accepted(x.i) !== null), (x) => `${x.p.model}\u0000${jobType(x.i)}`).map(([k, xs]) => ({
        model: k.split('\u0000')[0], jobType: k.split('\u0000')[1], withFeedback: xs.length, accepted: xs.filter((x) => accepted(x.i)).length, cost: sum(xs),
      })));

    // A repeat: a prompt hash seen earlier in the log (by time, then request id).
    const first = new Map<string, (typeof rows)[number]>();
    for (const x of [...rows].sort((a, b) => a.r.timestamp - b.r.timestamp || a.i - b.i)) if (hash(x.i) && !first.has(hash(x.i))) first.set(hash(x.i), x);
    const repeats = priced.filter((x) => hash(x.i) && first.get(hash(x.i)) !== x);
    expect(report.duplicates.duplicateRequests).toBe(repeats.length);
    expect(formatExact(report.duplicates.duplicateCost)).toBe(sum(repeats));
    expect(repeats.length).toBeGreaterThan(100);

    const on = (x: (typeof rows)[number], lane: string) => {
      const p = priceRequest({ ...x.r, lane }, rates);
      return p.priced ? p.cost : null;
    };
    const batch = priced.filter((x) => x.r.lane === 'batch');
    const withStandard = batch.filter((x) => on(x, 'standard') !== null);
    expect(report.batch.batchRequests).toBe(batch.length);
    expect(formatExact(report.batch.batchCost)).toBe(sum(batch));
    expect(formatExact(report.batch.batchStandardEquivalent)).toBe(sum(withStandard, (x) => on(x, 'standard')!));
    const standard = priced.filter((x) => x.r.lane === 'standard' && on(x, 'batch') !== null);
    expect(formatExact(report.batch.potentialSavingsAll)).toBe(sum(standard, (x) => (cost(x) - on(x, 'batch')!) as Pico));
    expect(report.requests).toBe(N);
    expect(report.attempts).toBe(rows.reduce((n, x) => n + x.r.attempts, 0));
    expect(report.billedAttempts).toBe(rows.reduce((n, x) => n + x.r.billedAttempts, 0));

    // A report without a date range reads the cube's monthly sums; one bounded by the log's own first
    // and last days reads its cells day by day: the same report.
    const days = rows.map((x) => new Date(x.r.timestamp).toISOString().slice(0, 10)).sort();
    const byDay = await buildReport(engine, { batchEligibleJobTypes: ['draft', 'final'], filters: { from: days[0], to: days.at(-1) } });
    expect(JSON.stringify(reportToJson(byDay))).toBe(JSON.stringify(reportToJson(report)));
  });

  it('the decision cells are a clustering of the rated requests priced one by one in TypeScript, on every priced meter', async () => {
    // Every priced meter, retries, laozhang's 2026-07-01 price change with an override of it, and unpriced rows;
    // prompt hashes shared by many requests, by one, and absent.
    const requests = randomRequests(31).map((r, i) => (i % 9 === 0 ? { ...r, timestamp: Date.UTC(2026, 6, 1) + (i % 24) * 3_600_000, provider: 'laozhang' } : r));
    const rates = bundledRates({ overrides: [{ priceId: 'gemini-3-pro-image|laozhang|standard|2026-07-01', field: 'per_image.1K', value: '0.07' }] });
    const jobType = (i: number) => ['draft', 'final', 'variant'][i % 3]!;
    const accepted = (i: number) => [null, false, true, true, false, true][i % 6]!;
    const hash = (i: number) => (i % 7 < 3 ? `h${i % 61}` : i % 7 < 5 ? `u${i}` : '');
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries,job_type,accepted_by_user,prompt_hash',
      ...requests.map((r, i) =>
        [new Date(r.timestamp).toISOString(), r.model.replace('<script>alert(1)</script>', 'script-model'), r.provider, r.lane, r.imageSize, r.images, r.attempts,
          r.billedAttempts, r.inputTokens, r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries,
          jobType(i), accepted(i) ?? '', hash(i)].join(','),
      ),
    ].join('\n');
    await ingestFiles(engine, [{ name: 'decisions.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    await applyRates(engine, rates);

    const expected = (keep: (r: RandomRequest) => boolean) => {
      const groups = new Map<string, Map<string, { n: number; a: number; c: Pico }>>();
      requests.forEach((r, i) => {
        const p = priceRequest({ ...r, model: r.model.replace('<script>alert(1)</script>', 'script-model') }, rates);
        if (accepted(i) === null || !p.priced || !keep(r)) return;
        const cluster = hash(i) === '' ? `row ${i}` : hash(i);
        for (const size of [r.imageSize, '*']) {
          const key = `${p.model}|${jobType(i)}|${size}`;
          const group = groups.get(key) ?? groups.set(key, new Map()).get(key)!;
          const c = group.get(cluster) ?? { n: 0, a: 0, c: ZERO };
          group.set(cluster, { n: c.n + 1, a: c.a + (accepted(i) ? 1 : 0), c: (c.c + p.cost) as Pico });
        }
      });
      return new Map([...groups].map(([key, group]) => {
        const cs = [...group.values()];
        const usd = (c: Pico) => Number(formatExact(c));
        return [key, {
          exact: [cs.length, sumOf(cs, (c) => c.n), sumOf(cs, (c) => c.a), sumOf(cs, (c) => c.n * c.n), sumOf(cs, (c) => c.a * c.a), sumOf(cs, (c) => c.n * c.a), formatExact(sumPico(cs.map((c) => c.c)))],
          c2: sumOf(cs, (c) => usd(c.c) ** 2),
          ca: sumOf(cs, (c) => usd(c.c) * c.a),
        }];
      }));
    };
    const check = async (filters: Parameters<typeof loadDecisionCells>[1], keep: (r: RandomRequest) => boolean) => {
      const cells = await loadDecisionCells(engine, filters);
      const want = expected(keep);
      expect(cells.map((c) => `${c.model}|${c.jobType}|${c.size ?? '*'}`).sort()).toEqual([...want.keys()].sort());
      for (const c of cells) {
        const e = want.get(`${c.model}|${c.jobType}|${c.size ?? '*'}`)!;
        expect([c.clusters, c.n, c.accepted, c.sumN2, c.sumA2, c.sumNA, formatExact(c.costExact)]).toEqual(e.exact);
        // The cost moments are DOUBLE (they feed a variance, never a bill).
        expect(Math.abs(c.sumC2 - e.c2)).toBeLessThanOrEqual(1e-9 * Math.max(1, e.c2));
        expect(Math.abs(c.sumCA - e.ca)).toBeLessThanOrEqual(1e-9 * Math.max(1, e.ca));
      }
      return cells;
    };
    // Every meter a bundled card prices (none prices grounding: those requests are unpriced, and left out).
    const rated = requests.filter((r, i) => accepted(i) !== null && priceRequest(r, rates).priced);
    for (const used of [(r: RandomRequest) => r.outputImageTokens !== null, (r: RandomRequest) => r.inputImages > 0, (r: RandomRequest) => r.inputTokens > 0,
      (r: RandomRequest) => (r.outputThinkingTokens ?? 0) > 0, (r: RandomRequest) => r.billedAttempts > 1, (r: RandomRequest) => r.billedAttempts === 0]) {
      expect(rated.filter(used).length, String(used)).toBeGreaterThan(5);
    }
    const all = await check({}, () => true);
    // Clusters of several requests and single requests both, or the comparison proves little.
    expect(all.some((c) => c.clusters < c.n) && all.some((c) => c.clusters > 1)).toBe(true);
    expect(all.some((c) => c.sumC2 > 0)).toBe(true);
    const day = (r: RandomRequest) => new Date(r.timestamp).toISOString().slice(0, 10);
    await check({ providers: ['laozhang', 'google'], from: '2026-04-01', to: '2026-08-31' },
      (r) => ['laozhang', 'google'].includes(r.provider) && day(r) >= '2026-04-01' && day(r) <= '2026-08-31');
  });

  it('a rate change re-prices only the keys it touched, into the tables pricing from scratch builds', async () => {
    const requests = randomRequests(31).map((r, i) => (i % 10 === 0 ? { ...r, timestamp: Date.UTC(2026, 6, 1) + (i % 24) * 3_600_000, provider: 'laozhang' } : r));
    const csv = [
      'timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,input_images,output_text_tokens,output_thinking_tokens,output_image_tokens,grounding_queries,job_type,accepted_by_user',
      ...requests.map((r, i) =>
        [new Date(r.timestamp).toISOString(), r.model.replace('<script>alert(1)</script>', 'script-model'), r.provider, r.lane, r.imageSize, r.images, r.attempts,
          r.billedAttempts, r.inputTokens, r.inputImages, r.outputTextTokens, r.outputThinkingTokens, r.outputImageTokens ?? '', r.groundingQueries,
          ['draft', 'final', 'variant'][i % 3], [null, false, true][i % 3] ?? ''].join(','),
      ),
    ].join('\n');
    await ingestFiles(engine, [{ name: 'reprice.csv', bytes: new TextEncoder().encode(csv) }], { mode: 'replace' });
    const cards = readRateCards(bundledRateCardPaths());
    const without = (name: string) => cards.filter((c) => c.name !== name);
    const laozhang = 'gemini-3-pro-image|laozhang|standard|2026-07-01';
    const override = (priceId: string, field: string, value: string) => ({ priceId, field, value });
    const july = override(laozhang, 'per_image.1K', '0.07');
    const googlePro = 'gemini-3-pro-image|google|standard|2026-02-01';
    // Each with how it is priced: every cell (`whole`), the changed keys' cells in place (`cells`), the
    // keys alone (`keys`: none priced otherwise), or nothing at all (`none`: no model the log uses is rated otherwise).
    const steps: [string, ActiveRates, 'whole' | 'cells' | 'keys' | 'none'][] = [
      ['the bundled cards', resolveRates(cards), 'whole'],
      ["laozhang's July price of a 1K image", resolveRates(cards, { overrides: [july] }), 'cells'],
      ["and a token rate of Google's Pro", resolveRates(cards, { overrides: [july, override(googlePro, 'per_million_tokens.output_image', '150')] }), 'cells'],
      ['a price for grounding where none was', resolveRates(cards, { overrides: [override(googlePro, 'per_grounding_query', '0.035')] }), 'cells'],
      ['a variant', resolveRates(cards, { variants: { 'flash-3.1-input-text-rates': 'documented' } }), 'cells'],
      ["without the gateways' card", resolveRates(without('gateways-resellers.json')), 'cells'],
      ["without the other vendors' models", resolveRates(without('other-vendors.json')), 'whole'],
      ['the bundled cards again', resolveRates(cards), 'cells'],
      ['the same cards', resolveRates(cards), 'none'],
    ];
    const tables = ['price_keys', 'priced_cube', 'priced_days', 'priced_months'];
    const pricedBy = async (rates: ActiveRates) => {
      const statements: string[] = [];
      const watched = new Proxy(engine, {
        get: (target, name) => (name === 'exec' ? (sql: string) => (statements.push(sql), target.exec(sql)) : Reflect.get(target, name)),
      });
      await applyRates(watched, rates);
      return statements.some((sql) => sql.startsWith('CREATE OR REPLACE TEMP TABLE priced_cube')) ? 'whole'
        : statements.some((sql) => sql.startsWith('DELETE FROM priced_cube')) ? 'cells'
          : statements.some((sql) => sql.startsWith('INSERT INTO price_keys')) ? 'keys' : 'none';
    };
    const fromScratch = async (step: string, rates: ActiveRates) => {
      const report = reportToJson(await buildReport(engine, { batchEligibleJobTypes: ['draft'] }));
      for (const t of tables) await engine.exec(`CREATE OR REPLACE TEMP TABLE ${t}_then AS SELECT * FROM ${t}`);
      // With no priced cube, the keys, cells and months are all priced again.
      await engine.exec('DROP TABLE priced_cube');
      await applyRates(engine, rates);
      for (const t of tables) {
        const [diff] = await engine.query<{ missing: number; extra: number; rows: number }>(`SELECT
            (SELECT count(*) FROM (SELECT * FROM ${t} EXCEPT ALL SELECT * FROM ${t}_then))::INTEGER AS missing,
            (SELECT count(*) FROM (SELECT * FROM ${t}_then EXCEPT ALL SELECT * FROM ${t}))::INTEGER AS extra,
            (SELECT count(*) FROM ${t})::INTEGER AS rows`);
        expect({ step, t, ...diff }).toEqual({ step, t, missing: 0, extra: 0, rows: diff!.rows });
        expect(diff!.rows, t).toBeGreaterThan(0);
        await engine.exec(`DROP TABLE ${t}_then`);
      }
      expect(reportToJson(await buildReport(engine, { batchEligibleJobTypes: ['draft'] })), step).toEqual(report);
      // The row-level views, made once, read the model keys each rate change makes: every request's
      // canonical model in `request_dims` is the one its price key gives it in `priced`.
      const [rows] = await engine.query<{ n: number; differ: number; keyed: number }>(`SELECT count(*)::INTEGER AS n,
          count(*) FILTER (WHERE d.model_key IS DISTINCT FROM p.model_key)::INTEGER AS differ, count(d.model_key)::INTEGER AS keyed
        FROM request_dims d JOIN priced p USING (row_id)`);
      expect({ step, ...rows }).toEqual({ step, n: requests.length, differ: 0, keyed: requests.length });
    };
    for (const [step, rates, path] of steps) {
      expect(await pricedBy(rates), step).toBe(path);
      // The total each way of pricing gives is the requests priced one by one in TypeScript.
      const total = sumPico(requests.map((r) => ({ ...r, model: r.model.replace('<script>alert(1)</script>', 'script-model') }))
        .map((r) => priceRequest(r, rates)).map((p) => (p.priced ? p.cost : ZERO)));
      expect(formatExact((await buildReport(engine, {})).totalCost), step).toBe(formatExact(total));
      await fromScratch(step, rates);
    }
    // Cells re-priced in place add up: past a quarter of the cube's, it is priced whole again.
    const paths: string[] = [];
    for (let i = 0; i < 24; i++) paths.push(await pricedBy(resolveRates(cards, { overrides: i % 2 ? [] : [july] })));
    expect(paths.filter((p) => p === 'cells').length).toBeGreaterThan(2);
    expect(paths).toContain('whole');
    await fromScratch('after two dozen changes', resolveRates(cards));
  });
});
