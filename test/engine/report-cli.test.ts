import { SAMPLE_PATH } from '../support/engine';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPlain, type Pico } from '../../src/domain/money';
import { priceRequest, type PricedRequest } from '../../src/domain/pricing';
import type { ReportJson } from '../../src/domain/report';
import { readSimpleCsv, sampleRowRequest } from '../support/csv';
import { cli, type CliResult } from '../support/cli';
import { bundledRates } from '../support/rates';
import { dollars, SOURCE_CASES, sum, tokens } from '../support/sources';

/** Files the CLI reads that the tests write: a folder of this file's own, removed after it. */
const scratch = mkdtempSync(join(tmpdir(), 'pixelspend-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dollarsOf = (n: number) => dollars(String(n));




/*
 * The independent computation: a plain loop over the parsed CSV rows, each priced by the
 * TypeScript engine (priceRequest), grouped and summed in picodollars here. Nothing of the
 * SQL path is used.
 */
const rates = bundledRates();
type Row = Record<string, string>;
const DEFAULT_ELIGIBLE = ['draft', 'variant', 'thumbnail'];

function price(r: Row, lane = r.lane!): PricedRequest {
  return priceRequest(
    sampleRowRequest(r, lane),
    rates,
  );
}

const usd = (p: bigint) => Number(p) / 1e12;
const Z = 1.959963984540054;

function wilson(k: number, n: number) {
  const p = k / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z / (1 + (Z * Z) / n)) * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

function expectedReport(rows: Row[], eligible: string[]) {
  const items = rows.map((row) => ({ row, priced: price(row) }));
  const ok = items.filter((i) => i.priced.priced);
  const cost = (i: (typeof items)[number]) => (i.priced.priced ? i.priced.cost : 0n);
  const sum = <T>(list: T[], f: (x: T) => bigint | number) => list.reduce<bigint>((s, x) => s + BigInt(f(x)), 0n);

  const groups = (key: (i: (typeof items)[number]) => string) => {
    const out = new Map<string, { requests: number; images: number; cost: bigint; unpriced: number }>();
    for (const i of items) {
      const k = key(i);
      const g = out.get(k) ?? { requests: 0, images: 0, cost: 0n, unpriced: 0 };
      if (i.priced.priced) {
        g.requests++;
        g.images += Number(i.row.images);
        g.cost += cost(i);
      } else g.unpriced++;
      out.set(k, g);
    }
    return out;
  };

  let batchStd = 0n;
  let realized = 0n;
  let potentialAll = 0n;
  let potentialEligible = 0n;
  for (const i of ok) {
    if (i.row.lane === 'batch') {
      const std = price(i.row, 'standard');
      if (std.priced) {
        batchStd += std.cost;
        realized += std.cost - cost(i);
      }
    } else if (i.row.lane === 'standard') {
      const batch = price(i.row, 'batch');
      if (batch.priced) {
        potentialAll += cost(i) - batch.cost;
        if (eligible.includes(i.row.job_type!.toLowerCase())) potentialEligible += cost(i) - batch.cost;
      }
    }
  }

  const retryByModel = new Map<string, { retry: bigint; retried: number; n: number }>();
  for (const i of ok) {
    if (!i.priced.priced) continue;
    const g = retryByModel.get(i.priced.model) ?? { retry: 0n, retried: 0, n: 0 };
    g.retry += i.priced.retryCost;
    g.retried += Number(i.row.attempt_count) > 1 ? 1 : 0;
    g.n++;
    retryByModel.set(i.priced.model, g);
  }

  const acceptance = new Map<string, { n: number; k: number; cost: bigint }>();
  for (const i of ok) {
    if (i.row.accepted_by_user === '') continue;
    const key = `${i.priced.model}|${i.row.job_type!.toLowerCase()}`;
    const g = acceptance.get(key) ?? { n: 0, k: 0, cost: 0n };
    g.n++;
    g.k += i.row.accepted_by_user === 'true' ? 1 : 0;
    g.cost += cost(i);
    acceptance.set(key, g);
  }

  const hashed = items
    .filter((i) => i.row.prompt_hash !== '')
    .sort((a, b) => Date.parse(a.row.timestamp!) - Date.parse(b.row.timestamp!) || (a.row.request_id! < b.row.request_id! ? -1 : a.row.request_id! > b.row.request_id! ? 1 : 0));
  const seen = new Set<string>();
  let dupRequests = 0;
  let dupCost = 0n;
  for (const i of hashed) {
    if (seen.has(i.row.prompt_hash!) && i.priced.priced) {
      dupRequests++;
      dupCost += cost(i);
    }
    seen.add(i.row.prompt_hash!);
  }

  const unpriced = new Map<string, number>();
  for (const i of items) {
    if (i.priced.priced) continue;
    const key = `${i.priced.model}|${i.row.image_size}|${i.row.lane}|${i.priced.reason}`;
    unpriced.set(key, (unpriced.get(key) ?? 0) + 1);
  }

  const total = sum(ok, cost);
  const retryTotal = sum(ok, (i) => (i.priced.priced ? i.priced.retryCost : 0n));
  return {
    requests: items.length,
    attempts: items.reduce((s, i) => s + Number(i.row.attempt_count), 0),
    billed_attempts: items.reduce((s, i) => s + Number(i.row.billed_attempts), 0),
    images: items.reduce((s, i) => s + Number(i.row.images), 0),
    priced_requests: ok.length,
    unpriced_requests: items.length - ok.length,
    unpriced,
    total,
    by_model: groups((i) => i.priced.model),
    by_resolution: groups((i) => i.row.image_size!),
    by_model_resolution: groups((i) => `${i.priced.model}|${i.row.image_size}`),
    by_provider: groups((i) => i.row.provider!.toLowerCase()),
    by_lane: groups((i) => i.row.lane!),
    by_job_type: groups((i) => i.row.job_type!.toLowerCase()),
    by_month: groups((i) => i.row.timestamp!.slice(0, 7)),
    batch: {
      batch_requests: ok.filter((i) => i.row.lane === 'batch').length,
      batch_cost: sum(ok.filter((i) => i.row.lane === 'batch'), cost),
      batch_standard_equivalent: batchStd,
      realized_savings: realized,
      potential_savings_all: potentialAll,
      potential_savings_eligible: potentialEligible,
    },
    retry: { retry_cost: retryTotal, retry_share: Number(retryTotal) / Number(total), by_model: retryByModel },
    acceptance,
    duplicates: { duplicate_requests: dupRequests, duplicate_cost: dupCost },
  };
}

/** Equal to the micro-dollar. */
function expectUsd(got: number, want: bigint, what: string) {
  expect(Math.abs(got - usd(want)), `${what}: ${got} vs ${usd(want)}`).toBeLessThan(0.5e-6);
}

type Group = { requests: number; images: number; cost: number; unpriced_requests: number };

function expectGroups(got: (Group & Record<string, unknown>)[], keys: string[], want: Map<string, { requests: number; images: number; cost: bigint; unpriced: number }>, what: string) {
  expect(got.map((g) => keys.map((k) => g[k]).join('|')).sort(), what).toEqual([...want.keys()].sort());
  for (const g of got) {
    const w = want.get(keys.map((k) => g[k]).join('|'))!;
    expect({ requests: g.requests, images: g.images, unpriced: g.unpriced_requests }, what).toEqual({ requests: w.requests, images: w.images, unpriced: w.unpriced });
    expectUsd(g.cost, w.cost, `${what} ${keys.map((k) => g[k]).join('|')}`);
  }
}

describe('report CLI on the sample log = an independent loop priced by the TS engine', () => {
  const rows = readSimpleCsv(SAMPLE_PATH);
  let json: ReportJson;
  let filtered: ReportJson;
  let result: CliResult;
  let csv: CliResult;

  beforeAll(async () => {
    [result, filtered, csv] = await Promise.all([
      cli('--logs', SAMPLE_PATH),
      cli('--logs', SAMPLE_PATH, '--from', '2026-07-01', '--to', '2026-07-31', '--batch-eligible', 'final,draft').then((r) => JSON.parse(r.stdout) as ReportJson),
      cli('--logs', SAMPLE_PATH, '--format', 'csv'),
    ]);
    json = JSON.parse(result.stdout) as ReportJson;
  }, 240_000);

  it('prints JSON alone on stdout and its messages on stderr', () => {
    expect(result.code).toBe(0);
    expect(result.stdout.trimStart()[0]).toBe('{');
    expect(result.stderr).toContain('requests.csv (csv): 50000 rows read, 50000 accepted, 0 rejected');
  });

  it('totals, unpriced groups and every by_* section', () => {
    const want = expectedReport(rows, DEFAULT_ELIGIBLE);
    expect({
      requests: json.requests, rejected_rows: json.rejected_rows, attempts: json.attempts, billed_attempts: json.billed_attempts,
      images: json.images, priced_requests: json.priced_requests, unpriced_requests: json.unpriced_requests,
    }).toEqual({
      requests: want.requests, rejected_rows: 0, attempts: want.attempts, billed_attempts: want.billed_attempts,
      images: want.images, priced_requests: want.priced_requests, unpriced_requests: want.unpriced_requests,
    });
    expect(want.unpriced_requests).toBeGreaterThan(0);
    expect(new Map(json.unpriced.map((u) => [`${u.model}|${u.image_size}|${u.lane}|${u.reason}`, u.requests]))).toEqual(want.unpriced);
    expectUsd(json.total_cost, want.total, 'total_cost');
    expectGroups(json.by_model, ['model'], want.by_model, 'by_model');
    expectGroups(json.by_resolution, ['image_size'], want.by_resolution, 'by_resolution');
    expectGroups(json.by_model_resolution, ['model', 'image_size'], want.by_model_resolution, 'by_model_resolution');
    expectGroups(json.by_provider, ['provider'], want.by_provider, 'by_provider');
    expectGroups(json.by_lane, ['lane'], want.by_lane, 'by_lane');
    expectGroups(json.by_job_type, ['job_type'], want.by_job_type, 'by_job_type');
    expectGroups(json.by_month, ['month'], want.by_month, 'by_month');
  });

  it('batch, retry, acceptance (Wilson 95%) and duplicates', () => {
    const want = expectedReport(rows, DEFAULT_ELIGIBLE);
    expect(json.batch.batch_requests).toBe(want.batch.batch_requests);
    expect(json.batch.eligible_job_types).toEqual(DEFAULT_ELIGIBLE);
    for (const key of ['batch_cost', 'batch_standard_equivalent', 'realized_savings', 'potential_savings_all', 'potential_savings_eligible'] as const) {
      expectUsd(json.batch[key], want.batch[key], `batch.${key}`);
    }
    expect(want.batch.realized_savings).toBeGreaterThan(0n);
    expectUsd(json.retry.retry_cost, want.retry.retry_cost, 'retry_cost');
    expect(json.retry.retry_share).toBeCloseTo(want.retry.retry_share, 8);
    expect(json.retry.by_model.map((r) => r.model).sort()).toEqual([...want.retry.by_model.keys()].sort());
    for (const r of json.retry.by_model) {
      const w = want.retry.by_model.get(r.model)!;
      expectUsd(r.retry_cost, w.retry, `retry ${r.model}`);
      expect(r.retry_rate).toBeCloseTo(w.retried / w.n, 12);
    }
    expect(json.acceptance.map((a) => `${a.model}|${a.job_type}`).sort()).toEqual([...want.acceptance.keys()].sort());
    for (const a of json.acceptance) {
      const w = want.acceptance.get(`${a.model}|${a.job_type}`)!;
      const ci = wilson(w.k, w.n);
      expect({ with_feedback: a.with_feedback, accepted: a.accepted }).toEqual({ with_feedback: w.n, accepted: w.k });
      expect(a.acceptance_rate).toBeCloseTo(w.k / w.n, 12);
      expect(a.ci_low).toBeCloseTo(ci.low, 12);
      expect(a.ci_high).toBeCloseTo(ci.high, 12);
      expectUsd(a.cost, w.cost, `acceptance cost ${a.model}|${a.job_type}`);
      if (w.k === 0) expect(a.cost_per_accepted).toBeNull();
      else expect(Math.abs(a.cost_per_accepted! - usd(w.cost) / w.k)).toBeLessThan(0.5e-6);
    }
    expect(json.duplicates.duplicate_requests).toBe(want.duplicates.duplicate_requests);
    expect(want.duplicates.duplicate_requests).toBeGreaterThan(0);
    expectUsd(json.duplicates.duplicate_cost, want.duplicates.duplicate_cost, 'duplicate_cost');
  });

  it('--from/--to keep whole UTC days; --batch-eligible changes the eligible savings', () => {
    const july = rows.filter((r) => r.timestamp! >= '2026-07-01' && r.timestamp! < '2026-08-01');
    const want = expectedReport(july, ['final', 'draft']);
    expect(filtered.requests).toBe(july.length);
    expectUsd(filtered.total_cost, want.total, 'July total');
    expect(filtered.batch.eligible_job_types).toEqual(['final', 'draft']);
    expectUsd(filtered.batch.potential_savings_eligible, want.batch.potential_savings_eligible, 'July eligible savings');
  });

  it('CSV format: one long table with exact decimal money', () => {
    expect(csv.code).toBe(0);
    // The one CSV writer of the app: RFC 4180 line ends.
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('section,key,metric,value');
    const want = expectedReport(rows, DEFAULT_ELIGIBLE);
    expect(lines).toContain(`totals,,total_cost_usd,${formatPlain(want.total as Pico)}`);
  });
});

describe('report CLI table format', () => {
  it('prints aligned sections for people', async () => {
    const r = await cli('--logs', 'test/fixtures/logs/tabs.tsv', '--format', 'table');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('total cost'))).toMatch(/^total cost\s+\$0\.19$/);
    expect(lines).toContain('By lane');
    expect(lines.find((l) => l.startsWith('batch '))).toMatch(/^batch\s+1\s+1\s+\$0\.12\s+0$/);
  });
});

describe('report CLI --memory-limit', () => {
  it('a limit native DuckDB can work in gives the same report as none', async () => {
    const [limited, free] = await Promise.all([cli('--logs', SAMPLE_PATH, '--memory-limit', '1GB'), cli('--logs', SAMPLE_PATH)]);
    expect(limited.code).toBe(0);
    expect(JSON.parse(limited.stdout)).toEqual(JSON.parse(free.stdout));
  });
});

describe('report CLI refuses bad input with a clear message and a non-zero exit', () => {
  it.each([
    [['--logs', 'no/such/file.csv'], 1, /log no\/such\/file\.csv: no such file/],
    [['--logs', SAMPLE_PATH, '--from', '2026-02-30'], 2, /--from "2026-02-30" is not a date/],
    [['--logs', SAMPLE_PATH, '--from', '2026-08-01', '--to', '2026-07-01'], 2, /--from 2026-08-01 is after --to 2026-07-01/],
    [['--logs', SAMPLE_PATH, '--format', 'xml'], 2, /--format "xml": use json, table, csv or focus/],
    [[], 2, /--logs is required/],
    [['--logs', 'test/fixtures/logs/not-a-log.json'], 1, /not-a-log\.json: a JSON object, not a request log/],
    [['--logs', 'test/fixtures/logs/tabs.tsv', '--rates', 'test/fixtures/logs/not-a-log.json'], 1, /bad rate card: not-a-log\.json/],
    [['--logs', 'test/fixtures/logs/tabs.tsv', '--memory-limit', 'lots'], 2, /--memory-limit "lots": give a size such as 512MB or 4GB/],
    [['--logs', 'test/fixtures/logs/tabs.tsv', '--engine', 'wasm', '--memory-limit', '1GB'], 2, /--memory-limit sets native DuckDB's memory: drop --engine wasm/],
    // Native DuckDB is held to the limit: 1 MB cannot hold the CSV reader's first buffer.
    [['--logs', 'test/fixtures/logs/tabs.tsv', '--memory-limit', '1MB'], 1, /could not allocate block/],
  ])('%j → exit %i', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('--rates-only prices with the given cards alone', async () => {
    const card = join(scratch, 'one-price.json');
    writeFileSync(card, JSON.stringify({
      format: 'pixelspend-rate-card', version: 1, name: 'one price',
      models: [{ id: 'gemini-3-pro-image', label: 'Pro', family: 'pro', vendor: 'google', image_tokens: { '1K': 1120, '2K': 1120, '4K': 2000 } }],
      prices: [{ model: 'gemini-3-pro-image', provider: 'google', lane: 'batch', from: '2026-01-01', to: null, per_image: { '4K': '1.00' }, source: 'test', checked: '2026-01-01' }],
    }));
    const r = await cli('--logs', 'test/fixtures/logs/tabs.tsv', '--rates-only', '--rates', card);
    expect(r.stderr).not.toMatch(/bad rate card/);
    const json = JSON.parse(r.stdout) as ReportJson;
    // t1 is batch 4K ($1.00 flat); t2 is flex, which this card does not offer.
    expect(json.total_cost).toBe(1);
    expect(json.unpriced).toEqual([{ model: 'gemini-3-pro-image', image_size: '1K', lane: 'flex', reason: 'lane_not_offered', requests: 1 }]);
  });
});

describe('report CLI on the real-source fixtures: the same totals as the engine, worked out by hand', () => {
  const totalOf = (csv: string) => csv.split(/\r?\n/).find((l) => l.startsWith('totals,,total_cost_usd,'))!.split(',')[3];
  const SLOW = 300_000;

  it('every fixture in one run: each file read = accepted + rejected, the total their hand-worked sum', async () => {
    // One date for every file without timestamps: no price changes between 2026-03-05 and 2026-03-10.
    const r = await cli('--logs', ...SOURCE_CASES.map((c) => `test/fixtures/sources/${c.file}`), '--default-time', '2026-03-10', '--format', 'csv');
    expect(r.code).toBe(0);
    for (const c of SOURCE_CASES) expect(r.stderr).toContain(`${c.file} (${c.format}): ${c.read} rows read, ${c.accepted} accepted, ${c.read - c.accepted} rejected`);
    expect(totalOf(r.stdout)).toBe(formatPlain(sum(...SOURCE_CASES.map((c) => c.total))));
  }, SLOW);

  it('a log without timestamps fails naming --default-time; every row rejected never exits 0', async () => {
    const r = await cli('--logs', 'test/fixtures/sources/gemini-batch-output.jsonl');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/gemini-batch-output\.jsonl: no timestamps .*--default-time YYYY-MM-DD/);
    const allBad = join(scratch, 'all-bad.csv');
    writeFileSync(allBad, 'timestamp,model\nyesterday,gemini-3-pro-image\nlast week,gemini-3-pro-image\n');
    const bad = await cli('--logs', allBad);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/every row was rejected \(2 rows read, 0 accepted\)/);
  }, SLOW);

  it('--mapping maps an unknown shape; --group-by/--where-attribute report spend per attribute value', async () => {
    const mapping = join(scratch, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ columns: { timestamp: 'when', model: 'engine', image_size: 'px' }, defaults: { lane: 'batch' } }));
    const r = await cli('--logs', 'test/fixtures/sources/unknown-shape.csv', '--mapping', mapping, '--group-by', 'squad');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as ReportJson & { group_by: { attribute: string; groups: { value: string; cost: number }[] } };
    // batch Pro 4K (2000 × $60/M) and 2K (1120 × $60/M)
    expect(formatPlain(dollarsOf(json.total_cost))).toBe(formatPlain(sum(tokens(2000, 60), tokens(1120, 60))));
    expect(json.group_by.groups.map((g) => [g.value, g.cost])).toEqual([['brand', 0.12], ['growth', 0.0672]]);
    const only = await cli('--logs', 'test/fixtures/sources/litellm-spendlogs.json', '--group-by', 'tag.feature', '--where-attribute', 'team_alias=growth', '--format', 'table');
    expect(only.stdout).toMatch(/By tag\.feature\ntag\.feature\s+requests\s+images\s+cost\s+unpriced\nads\s+1\s+1\s+\$0\.100875\s+0/);
  }, SLOW);

  it('--rates takes LiteLLM and OpenRouter price lists (with the required --rates-from) and --variant picks a rate-card variant', async () => {
    const missing = await cli('--logs', 'test/fixtures/logs/tabs.tsv', '--rates', 'test/fixtures/importers/litellm-prices.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/litellm-prices\.json is a LiteLLM price list: say from when its prices apply with --rates-from/);
    const both = await cli('--logs', 'test/fixtures/logs/tabs.tsv', '--rates', 'test/fixtures/importers/litellm-prices.json', 'test/fixtures/importers/openrouter-models.json', '--rates-from', '2026-01-01');
    expect(both.code).toBe(0);
    expect(both.stderr).toMatch(/litellm-prices\.json \(litellm\): \d+ prices imported, applying from 2026-01-01/);
    expect(both.stderr).toMatch(/openrouter-models\.json \(openrouter\): \d+ prices imported, applying from 2026-01-01/);
    const documented = await cli('--logs', 'test/fixtures/sources/gemini-api.jsonl', '--default-time', '2026-03-10', '--variant', 'flash-3.1=documented', '--format', 'csv');
    expect(documented.code).toBe(0);
    // As the engine case, but Flash standard at the documented input $0.25 / text $1.50.
    const expected = sum(tokens(1680, 60), tokens(20, 0.25), tokens(150, 1.5), tokens(12, 2), tokens(80, 12), tokens(1120, 30), tokens(30, 0.25), tokens(10, 1.5));
    expect(totalOf(documented.stdout)).toBe(formatPlain(expected));
    const wrong = await cli('--logs', 'test/fixtures/logs/tabs.tsv', '--variant', 'flash-3.1=cheapest');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--variant flash-3\.1=cheapest: options are ai-studio, documented/);
  }, SLOW);
});
