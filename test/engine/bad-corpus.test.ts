import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report';
import type { Engine } from '../../src/db/engine';
import { ingestFiles, NotALogError } from '../../src/db/ingest/ingest';
import { loadRejectedRows } from '../../src/db/load-diagnostics';
import { layerRateCards, resolveRates } from '../../src/domain/rate-card';
import type { ReportJson } from '../../src/domain/report';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';
import type { CorpusCase, RejectSpec } from '../../scripts/make-bad-corpus.mts';
import { cli as runBin } from '../support/cli';
import { testEngine } from '../support/engine';

const DIR = 'test/fixtures/bad';
const TODAY = '2026-12-01';
const { cases } = JSON.parse(readFileSync(`${DIR}/manifest.json`, 'utf8')) as { cases: CorpusCase[] };
const logs = cases.filter((c) => c.kind === 'log');
const cards = cases.filter((c) => c.kind === 'rate-card');

/** A stack frame as Node prints it: no message may carry one to the user. */
const STACK = /\n\s+at .+\(|\bat (async )?[\w.]+ \(.*:\d+:\d+\)/;

const reasonMatches = (got: string, want: string) => (want.endsWith('…') ? got.startsWith(want.slice(0, -1)) : got === want);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let engine: Engine;
// The CLI runs in-process on the shared engine; closing it is this file's business.
const shared = () => Promise.resolve({ ...engine, close: async () => {} });

async function cli(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (t) => out.push(t), (t) => err.push(t), { today: TODAY, openEngine: shared });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('bad-input corpus (test/fixtures/bad): every case has its exact outcome in the CLI and the Node engine', () => {
  beforeAll(async () => {
    engine = await testEngine();
  });

  it('holds at least 80 cases across every format and every outcome', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    const kinds = new Set(cases.map((c) => (c.kind === 'rate-card' ? 'rate-card' : c.file.replace(/^.*?\.(?=[a-z]+(\.gz)?$)/, ''))));
    for (const k of ['csv', 'tsv', 'jsonl', 'json', 'parquet', 'csv.gz', 'jsonl.gz', 'rate-card']) expect(kinds).toContain(k);
    expect(new Set(cases.map((c) => c.expect.outcome))).toEqual(new Set(['refused', 'rows rejected', 'accepted with warning', 'accepted']));
  });

  it.each(logs.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    const bytes = readFileSync(`${DIR}/${file}`);
    const e = c.expect;

    // The Node engine, directly.
    const loading = ingestFiles(engine, [{ name: file, bytes }], { mode: 'replace', today: TODAY });
    if (e.outcome === 'refused') {
      const error = await loading.then(() => null, (x: unknown) => x);
      expect(error).toBeInstanceOf(NotALogError);
      expect((error as Error).message).toContain(`${file}: `);
      expect((error as Error).message).toContain(e.message);
    } else {
      const [d] = await loading;
      expect({ read: d!.rowsRead, accepted: d!.rowsAccepted, rejected: d!.rowsRejected }).toEqual({ read: e.read, accepted: e.accepted, rejected: e.read - e.accepted });
      expect(d!.rowsRead).toBe(d!.rowsAccepted + d!.rowsRejected);
      const all = await loadRejectedRows(engine, file);
      const got = all.map((r) => ({ row: Number(r.row), column: r.column, reason: r.reason }));
      expect(got.map((r) => [r.row, r.column])).toEqual(e.rejects.map((r) => [r.row, r.column]));
      got.forEach((r, i) => expect(reasonMatches(r.reason, e.rejects[i]!.reason), `row ${r.row}: "${r.reason}" for "${e.rejects[i]!.reason}"`).toBe(true));
      // Rejected rows named by the diagnostics: every problem of each, each row once.
      const rowsNamed = new Set(d!.rejects.map((r) => r.row));
      expect(d!.rejects.length).toBe(all.filter((r) => rowsNamed.has(r.row)).length);
      expect(d!.warnings.map((w) => [w.column, Number(w.rows)])).toEqual(expect.arrayContaining(e.warnings.map((w) => [w.column, w.rows])));
      expect(d!.warnings.filter((w) => !['image_size', 'lane'].includes(w.column))).toHaveLength(e.warnings.length);
      for (const w of e.warnings) if (w.from) expect(d!.warnings.find((x) => x.column === w.column)!.from).toContain(w.from);
    }

    // The CLI, in-process, as a user runs it.
    const run = await cli('--logs', `${DIR}/${file}`);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.stderr).not.toMatch(/\braw_\d+\b|unexpected error/);
    if (e.outcome === 'refused') {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`pixelspend-report: ${file}: `);
      expect(run.stderr).toContain(e.message);
      return;
    }
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${file} (`);
    expect(run.stderr).toContain(`: ${e.read} rows read, ${e.accepted} accepted, ${e.read - e.accepted} rejected`);
    const rejectedRows = [...new Set(e.rejects.map((r) => r.row))];
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('  rejected row '));
    expect(lines.map((l) => Number(/^ {2}rejected row (\d+):/.exec(l)![1]))).toEqual(rejectedRows.slice(0, 5));
    for (const [i, row] of rejectedRows.slice(0, 5).entries()) {
      for (const r of e.rejects.filter((x: RejectSpec) => x.row === row)) expect(lines[i]).toContain(r.reason.replace(/…$/, ''));
    }
    if (e.read - e.accepted > 5) expect(run.stderr).toContain(`  … and ${e.read - e.accepted - 5} more rejected rows`);
    else expect(run.stderr).not.toContain('more rejected rows');
    for (const w of e.warnings) expect(run.stderr).toMatch(new RegExp(`warning: ${w.column} ".*" → ".*" in ${w.rows} rows`));
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.requests).toBe(e.requests ?? e.accepted);
    expect(report.rejected_rows).toBe(e.read - e.accepted);
    if (e.unpriced) {
      const unpriced = report.unpriced.map((u) => ({ model: u.model, reason: u.reason })).sort((a, b) => a.model.localeCompare(b.model));
      expect(unpriced).toEqual(e.unpriced);
    }
  });

  it('an unexpected failure is one line on stderr, no stack trace', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const failing = () => Promise.reject(new Error('engine exploded\n    at somewhere (file.js:1:1)'));
    const code = await main(['--logs', `${DIR}/good.csv`], (t) => out.push(t), (t) => err.push(t), { today: TODAY, openEngine: failing });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['pixelspend-report: unexpected error: engine exploded. Please report this with the file that caused it.']);
  });

  it('the installed command (a real process) shows no stack trace for files that used to crash it', async () => {
    for (const file of ['json-deep-array.json', 'count-images-over-int32.csv', 'parquet-int64-2p53-plus-1.parquet']) {
      const result = await runBin('--logs', `${DIR}/${file}`);
      expect(result.stderr).toContain(file);
      expect(result.stderr).not.toMatch(STACK);
      expect(result.stderr).not.toContain('unexpected error');
    }
  }, 120_000);

  it.each(cards.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    if (c.expect.outcome !== 'refused') throw new Error('rate-card cases are refusals');
    const path = `${DIR}/${file}`;
    const error = (() => {
      try {
        // As the CLI does: the card layered over the bundled ones.
        resolveRates(layerRateCards(readRateCards(bundledRateCardPaths()), readRateCards([path])));
        return null;
      } catch (x) {
        return x as Error;
      }
    })();
    expect(error?.message).toContain(`${file}: `);
    expect(error?.message).toContain(c.expect.message);
    const run = await cli('--logs', `${DIR}/good.csv`, '--rates', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`pixelspend-report: bad rate card: ${file}: `);
    expect(run.stderr).toContain(c.expect.message);
    expect(run.stderr).not.toMatch(STACK);
  });
});
