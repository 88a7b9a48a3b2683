import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report';
import { loadExplorerExport } from '../../src/db/dashboard';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { loadRejectedRows } from '../../src/db/load-diagnostics';
import { EXPLORER_COLUMNS } from '../../src/db/sql/explorer';
import { applyRates } from '../../src/db/workspace';
import { toCsv } from '../../src/domain/csv';
import { computeScenario, DEFAULT_SCENARIO, type Scenario } from '../../src/domain/scenario';
import { comparisonCsvTable } from '../../src/features/plan/plan-export';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

/** OWASP's CSV-injection starts, and some that spreadsheets also trim or fold to them. */
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=1+1', '-cmd|calc', '@a'];

/** A cell a spreadsheet would run: starts with = + - @ TAB or CR and is not a plain number. */
const isFormula = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

/** RFC 4180, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function unescaped(csv: string): string[] {
  return parseCsv(csv).flat().filter(isFormula);
}

/** The hostile strings must reach each export, or finding no formula proves nothing. */
function expectHostileEscaped(csv: string) {
  const cells = parseCsv(csv).flat();
  const reached = HOSTILE.filter((h) => cells.some((c) => c === `'${h}` || c === `'${h.toLowerCase()}` || c.includes(h.slice(1))));
  expect(reached.length).toBeGreaterThanOrEqual(4);
  expect(unescaped(csv)).toEqual([]);
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

let engine: Engine;
let dir: string;
let logPath: string;

describe('every CSV export escapes spreadsheet formulas (OWASP CSV injection)', () => {
  beforeAll(async () => {
    engine = await testEngine();
    dir = mkdtempSync(join(tmpdir(), 'pixelspend-exports-'));
    logPath = join(dir, 'hostile.csv');
    const lines = ['request_id,timestamp,model,provider,job_type,prompt_hash,status,images'];
    HOSTILE.forEach((h, i) => {
      lines.push([quote(h), `2026-03-0${1 + (i % 9)}T10:00:00Z`, i % 2 ? quote(h) : 'gemini-3-pro-image', 'google', quote(h), quote(h), quote(h), '1'].join(','));
      lines.push([`bad${i}`, '2026-03-01T10:00:00Z', 'gemini-3-pro-image', 'google', 'draft', '', '', quote(h)].join(','));
    });
    writeFileSync(logPath, `${lines.join('\n')}\n`);
    await ingestFiles(engine, [{ name: 'hostile.csv', bytes: readFileSync(logPath) }], { mode: 'replace', today: '2026-12-01' });
    await applyRates(engine, bundledRates());
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the test itself finds an unescaped cell when there is one', () => {
    expect(unescaped('a,b\r\n=1+1,"-2+3"\r\n-12.5,ok\r\n')).toEqual(['=1+1', '-2+3']);
  });

  it('explorer export (all matching rows)', async () => {
    const rows = await loadExplorerExport(engine, {}, { sort: [], columnFilters: [], search: '', pageIndex: 0, pageSize: 1000 });
    expect(rows.length).toBe(HOSTILE.length);
    expectHostileEscaped(toCsv(EXPLORER_COLUMNS.map((c) => c.id), rows));
  });

  it('rejected rows download (Data view)', async () => {
    const rows = await loadRejectedRows(engine);
    expect(rows.length).toBe(HOSTILE.length);
    expectHostileEscaped(toCsv(['file', 'row', 'column', 'value', 'reason'], rows.map((r) => [r.file, r.row, r.column, r.value, r.reason])));
  });

  it('plan comparison export', () => {
    const rates = bundledRates();
    const scenarios: Scenario[] = HOSTILE.slice(0, 4).map((h) => ({ ...DEFAULT_SCENARIO, name: h, lines: DEFAULT_SCENARIO.lines.map((l) => ({ ...l })) }));
    const results = scenarios.map((s) => computeScenario(s, rates, Date.UTC(2026, 5, 1)));
    const table = comparisonCsvTable(scenarios, results);
    expectHostileEscaped(toCsv(table.header, table.rows));
  });

  it('CLI --format csv', async () => {
    const out: string[] = [];
    const code = await main(['--logs', logPath, '--format', 'csv'], (t) => out.push(t), () => {}, {
      today: '2026-12-01',
      openEngine: () => Promise.resolve({ ...engine, close: async () => {} }),
    });
    expect(code).toBe(0);
    expectHostileEscaped(out.join('\n'));
  });

  it('CLI --format table shows control characters in logged text as escapes', async () => {
    const out: string[] = [];
    const code = await main(['--logs', logPath, '--format', 'table'], (t) => out.push(t), () => {}, {
      today: '2026-12-01',
      openEngine: () => Promise.resolve({ ...engine, close: async () => {} }),
    });
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).not.toMatch(/[\r\t]/);
    expect(text).toContain('\\u000dcmd');
    expect(text).toContain('\\u0009cmd');
  });

  it('there is one CSV writer: every file that builds CSV imports it, none quotes CSV itself', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(p);
      }
    };
    walk('src');
    // A file that writes CSV makes a text/csv Blob or a …ToCsv function; `accept="…text/csv"` on a file input reads it.
    const builders = files.filter((f) => /type: 'text\/csv|ToCsv\(|\.csv`/.test(readFileSync(f, 'utf8')) && !f.endsWith('domain/csv.ts'));
    expect(builders).toEqual(expect.arrayContaining([join('src', 'cli', 'report-format.ts'), join('src', 'components', 'export-csv-button.tsx'), join('src', 'features', 'load-data', 'data-page.tsx')]));
    for (const f of builders) {
      const text = readFileSync(f, 'utf8');
      if (/type: 'text\/csv|function \w*ToCsv\(/.test(text)) expect(text, f).toMatch(/import \{[^}]*\btoCsv\b[^}]*\} from '[./]*\/?(domain\/)?csv'/);
    }
    // identifiers.ts doubles quotes for SQL identifiers, not CSV.
    const selfQuoting = files.filter((f) => !/domain\/csv\.ts$|sql\/identifiers\.ts$/.test(f) && /replace(All)?\(\/?["']?"["']?\/?g?,\s*'""'\)/.test(readFileSync(f, 'utf8')));
    expect(selfQuoting).toEqual([]);
  });
});
