import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles, NeedsMappingError, NeedsTimeError, type IngestOptions, type LogFile } from '../../src/db/ingest/ingest';
import { loadAttributeNames, loadSpendByAttribute } from '../../src/db/attributes';
import { buildReport } from '../../src/db/report';
import { applyRates, reprice } from '../../src/db/workspace';
import { formatExact } from '../../src/domain/money';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { dollars, SOURCE_CASES, sum, tokens } from '../support/sources';

const fixture = (name: string): LogFile => ({ name, bytes: readFileSync(`test/fixtures/sources/${name}`) });
const text = (name: string, content: string): LogFile => ({ name, bytes: new TextEncoder().encode(content) });

describe('real sources: each fixture written from its public schema prices to the total worked out by hand', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await testEngine();
    await applyRates(engine, bundledRates());
  });

  async function load(files: LogFile[], options: IngestOptions = {}) {
    const diagnostics = await ingestFiles(engine, files, { mode: 'replace', ...options });
    await reprice(engine);
    return { diagnostics, report: await buildReport(engine) };
  }

  async function rows(sql: string) {
    return engine.query(sql);
  }

  it.each(SOURCE_CASES.map((c) => [c.file, c] as const))('%s', async (_, c) => {
    const { diagnostics, report } = await load([fixture(c.file)], { defaultTime: c.defaultTime });
    const d = diagnostics[0]!;
    expect(d).toMatchObject({ format: c.format, rowsRead: c.read, rowsAccepted: c.accepted, rowsRejected: c.read - c.accepted });
    expect(d.rowsRead).toBe(d.rowsAccepted + d.rowsRejected);
    expect(report.requests).toBe(c.accepted);
    expect(report.unpricedRequests).toBe(c.unpriced);
    expect(formatExact(report.totalCost)).toBe(formatExact(c.total));
  });

  it('Gemini API responses: no timestamps → asks for a time; with one, thinking, blocked and flex are billed as Google bills them', async () => {
    await expect(load([fixture('gemini-api.jsonl')])).rejects.toBeInstanceOf(NeedsTimeError);
    await expect(load([fixture('gemini-api.jsonl')])).rejects.toThrow(/gemini-api\.jsonl: no timestamps .*--default-time/);
    const { diagnostics } = await load([fixture('gemini-api.jsonl')], { defaultTime: '2026-03-10' });
    expect(await rows(`SELECT request_id, ts::VARCHAR AS ts, provider, lane, image_size, images, output_image_tokens, output_thinking_tokens, status FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'ai-1', ts: '2026-03-10 00:00:00', provider: 'google', lane: 'standard', image_size: '2K', images: 1, output_image_tokens: 1680, output_thinking_tokens: 150, status: 'STOP' },
      { request_id: 'ai-2', ts: '2026-03-10 00:00:00', provider: 'google', lane: 'standard', image_size: '1K', images: 0, output_image_tokens: 0, output_thinking_tokens: 80, status: 'IMAGE_SAFETY' },
      { request_id: 'ai-3', ts: '2026-03-10 00:00:00', provider: 'google', lane: 'flex', image_size: '1K', images: 1, output_image_tokens: 1120, output_thinking_tokens: 0, status: 'STOP' },
    ]);
    expect(diagnostics[0]!.warnings).toEqual(expect.arrayContaining([
      { column: 'timestamp', from: '(not in the log)', to: '2026-03-10 UTC (your choice)', rows: 3 },
      { column: 'provider', from: '(not in the log)', to: 'google (a Gemini API response)', rows: 3 },
      { column: 'image_size', from: '(from 1680 image tokens)', to: '2K', rows: 1 },
      { column: 'images', from: 'IMAGE_SAFETY (no image part)', to: '0: no image billed', rows: 1 },
      { column: 'lane', from: 'serviceTier flex', to: 'flex', rows: 1 },
    ]));
  });

  it('Vertex responses: provider vertex, lane from trafficType (provisioned is unpriced, not guessed), labels kept as attributes', async () => {
    const { diagnostics, report } = await load([fixture('vertex-responses.jsonl')]);
    expect(await rows(`SELECT request_id, provider, lane, attributes['label.team'] AS team FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'vx-1', provider: 'vertex', lane: 'standard', team: 'brand' },
      { request_id: 'vx-2', provider: 'vertex', lane: 'provisioned', team: null },
      { request_id: 'vx-3', provider: 'vertex', lane: 'standard', team: null },
    ]);
    expect(report.unpriced).toEqual([expect.objectContaining({ lane: 'provisioned', reason: 'lane_not_offered', requests: 1 })]);
    expect(diagnostics[0]!.warnings).toEqual(expect.arrayContaining([
      { column: 'image_size', from: '(1120 image tokens: 1K or 2K)', to: '1K', rows: 1 },
      { column: 'lane', from: 'trafficType PROVISIONED_THROUGHPUT', to: 'provisioned', rows: 1 },
    ]));
  });

  it('batch output: failed lines are rejected as failed, not billed, and listed with their message', async () => {
    const vertex = await load([fixture('vertex-batch-predictions.jsonl')]);
    expect(vertex.diagnostics[0]!.rejects).toEqual([
      expect.objectContaining({ row: 2, column: 'error', reason: expect.stringMatching(/^batch request failed, not billed: Bad Request: .*empty text parameter/) }),
    ]);
    expect(await rows(`SELECT request_id, provider, lane, image_size, ts::VARCHAR AS ts FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'vb-1', provider: 'vertex', lane: 'batch', image_size: '2K', ts: '2026-03-07 01:00:00' },
      { request_id: 'vb-3', provider: 'vertex', lane: 'batch', image_size: '4K', ts: '2026-03-07 01:00:02' },
    ]);
    const inline = await load([fixture('gemini-batch-inline.json')]);
    expect(inline.diagnostics[0]!.rejects.map((r) => [r.row, r.reason])).toEqual([[2, 'batch request failed, not billed: Internal error encountered.']]);
    expect(inline.diagnostics[0]!.warnings).toEqual(expect.arrayContaining([{ column: 'timestamp', from: '(not in the line)', to: "the batch's endTime", rows: 2 }]));
    expect(await rows(`SELECT request_id, provider, lane, ts::VARCHAR AS ts FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'inline-1', provider: 'google', lane: 'batch', ts: '2026-03-06 09:30:00' },
      { request_id: 'inline-3', provider: 'google', lane: 'batch', ts: '2026-03-06 09:30:00' },
    ]);
    await expect(load([fixture('gemini-batch-output.jsonl')])).rejects.toBeInstanceOf(NeedsTimeError);
  });

  it('LiteLLM: biller from custom_llm_provider, failures unbilled, key alias, team and tags as attributes', async () => {
    const { diagnostics } = await load([fixture('litellm-spendlogs.json')]);
    expect(await rows(`SELECT request_id, provider, billed_attempts, images, cost_usd::VARCHAR AS billed, attributes['api_key_alias'] AS key, attributes['team_alias'] AS team,
        attributes['tag.feature'] AS feature, attributes['tags'] AS tags, attributes['metadata.environment'] AS env FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'll-1', provider: 'google', billed_attempts: 1, images: 1, billed: '0.134420000000', key: 'design-team-key', team: 'design', feature: 'thumbnails', tags: 'feature:thumbnails,prod', env: 'prod' },
      { request_id: 'll-2', provider: 'vertex', billed_attempts: 0, images: 0, billed: '0.000000000000', key: 'design-team-key', team: 'design', feature: 'thumbnails', tags: 'feature:thumbnails', env: null },
      { request_id: 'll-3', provider: 'google', billed_attempts: 1, images: 1, billed: '0.100875000000', key: 'growth-key', team: 'growth', feature: 'ads', tags: 'feature:ads', env: null },
    ]);
    expect(diagnostics[0]!.warnings).toEqual(expect.arrayContaining([
      { column: 'provider', from: 'vertex_ai-language-models', to: 'vertex', rows: 1 },
      { column: 'provider', from: 'gemini', to: 'google', rows: 2 },
      { column: 'status', from: 'status failure', to: 'not billed', rows: 1 },
    ]));
    await load([fixture('litellm-payload.ndjson')]);
    expect(await rows(`SELECT request_id, billed_attempts, images, status, attributes['api_key_alias'] AS key, attributes['tag.team'] AS team, attributes['spend_logs_metadata.campaign'] AS campaign FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'chatcmpl-p1', billed_attempts: 1, images: 1, status: 'success', key: 'web-app', team: 'web', campaign: 'launch' },
      { request_id: 'chatcmpl-p2', billed_attempts: 1, images: 0, status: 'failure', key: 'web-app', team: 'web', campaign: null },
    ]);
  });

  it('OpenRouter: billed by openrouter, upstream kept as an attribute, dated slug undated, cancelled unbilled', async () => {
    const { diagnostics } = await load([fixture('openrouter-generations.ndjson')]);
    expect(await rows(`SELECT request_id, provider, model_raw, billed_attempts, attributes['upstream_provider'] AS upstream FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'gen-1', provider: 'openrouter', model_raw: 'google/gemini-3-pro-image-preview', billed_attempts: 1, upstream: 'Google AI Studio' },
      { request_id: 'gen-2', provider: 'openrouter', model_raw: 'google/gemini-3-pro-image-preview', billed_attempts: 0, upstream: 'Google Vertex' },
    ]);
    expect(diagnostics[0]!.warnings).toEqual(expect.arrayContaining([
      { column: 'model', from: 'google/gemini-3-pro-image-preview-20251120', to: 'google/gemini-3-pro-image-preview', rows: 2 },
      { column: 'status', from: 'cancelled', to: 'not billed', rows: 1 },
    ]));
  });

  it('Langfuse and Helicone: latency in seconds → ms, properties and tags as attributes, a property named job_type fills job_type', async () => {
    await load([fixture('langfuse-observations.json')]);
    expect(await rows(`SELECT request_id, provider, latency_ms, billed_attempts, attributes['tag.feature'] AS feature FROM requests ORDER BY request_id`)).toEqual([
      { request_id: 'obs-1', provider: 'google', latency_ms: 8200, billed_attempts: 1, feature: 'hero' },
      { request_id: 'obs-2', provider: 'google', latency_ms: 400, billed_attempts: 0, feature: 'hero' },
      { request_id: 'obs-4', provider: 'vertex', latency_ms: 7000, billed_attempts: 1, feature: 'catalog' },
    ]);
    for (const file of ['helicone-export.jsonl', 'helicone-export.csv']) {
      await load([fixture(file)]);
      expect(await rows(`SELECT request_id, job_type, billed_attempts, attributes['feature'] AS feature, attributes['user'] AS user FROM requests ORDER BY request_id`)).toEqual([
        { request_id: 'hc-1', job_type: 'final', billed_attempts: 1, feature: 'avatars', user: 'ivan' },
        { request_id: 'hc-2', job_type: 'final', billed_attempts: 0, feature: 'avatars', user: 'ivan' },
        { request_id: 'hc-3', job_type: 'unknown', billed_attempts: 1, feature: 'banners', user: 'judy' },
      ]);
    }
  });

  it('CSV: BigQuery UTC timestamps, provider spellings normalised, every other column kept as an attribute', async () => {
    const { diagnostics } = await load([fixture('bigquery-export.csv')]);
    expect(await rows(`SELECT ts::VARCHAR AS ts, provider, map_keys(attributes) AS k, map_values(attributes) AS v FROM requests ORDER BY ts`)).toEqual([
      { ts: '2026-03-02 09:00:00', provider: 'vertex', k: ['team', 'project'], v: ['brand', 'spring-launch'] },
      { ts: '2026-03-02 09:30:00.25', provider: 'google', k: ['team'], v: ['growth'] },
      { ts: '2026-03-02 10:00:00', provider: 'laozhang', k: ['team', 'project'], v: ['growth', 'ads'] },
    ]);
    expect(diagnostics[0]!.warnings).toEqual(expect.arrayContaining([
      { column: 'provider', from: 'Google Vertex', to: 'vertex', rows: 1 },
      { column: 'provider', from: 'Google AI Studio', to: 'google', rows: 1 },
    ]));
  });

  it('a CSV whose header ends in LF and rows in CRLF loads; DuckDB errors name the file, not its buffer', async () => {
    const { diagnostics, report } = await load([text('mixed-ends.csv', 'timestamp,model,image_size\n2026-03-01T00:00:00Z,gemini-3-pro-image,4K\r\n2026-03-01T01:00:00Z,gemini-3-pro-image,1K\r\n')]);
    expect(diagnostics[0]).toMatchObject({ rowsRead: 2, rowsAccepted: 2 });
    expect(formatExact(report.totalCost)).toBe(formatExact(sum(tokens(2000, 120), tokens(1120, 120))));
  });

  it('unknown shape: refused with its header for the mapping step; with a mapping (and defaults) it prices', async () => {
    const error = (await load([fixture('unknown-shape.csv')]).catch((e: unknown) => e)) as NeedsMappingError;
    expect(error).toBeInstanceOf(NeedsMappingError);
    expect(error.header).toEqual(['when', 'engine', 'px', 'usd', 'squad']);
    expect(error.sample[0]).toEqual(['2026-03-03T08:00:00Z', 'gemini-3-pro-image', '4K', '0.24', 'brand']);
    const mapping = { columns: { timestamp: 'when', model: 'engine', image_size: 'px', cost_usd: 'usd' }, defaults: { lane: 'batch' }, header: error.header };
    const { diagnostics, report } = await load([fixture('unknown-shape.csv')], { mappings: [mapping] });
    expect(diagnostics[0]).toMatchObject({ rowsRead: 2, rowsAccepted: 2, ignoredColumns: ['squad'] });
    expect(diagnostics[0]!.warnings).toEqual([{ column: 'lane', from: '(not in the log)', to: 'batch (your choice)', rows: 2 }]);
    // batch Pro: 4K and 2K.
    expect(formatExact(report.totalCost)).toBe(formatExact(sum(tokens(2000, 60), tokens(1120, 60))));
    expect(await rows(`SELECT attributes['squad'] AS squad FROM requests ORDER BY ts`)).toEqual([{ squad: 'brand' }, { squad: 'growth' }]);
    // A timestamp column that is empty everywhere asks for a time too.
    await expect(load([text('no-times.csv', 'timestamp,model\n,gemini-3-pro-image\n')])).rejects.toBeInstanceOf(NeedsTimeError);
    // One dated row after thousands without a time is enough: the rest are rejected, each for its missing timestamp.
    const late = await load([text('late.csv', `timestamp,model\n${',gemini-3-pro-image\n'.repeat(5000)}2026-03-20T00:00:00Z,gemini-3-pro-image\n`)]);
    expect(late.diagnostics[0]).toMatchObject({ rowsRead: 5001, rowsAccepted: 1, rowsRejected: 5000 });
    expect(formatExact(late.report.totalCost)).toBe(formatExact(tokens(1120, 120)));
    await expect(load([text('late.csv', `timestamp,model\n${',gemini-3-pro-image\n'.repeat(5000)}`)])).rejects.toThrow(/late\.csv: no timestamps \(every timestamp is empty\)/);
    const dated = await load([text('no-times.csv', 'timestamp,model\n,gemini-3-pro-image\n')], { defaultTime: '2026-03-20 12:00:00' });
    expect(formatExact(dated.report.totalCost)).toBe(formatExact(tokens(1120, 120)));
    expect(formatExact(dollars('0.1344'))).toBe(formatExact(tokens(1120, 120)));
  });

  it('spend grouped by an attribute (and filtered by another), requests without it in their own group', async () => {
    await load([fixture('litellm-spendlogs.json'), fixture('bigquery-export.csv')]);
    const names = await loadAttributeNames(engine);
    expect(names).toEqual(expect.arrayContaining([{ name: 'team', requests: 3 }, { name: 'api_key_alias', requests: 3 }, { name: 'project', requests: 2 }]));
    const byTeam = await loadSpendByAttribute(engine, 'team_alias');
    expect(byTeam.map((g) => [g.value, g.requests, g.images, formatExact(g.cost), formatExact(g.billed)])).toEqual([
      // bigquery rows: vertex Pro 4K + google Pro 1K + laozhang $0.05, no team_alias
      [null, 3, 3, formatExact(sum(tokens(2000, 120), tokens(1120, 120), dollars('0.05'))), formatExact(dollars('0'))],
      ['design', 2, 1, formatExact(sum(tokens(1120, 120), tokens(10, 2))), '0.134420000000'],
      ['growth', 1, 1, formatExact(sum(tokens(1680, 60), tokens(30, 0.5), tokens(20, 3))), '0.100875000000'],
    ]);
    const adsOnly = await loadSpendByAttribute(engine, 'team', {}, { name: 'project', value: 'ads' });
    expect(adsOnly.map((g) => [g.value, g.requests, formatExact(g.cost)])).toEqual([['growth', 1, formatExact(dollars('0.05'))]]);
    const inMarch8 = await loadSpendByAttribute(engine, 'tag.feature', { from: '2026-03-08', to: '2026-03-08' });
    expect(inMarch8.map((g) => g.value)).toEqual(['thumbnails', 'ads']);
  });
});
