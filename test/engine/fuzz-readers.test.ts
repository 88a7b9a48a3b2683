import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { ingestFiles, NotALogError } from '../../src/db/ingest/ingest';
import { decodeScenario, encodeScenario, DEFAULT_SCENARIO } from '../../src/domain/scenario';
import { filtersFromSearch } from '../../src/domain/url-state';
import { testEngine } from '../support/engine';

/*
 * Seeded and bounded: the same inputs on every run (a failure prints its seed and path to
 * replay it), a fixed number of runs, and a bound on each load so a hang fails the test
 * instead of stalling CI. The whole file takes about 20 s on a shared 2-core machine.
 */
const SEED = 20261201;
/** A load that takes longer than this has hung: real loads of these few rows take 0.1 s. */
const HANG_MS = 15_000;

const CSV = [
  'request_id,timestamp,model,image_size,images,attempt_count,billed_attempts,input_tokens,accepted,job_type',
  'r1,2026-03-01T10:00:00Z,gemini-3-pro-image,1K,1,1,1,100,yes,draft',
  'r2,2026-03-02T11:30:00+02:00,gemini-3.1-flash-image,2K,2,2,1,0,no,"final, with comma"',
  'r3,1772359200,models/gemini-3-pro-image-preview,4K,1,1,1,5,,thumbnail',
].join('\n');
const NDJSON = [
  '{"request_id":"r1","timestamp":"2026-03-01T10:00:00Z","model":"gemini-3-pro-image","image_size":"1K","images":1,"input_tokens":100}',
  '{"request_id":"r2","timestamp":"2026-03-02T11:30:00Z","model":"gemini-3.1-flash-image","image_size":"2K","images":2,"meta":{"a":[1,2]}}',
  '{"request_id":"r3","timestamp":1772359200,"model":"nano-banana-pro","lane":"batch","attempt_count":3,"billed_attempts":2}',
].join('\n');

/** Characters that break readers: quotes, separators, line ends, NUL, escapes, brackets, number syntax, non-ASCII. */
const HOSTILE = ['"', ',', ';', '\t', '\n', '\r', '\0', '\\', '{', '}', '[', ']', ':', '.', 'e', '-', '+', '0', '9', 'x', '_', '\uFEFF', 'é', '\u2028', '𝟘', '='];

type Edit = { at: number; op: 'insert' | 'delete' | 'repeat'; text: string; length: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert', 'delete', 'repeat'),
  text: fc.oneof(fc.constantFrom(...HOSTILE), fc.array(fc.constantFrom(...HOSTILE), { maxLength: 6 }).map((a) => a.join('')), fc.string({ maxLength: 8 })),
  length: fc.integer({ min: 1, max: 40 }),
});

/** A valid file with a few hostile edits: close enough to a log to get past sniffing. */
function mutated(base: string): fc.Arbitrary<string> {
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = base;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      if (e.op === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
      else if (e.op === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
      else text = text.slice(0, at) + text.slice(at, at + e.length).repeat(3) + text.slice(at);
    }
    return text;
  });
}

/** Whole records of any JSON shape in the canonical columns, counts of every type. */
const record = fc.record(
  {
    timestamp: fc.oneof(fc.constant('2026-03-01T10:00:00Z'), fc.integer({ min: -1, max: 2_000_000_000_000 }), fc.string()),
    model: fc.oneof(fc.constantFrom('gemini-3-pro-image', 'google/gemini-3-pro-image-preview', '<b>x</b>/y'), fc.string()),
    images: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null)),
    input_tokens: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e20 }), fc.constant(2 ** 53 + 2)),
    attempt_count: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant('1.5')),
    meta: fc.jsonValue({ maxDepth: 4 }),
  },
  { requiredKeys: [] },
);

let engine: Engine;

async function loadsCleanly(name: string, text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const started = Date.now();
  try {
    const [d] = await ingestFiles(engine, [{ name, bytes }], { mode: 'replace', today: '2026-12-01' });
    expect(d!.rowsRead).toBe(d!.rowsAccepted + d!.rowsRejected);
    const [counts] = await engine.query<{ requests: number; rejected: number }>(
      `SELECT (SELECT count(*) FROM requests)::INTEGER AS requests, (SELECT count(DISTINCT source_row) FROM load_rejects)::INTEGER AS rejected`,
    );
    if (!d!.format.includes('rolled up')) {
      expect(counts!.requests).toBe(d!.rowsAccepted);
      expect(counts!.rejected).toBe(d!.rowsRejected);
    }
  } catch (error) {
    // Refusing the whole file is an outcome; any other error is a crash.
    if (!(error instanceof NotALogError)) throw error;
    expect(error.message.startsWith(`${name}: `)).toBe(true);
    expect(error.message).not.toMatch(/\n\s+at |raw_\d+/);
  }
  expect(Date.now() - started).toBeLessThan(HANG_MS);
}

describe('fuzz: hostile input never crashes or hangs a reader, and read = accepted + rejected', () => {
  beforeAll(async () => {
    engine = await testEngine();
  });

  it('CSV: a valid log with hostile edits', async () => {
    await fc.assert(fc.asyncProperty(mutated(CSV), (text) => loadsCleanly('fuzz.csv', text)), { seed: SEED, numRuns: 100 });
  });

  it('TSV and gzip: the same edits through the other delimited paths', async () => {
    const { gzipSync } = await import('fflate');
    await fc.assert(
      fc.asyncProperty(mutated(CSV.replaceAll(',', '\t')), fc.boolean(), (text, zip) =>
        zip ? loadsCleanly('fuzz.tsv.gz', gzipSync(new TextEncoder().encode(text), { mtime: 0 })) : loadsCleanly('fuzz.tsv', text)),
      { seed: SEED + 1, numRuns: 30 },
    );
  });

  it('NDJSON and JSON: a valid log with hostile edits', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(NDJSON), fc.boolean(), (text, asArray) =>
        loadsCleanly(asArray ? 'fuzz.json' : 'fuzz.jsonl', asArray ? `[${text.split('\n').join(',')}]` : text)),
      { seed: SEED + 2, numRuns: 80 },
    );
  });

  it('JSON: records of any shape, counts of any type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 8 }), fc.boolean(), (records, asArray) =>
        loadsCleanly(asArray ? 'fuzz.json' : 'fuzz.ndjson', asArray ? JSON.stringify(records) : records.map((r) => JSON.stringify(r)).join('\n'))),
      { seed: SEED + 3, numRuns: 40 },
    );
  });

  it('share links: a scenario token and filter query of any text decode or are refused, never throw', () => {
    const valid = encodeScenario(DEFAULT_SCENARIO);
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.base64String({ maxLength: 400 }).map((s) => s.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')),
      mutated(valid),
      fc.jsonValue({ maxDepth: 6 }).map((j) => Buffer.from(JSON.stringify(j) ?? 'null', 'utf8').toString('base64url')),
    );
    fc.assert(
      fc.property(token, (t) => {
        const link = decodeScenario(t);
        if (link.ok) expect(link.scenario.lines.length).toBeGreaterThan(0);
        else expect(link.problem).toMatch(/^the scenario in the link /);
      }),
      { seed: SEED + 4, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated('from=2026-01-01&to=2026-02-01&model=gemini-3-pro-image,nano-banana&lane=batch')), (search) => {
        const { filters, problems } = filtersFromSearch(search);
        for (const values of [filters.models, filters.providers, filters.lanes, filters.jobTypes, filters.sizes]) {
          for (const v of values ?? []) expect(v).toMatch(/^[\w.:/@+-]{1,120}$/);
        }
        expect(Array.isArray(problems)).toBe(true);
      }),
      { seed: SEED + 5, numRuns: 2000 },
    );
  });
});
