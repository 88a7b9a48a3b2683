import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { normalizeModelId } from '../../src/domain/rate-card';
import type { GroupFigures, Report } from '../../src/domain/report';
import { arqueroBaseline, missingColumns, type Baseline } from '../../scripts/lib/arquero-baseline';
import { readSimpleCsv } from '../support/csv';
import { loadSampleLog, SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

/**
 * `bench:compare --arquero` times a plain-JavaScript baseline against the engines: it must sum the
 * same requests the engine's report does, or the comparison would time different work.
 */
describe('the Arquero baseline sums what the report sums', () => {
  const rates = bundledRates();
  let report: Report;
  let baseline: Baseline;

  beforeAll(async () => {
    const engine = await testEngine();
    await loadSampleLog(engine);
    await applyRates(engine, rates);
    report = await buildReport(engine);
    baseline = arqueroBaseline(readFileSync(SAMPLE_PATH, 'utf8'));
  });

  const requests = <K extends string>(groups: (GroupFigures & Record<K, string>)[], key: K) =>
    new Map(groups.map((g) => [g[key], g.requests + g.unpricedRequests]));

  it('totals', () => {
    expect(baseline.rows).toBe(50_000);
    expect(baseline.totals).toMatchObject({
      requests: report.requests,
      images: report.images,
      attempts: report.attempts,
      billedAttempts: report.billedAttempts,
    });
  });

  it('feedback, counted against a plain loop over the sample (the report counts it for priced requests only)', () => {
    const rows = readSimpleCsv(SAMPLE_PATH);
    expect(baseline.totals.withFeedback).toBe(rows.filter((r) => r.accepted_by_user !== '').length);
    expect(baseline.totals.accepted).toBe(rows.filter((r) => r.accepted_by_user === 'true').length);
    expect(baseline.totals.accepted).toBeGreaterThan(0);
  });

  it('requests per provider, lane, size, job type and month', () => {
    expect(baseline.requestsBy.provider).toEqual(requests(report.byProvider, 'provider'));
    expect(baseline.requestsBy.lane).toEqual(requests(report.byLane, 'lane'));
    expect(baseline.requestsBy.image_size).toEqual(requests(report.byResolution, 'imageSize'));
    expect(baseline.requestsBy.job_type).toEqual(requests(report.byJobType, 'jobType'));
    expect(baseline.requestsBy.month).toEqual(requests(report.byMonth, 'month'));
    expect(baseline.requestsBy.month.size).toBe(3);
  });

  it('requests per model, once the logged ids are resolved as pricing resolves them', () => {
    const resolved = new Map<string, number>();
    for (const [logged, n] of baseline.requestsBy.model) {
      const id = normalizeModelId(logged);
      const model = rates.aliases.get(id) ?? id;
      resolved.set(model, (resolved.get(model) ?? 0) + n);
    }
    expect(resolved).toEqual(requests(report.byModel, 'model'));
    expect(baseline.requestsBy.model.size).toBeGreaterThan(resolved.size);
  });

  it('refuses a file without the canonical columns it sums, naming them, rather than summing nothing', () => {
    expect(() => arqueroBaseline('timestamp,model,images\n2026-03-01T00:00:00Z,gemini-3-pro-image,1\n')).toThrow(
      "this file has no provider, lane, image_size, job_type, attempt_count, billed_attempts, accepted_by_user",
    );
    expect(missingColumns(readFileSync(SAMPLE_PATH, 'utf8').slice(0, 4096))).toEqual([]);
  });
});
