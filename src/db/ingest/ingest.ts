import { applyUserMapping, exactColumns, mapColumns, userMappingFor, type ColumnMapping, type UserMapping } from '../../domain/log-schema';
import type { Engine } from '../engine';
import { REQUESTS_DDL, RESET_LOG_SQL } from '../schema';
import { textTable } from '../arrow-rows';
import { quoteIdent, quoteLiteral } from '../sql/identifiers';
import { checkAbort, NotALogError } from './errors';
import { sniffFile, type ReadOptions } from './formats';
import type { LineReject } from './shapes';
import { buildValidationSql, NORMALISED_COLUMNS, REQUEST_COLUMNS, type LogDefaults } from './validate';

export interface LogFile {
  name: string;
  bytes: Uint8Array;
}

export type LoadMode = 'append' | 'replace';

export interface FileDiagnostics {
  file: string;
  format: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** The first rejected rows; all of them are in the `load_rejects` table. */
  rejects: RejectedRow[];
  warnings: NormalisationWarning[];
  ignoredColumns: string[];
  mappedColumns: Record<string, string>;
}

export interface RejectedRow {
  file: string;
  row: number;
  column: string;
  value: string | null;
  reason: string;
}

export interface NormalisationWarning {
  column: string;
  from: string;
  to: string;
  rows: number;
}

export { NotALogError } from './errors';

/** A file with rows but no timestamp at all: the user must say when (the app asks; the CLI has --default-time). */
export class NeedsTimeError extends NotALogError {
  constructor(file: string, why: string) {
    super(file, `no timestamps (${why}): say when these requests were made — pick a date in the Data view, or pass --default-time YYYY-MM-DD to the CLI`);
    this.name = 'NeedsTimeError';
  }
}

/** A file whose columns PixelSpend cannot map on its own: the app shows them for the user to map (the CLI takes --mapping FILE.json). */
export class NeedsMappingError extends NotALogError {
  constructor(file: string, message: string, readonly header: string[], readonly sample: (string | null)[][]) {
    super(file, message);
    this.name = 'NeedsMappingError';
  }
}

export interface IngestOptions {
  mode?: LoadMode;
  /** A stage message and, where it can be known, the fraction done (0…1). */
  onProgress?: (stage: string, fraction?: number) => void;
  signal?: AbortSignal;
  rejectPreview?: number;
  /** When rows have no timestamp: the time to use, UTC (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`). Never the clock. */
  defaultTime?: string;
  /** Mappings the user chose for headers PixelSpend does not know (saved per header, or the CLI's --mapping). */
  mappings?: readonly UserMapping[];
}

let sequence = 0;

export async function ensureLogTables(engine: Engine): Promise<void> {
  await engine.exec(REQUESTS_DDL);
}

export async function clearLogs(engine: Engine): Promise<void> {
  await engine.exec(RESET_LOG_SQL);
  await engine.exec(REQUESTS_DDL);
}

/**
 * Loads log files into `requests`. For every file: rows read = accepted + rejected; each
 * rejected row is kept in `load_rejects` with file, row, column, value and reason. A file
 * that is not a log raises NotALogError and leaves what was loaded before untouched.
 */
export async function ingestFiles(engine: Engine, files: readonly LogFile[], options: IngestOptions = {}): Promise<FileDiagnostics[]> {
  await ensureLogTables(engine);
  const staged: Staged[] = [];
  const total = files.length;
  try {
    for (const [i, file] of files.entries()) {
      checkAbort(options.signal);
      options.onProgress?.(`Reading ${file.name}`, i / (total * 2));
      staged.push(await stageFile(engine, file, {
        signal: options.signal,
        onProgress: (stage, fraction) => options.onProgress?.(stage, (i + (fraction ?? 0)) / (total * 2)),
      }));
    }
    const mappings: ColumnMapping[] = [];
    for (const s of staged) mappings.push(await mapStaged(engine, s, options));
    checkAbort(options.signal);
    // One transaction: a failure or a cancel part-way leaves the data loaded before untouched.
    await engine.exec('BEGIN TRANSACTION');
    try {
      if (options.mode === 'replace') await clearLogs(engine);
      const results: FileDiagnostics[] = [];
      for (const [i, s] of staged.entries()) {
        checkAbort(options.signal);
        options.onProgress?.(`Checking ${s.file.name}`, (total + i) / (total * 2));
        results.push(await validateAndInsert(engine, s, mappings[i]!, options.rejectPreview ?? 50));
      }
      checkAbort(options.signal);
      await engine.exec('COMMIT');
      return results;
    } catch (error) {
      await engine.exec('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    for (const s of staged) {
      await dropRaw(engine, s.raw);
      await engine.exec(`DROP TABLE IF EXISTS ${s.raw}_lrej;`);
      await engine.dropFile(s.raw).catch(() => {});
    }
  }
}

interface Staged {
  file: LogFile;
  raw: string;
  format: string;
  warnings: NormalisationWarning[];
  /** Per-attempt rows rolled up into requests: `__attempt_rows` counts the rows behind each. */
  rolledUp: { attemptColumn: string } | null;
  /** Rows of a recognised source: columns are already canonical, the others are attributes. */
  preset: boolean;
  defaults: LogDefaults;
}

const ATTEMPT_NUMBER_NAMES = ['attemptnumber', 'attemptno', 'attemptnum', 'attemptindex', 'attempt'];
const squash = (name: string) => name.trim().toLowerCase().replace(/[\s_.-]+/g, '');

async function columnsOf(engine: Engine, table: string): Promise<string[]> {
  return (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table})`))
    .map((r) => r.column_name)
    .filter((c) => c !== 'source_row' && c !== '__attempt_rows');
}

async function mapStaged(engine: Engine, s: Staged, options: IngestOptions): Promise<ColumnMapping> {
  const header = await columnsOf(engine, s.raw);
  const user = s.preset ? null : userMappingFor(header, options.mappings ?? []);
  const mapping = s.preset ? exactColumns(header) : user ? applyUserMapping(header, user) : mapColumns(header);
  s.defaults = { ...user?.defaults, timestamp: user?.defaults?.timestamp ?? options.defaultTime };
  const [{ n } = { n: 0 }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${s.raw}`);
  const needsTime = (why: string) => new NeedsTimeError(s.file.name, why);
  if (mapping.missingRequired.includes('model') || (mapping.missingRequired.includes('timestamp') && !s.defaults.timestamp && n === 0)) {
    const sample = n === 0 ? [] : (await engine.query<Record<string, string | null>>(`SELECT * EXCLUDE (source_row) FROM ${s.raw} ORDER BY source_row LIMIT 3`)).map((r) => header.map((h) => r[h] ?? null));
    throw new NeedsMappingError(
      s.file.name,
      `not a request log: no ${mapping.missingRequired.join(' or ')} column (found ${header.slice(0, 8).join(', ') || 'no columns'}${header.length > 8 ? ', …' : ''}). Map its columns in the Data view (CLI: --mapping FILE.json); see docs/log-format.md for the columns PixelSpend reads.`,
      header,
      sample,
    );
  }
  if (n > 0 && !s.defaults.timestamp) {
    if (mapping.missingRequired.includes('timestamp')) throw needsTime('no timestamp column');
    const column = quoteIdent(mapping.mapped.get('timestamp')!);
    const [{ dated } = { dated: 0 }] = await engine.query<{ dated: number }>(`SELECT count(*)::INTEGER AS dated FROM ${s.raw} WHERE nullif(trim(${column}), '') IS NOT NULL`);
    if (dated === 0) throw needsTime(`every ${mapping.mapped.get('timestamp')} is empty`);
  }
  const attemptColumn = header.find((c) => ATTEMPT_NUMBER_NAMES.includes(squash(c)));
  if (attemptColumn === undefined || !mapping.mapped.has('request_id')) return mapping;
  await rollUpAttempts(engine, s, mapping, header, attemptColumn);
  const rolled = mapColumns(await columnsOf(engine, s.raw));
  return { ...rolled, ignored: mapping.ignored.filter((c) => c !== attemptColumn) };
}

/**
 * Per-attempt logs (rows sharing request_id, numbered by an attempt column) become one
 * request each: attempt_count = its rows, billed_attempts = those billed (when a billed
 * column exists), acceptance from the last attempt, everything else from the first.
 */
async function rollUpAttempts(engine: Engine, s: Staged, mapping: ColumnMapping, header: string[], attemptColumn: string) {
  const q = quoteIdent;
  const ord = `COALESCE(try_cast(trim(${q(attemptColumn)}) AS DOUBLE), 0), source_row`;
  const billed = mapping.mapped.get('billed_attempts');
  const select: string[] = [];
  for (const c of header) {
    if (c === attemptColumn) continue;
    if (c === mapping.mapped.get('attempt_count')) select.push(`count(*)::VARCHAR AS ${q(c)}`);
    else if (c === billed) {
      select.push(`(count(*) FILTER (WHERE lower(trim(${q(c)})) IN ('true', 't', 'yes', 'y', 'billed') OR try_cast(trim(${q(c)}) AS DOUBLE) > 0))::VARCHAR AS ${q(c)}`);
    } else if (c === mapping.mapped.get('accepted_by_user')) select.push(`arg_max_null(${q(c)}, (${ord})) AS ${q(c)}`);
    else select.push(`arg_min_null(${q(c)}, (${ord})) AS ${q(c)}`);
  }
  if (!mapping.mapped.has('attempt_count')) select.push(`count(*)::VARCHAR AS attempt_count`);
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE ${s.raw}_rolled AS
      SELECT min(source_row) AS source_row, count(*) AS __attempt_rows, ${select.join(', ')}
      FROM ${s.raw}
      GROUP BY COALESCE(nullif(trim(${q(mapping.mapped.get('request_id')!)}), ''), '#' || source_row)`);
  await dropRaw(engine, s.raw);
  await engine.exec(`ALTER TABLE ${s.raw}_rolled RENAME TO ${s.raw}`);
  s.rolledUp = { attemptColumn };
  s.format = `${s.format} (per-attempt, rolled up)`;
}

/** Drops a staged file, whether it is a table or a view over the table read from CSV. */
async function dropRaw(engine: Engine, raw: string) {
  const [kind] = await engine.query<{ views: number }>(`SELECT count(*) AS views FROM duckdb_views() WHERE view_name = ?`, [raw]);
  await engine.exec(kind!.views > 0 ? `DROP VIEW ${raw}` : `DROP TABLE IF EXISTS ${raw}`);
  await engine.exec(`DROP TABLE IF EXISTS ${raw}_read`);
}

async function createLineRejects(engine: Engine, raw: string, rejects: LineReject[]) {
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw}_lrej (source_row BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`);
  if (rejects.length === 0) return;
  await engine.insertArrow(`${raw}_lrej_text`, textTable(
    ['source_row', 'column', 'value', 'reason'],
    rejects.map((r) => [String(r.row), r.column, r.value, r.reason]),
  ));
  await engine.exec(`INSERT INTO ${raw}_lrej SELECT source_row::BIGINT, "column", value, reason FROM ${raw}_lrej_text;
    DROP TABLE ${raw}_lrej_text;`);
}

async function stageFile(engine: Engine, file: LogFile, options: ReadOptions): Promise<Staged> {
  const sniffed = await sniffFile(file.name, file.bytes, options);
  checkAbort(options.signal);
  const id = ++sequence;
  const raw = `raw_${id}`;
  if (sniffed.kind === 'records') {
    const { staged } = sniffed;
    options.onProgress?.(`Staging ${file.name}`, 0.9);
    if (staged.rows.length === 0) {
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} (source_row BIGINT, ${staged.columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ') || 'timestamp VARCHAR, model VARCHAR'})`);
    } else {
      const rows = staged.rows.map((r, i) => [String(staged.sourceRows[i]), ...r]);
      await engine.insertArrow(`${raw}_text`, textTable(['source_row', ...staged.columns], rows));
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT source_row::BIGINT AS source_row, * EXCLUDE (source_row) FROM ${raw}_text;
        DROP TABLE ${raw}_text;`);
    }
    await createLineRejects(engine, raw, staged.rejects);
    return { file, raw, format: sniffed.format, warnings: staged.warnings, rolledUp: null, preset: staged.preset === true, defaults: {} };
  }
  const rejects = `csv_rejects_${id}`;
  const scan = `csv_scan_${id}`;
  await engine.registerBuffer(raw, sniffed.bytes);
  const delimiter = `, delim = '${sniffed.delimiter === '\t' ? '\\t' : sniffed.delimiter}'`;
  try {
    await engine.exec(`
      CREATE OR REPLACE TEMP TABLE ${raw}_read AS
        SELECT * FROM read_csv(${quoteLiteral(raw)}, all_varchar = true, header = true${delimiter},
          compression = 'none', store_rejects = true, max_line_size = 16777216,
          rejects_table = '${rejects}', rejects_scan = '${scan}', sample_size = 20480)`);
  } catch (error) {
    // DuckDB names the buffer it read (raw_N): the user knows the file.
    throw new NotALogError(file.name, `could not be read as ${sniffed.format.toUpperCase()}: ${firstLine(error).replaceAll(raw, file.name)}`);
  }
  const rejected = await engine.query<{ line: number }>(`SELECT line::BIGINT AS line FROM ${rejects} ORDER BY line`);
  // Data rows are numbered from 1 after the header; a rejected line still counts as a row read.
  if (rejected.length === 0) {
    // A view numbers the rows without copying a large file's table once more.
    await engine.exec(`CREATE OR REPLACE TEMP VIEW ${raw} AS SELECT (rowid + 1)::BIGINT AS source_row, * FROM ${raw}_read`);
  } else {
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT (rowid + 1)::BIGINT AS source_row, * FROM ${raw}_read; DROP TABLE ${raw}_read;`);
    const thresholds = rejected.map((r, j) => r.line - 1 - (j + 1));
    await engine.exec(`UPDATE ${raw} SET source_row = source_row + (
      SELECT count(*) FROM (SELECT unnest([${thresholds.join(',')}]) AS t) WHERE t < ${raw}.source_row)`);
  }
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw}_lrej AS SELECT (line - 1)::BIGINT AS source_row, NULL::VARCHAR AS "column",
      csv_line AS value, 'malformed line: ' || error_type || ' (' || error_message || ')' AS reason FROM ${rejects};
    DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scan};`);
  return { file, raw, format: sniffed.format, warnings: [], rolledUp: null, preset: false, defaults: {} };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

async function validateAndInsert(engine: Engine, s: Staged, mapping: ColumnMapping, preview: number): Promise<FileDiagnostics> {
  const stagedTable = `${s.raw}_staged`;
  const fileLit = quoteLiteral(s.file.name);
  await engine.exec(buildValidationSql(s.raw, stagedTable, mapping, s.file.name, s.defaults));
  // Row ids only need to be unique and follow the file: offsetting the (unique) source row
  // avoids a window and a sort over every row, which took longer than the validation itself.
  const [base] = await engine.query<{ base: number }>(`SELECT COALESCE(max(row_id), 0)::BIGINT AS base FROM requests`);
  await engine.exec(`
    INSERT INTO requests
      SELECT ${base!.base} + source_row, ${fileLit}, source_row, ${REQUEST_COLUMNS.join(', ')}
      FROM ${stagedTable} WHERE len(errors) = 0;
    INSERT INTO load_rejects
      SELECT ${fileLit}, source_row, "column", value, reason FROM ${s.raw}_lrej ORDER BY source_row;
    INSERT INTO load_rejects
      SELECT ${fileLit}, source_row, e.column, e.value, e.reason
      FROM (SELECT source_row, unnest(errors) AS e FROM ${stagedTable} WHERE len(errors) > 0)
      ORDER BY source_row;`);
  for (const n of NORMALISED_COLUMNS) {
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, '${n.column}', ${n.text}, ${n.value}, count(*) FROM ${stagedTable}
      WHERE len(errors) = 0 AND ${n.text} IS NOT NULL AND ${n.text} <> ${n.value}
      GROUP BY ALL ORDER BY ALL`);
  }
  if (s.defaults.timestamp) {
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, 'timestamp', '(not in the log)', ${quoteLiteral(`${s.defaults.timestamp} UTC (your choice)`)}, count(*) FROM ${stagedTable}
      WHERE len(errors) = 0 AND ts_defaulted HAVING count(*) > 0`);
  }
  for (const column of ['image_size', 'lane', 'provider'] as const) {
    const value = s.defaults[column];
    if (value === undefined || mapping.mapped.has(column)) continue;
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, '${column}', '(not in the log)', ${quoteLiteral(`${value} (your choice)`)}, count(*) FROM ${stagedTable}
      WHERE len(errors) = 0 HAVING count(*) > 0`);
  }
  for (const w of s.warnings) {
    await engine.query(`INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?)`, [s.file.name, w.column, w.from, w.to, w.rows]);
  }
  // Rolled-up attempt logs count the file's rows behind each request.
  const weight = s.rolledUp ? `(SELECT __attempt_rows FROM ${s.raw} r WHERE r.source_row = t.source_row)` : '1';
  const [counts] = await engine.query<{ staged: number; accepted: number; lines: number }>(
    `SELECT COALESCE(sum(${weight}), 0)::BIGINT AS staged, COALESCE(sum(${weight}) FILTER (WHERE len(errors) = 0), 0)::BIGINT AS accepted,
       (SELECT count(DISTINCT source_row) FROM ${s.raw}_lrej) AS lines
     FROM ${stagedTable} t`,
  );
  await engine.exec(`DROP TABLE ${stagedTable}`);
  const rowsRead = counts!.staged + counts!.lines;
  const rowsAccepted = counts!.accepted;
  await engine.query(`INSERT INTO load_files VALUES (?, ?, ?, ?, ?)`, [s.file.name, s.format, rowsRead, rowsAccepted, rowsRead - rowsAccepted]);
  const rejects = await engine.query<RejectedRow>(
    `SELECT source_file AS file, source_row AS row, "column" AS column, value, reason FROM load_rejects
     WHERE source_file = ? ORDER BY source_row, "column" LIMIT ?`,
    [s.file.name, preview],
  );
  const warnings = await engine.query<NormalisationWarning>(
    `SELECT "column" AS column, from_value AS "from", to_value AS "to", rows FROM load_warnings WHERE source_file = ? ORDER BY rows DESC`,
    [s.file.name],
  );
  return {
    file: s.file.name,
    format: s.format,
    rowsRead,
    rowsAccepted,
    rowsRejected: rowsRead - rowsAccepted,
    rejects,
    warnings,
    ignoredColumns: mapping.ignored.filter((c) => c !== '__attempt_rows'),
    mappedColumns: Object.fromEntries(mapping.mapped),
  };
}
