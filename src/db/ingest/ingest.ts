import { applyUserMapping, exactColumns, mapColumns, userMappingFor, type ColumnMapping, type UserMapping } from '../../domain/log-schema';
import type { Engine } from '../engine';
import { RATE_TABLES } from '../rates';
import { DERIVED_TABLES, LOG_TABLES, LOG_TABLES_DDL, requestsViewSql, type RequestPart } from '../schema';
import { quoteIdent, quoteLiteral } from '../sql/identifiers';
import { isCubeFile, loadCubeFile } from './cube-file';
import { checkAbort, NotALogError } from './errors';
import { estimateRows, sniffBlob, sniffFile, type ReadOptions } from './formats';
import { recordsToRows, type JsonRecord, type LineReject, type StagedRows } from './shapes';
import { buildValidationSql, NORMALISED_COLUMNS, unclosedQuoteSql, type LogDefaults } from './validate';

export interface LogFile {
  name: string;
  /** The file's contents; in the browser, the chosen File itself, so a large CSV is read where it lies. */
  bytes: Uint8Array | Blob;
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
  /** Rows listed in full (every problem of each) in the diagnostics; all are in `load_rejects`. */
  rejectPreview?: number;
  /** The day (YYYY-MM-DD, UTC) that "far in the future" counts from; tests pass one, never the clock. */
  today?: string;
  /** When rows have no timestamp: the time to use, UTC (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`). Never the clock. */
  defaultTime?: string;
  /** Mappings the user chose for headers PixelSpend does not know (saved per header, or the CLI's --mapping). */
  mappings?: readonly UserMapping[];
  /** Bytes per slice of a CSV read where it lies (tests make it small). */
  sliceBytes?: number;
  /** Rows of a Parquet file a wasm engine decodes at a time (`PARQUET_CHUNK_ROWS`; tests make it small). */
  parquetChunkRows?: number;
  /** Rows in all up to which strings are stored uncompressed (`PLAIN_STRINGS_ROWS`; tests make it small). */
  plainStringsRows?: number;
  /**
   * Rows the data may hold in all, with what is kept (`TAB_ROWS` in a browser tab): a file that
   * would pass it raises LargeLogError before it is read. None in the CLI.
   */
  rowLimit?: number;
}

/**
 * A log past the rows a browser tab loads without asking (`IngestOptions.rowLimit`): it is not read, and
 * the user may load it anyway or summarise it with the CLI. `rows` is the file's, `kept` what stays loaded.
 */
export class LargeLogError extends Error {
  constructor(readonly file: string, readonly rows: number, readonly kept: number, readonly limit: number) {
    super(`${file}: about ${rows.toLocaleString('en-US')} rows${kept > 0 ? ` (and ${kept.toLocaleString('en-US')} already loaded)` : ''}, more than the ${limit.toLocaleString('en-US')} loaded in a browser tab without asking`);
    this.name = 'LargeLogError';
  }
}

let sequence = 0;

/**
 * Makes the log tables and the `requests` view over them where there are none (a new engine, or
 * `clearLogs`). The view is made with the tables and dropped with them, so the tables' presence says
 * it exists: listing views (`duckdb_views()`) writes out every view's SQL, ≈ 10 ms a rate change in wasm.
 */
export async function ensureLogTables(engine: Engine): Promise<void> {
  const [made] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'request_parts' AND database_name = current_database()`);
  if (made!.n > 0) return;
  await engine.exec(LOG_TABLES_DDL);
  await engine.exec(requestsViewSql(await requestParts(engine)));
}

async function requestParts(engine: Engine): Promise<RequestPart[]> {
  return engine.query<RequestPart>(`SELECT part AS "table", source_file AS "sourceFile", base FROM request_parts ORDER BY base`);
}

/** Drops every loaded file and everything derived from them (but the part tables in `keep`, a load's new rows). */
export async function clearLogs(engine: Engine, keep: readonly string[] = []): Promise<void> {
  const parts = (await engine.query<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE starts_with(table_name, 'requests_part_')`))
    .filter((p) => !keep.includes(p.name));
  await engine.exec(`DROP VIEW IF EXISTS priced; DROP VIEW IF EXISTS request_dims; DROP VIEW IF EXISTS requests;
    ${[...DERIVED_TABLES, ...LOG_TABLES].map((t) => `DROP TABLE IF EXISTS ${t};`).join(' ')}
    ${parts.map((p) => `DROP TABLE IF EXISTS ${quoteIdent(p.name)};`).join(' ')}`);
  await ensureLogTables(engine);
}

/**
 * Loads log files into `requests`. For every file: rows read = accepted + rejected; each
 * rejected row is kept in `load_rejects` with file, row, column, value and reason. A file
 * that is not a log raises NotALogError and leaves what was loaded before untouched.
 */
export async function ingestFiles(engine: Engine, files: readonly LogFile[], options: IngestOptions = {}): Promise<FileDiagnostics[]> {
  await ensureLogTables(engine);
  const within = options.rowLimit === undefined ? undefined : await rowBudget(engine, files, options.rowLimit, options.mode);
  const staged: Staged[] = [];
  const total = files.length;
  try {
    for (const [i, file] of files.entries()) {
      checkAbort(options.signal);
      options.onProgress?.(`Reading ${file.name}`, (i / total) * READ_SHARE);
      staged.push(await stageFile(engine, file, {
        today: options.today ?? new Date().toISOString().slice(0, 10),
        signal: options.signal,
        sliceBytes: options.sliceBytes ?? engine.sliceBytes,
        parquetChunkRows: options.parquetChunkRows,
        onProgress: (stage, fraction) => options.onProgress?.(stage, ((i + (fraction ?? 0)) / total) * READ_SHARE),
        within,
      }));
    }
    const cube = staged.find((s) => s.cube);
    if (cube) return await openCube(engine, cube, staged.length);
    if (options.mode !== 'replace' && (await cubeIsOpen(engine))) {
      throw new NotALogError(staged[0]!.file.name, 'a usage cube is open and logs cannot be added to a summary: load the logs with "Replace"');
    }
    const mappings: ColumnMapping[] = [];
    for (const s of staged) mappings.push(await mapStaged(engine, s, options));
    checkAbort(options.signal);
    // Each file's rows are checked into a part table of its own before the transaction, one
    // statement per slice: the engine compresses new rows only as a statement commits, and one
    // transaction holding ten million of them ran the tab out of memory. A failure drops them.
    const validated: string[] = [];
    try {
      const compact = await storeCompact(engine, staged, options.mode, options.plainStringsRows ?? PLAIN_STRINGS_ROWS);
      if (!compact) await engine.exec(`SET disabled_compression_methods = '${STRING_COMPRESSION}'`);
      try {
        for (const [i, s] of staged.entries()) {
          const checked: CheckProgress = (done, rows) => options.onProgress?.(
            rows === undefined ? `Checking ${s.file.name}` : `Checking ${s.file.name}: ${rows.toLocaleString('en-US')} rows`,
            READ_SHARE + ((i + done) / total) * CHECK_SHARE,
          );
          checked(0);
          validated.push(await validateParts(engine, s, mappings[i]!, options.signal, checked));
        }
      } finally {
        if (!compact) await engine.exec('RESET disabled_compression_methods');
      }
      for (const [i, s] of staged.entries()) await checkDated(engine, s, validated[i]!, mappings[i]!);
      checkAbort(options.signal);
      options.onProgress?.(`Saving ${staged.map((s) => s.file.name).join(', ')}`, READ_SHARE + CHECK_SHARE);
      // One transaction: a failure or a cancel part-way leaves the data loaded before untouched.
      await engine.exec('BEGIN TRANSACTION');
      try {
        if (options.mode === 'replace') await clearLogs(engine, validated);
        const results: FileDiagnostics[] = [];
        for (const [i, s] of staged.entries()) results.push(await registerPart(engine, s, validated[i]!, mappings[i]!, options.rejectPreview ?? 50));
        checkAbort(options.signal);
        // The cube summed the log as it was: the next reprice rebuilds it.
        await engine.exec('DROP TABLE IF EXISTS usage_cube');
        await engine.exec('COMMIT');
        return results;
      } catch (error) {
        await engine.exec('ROLLBACK').catch(() => {});
        throw error;
      }
    } catch (error) {
      for (const table of validated) await engine.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      throw error;
    }
  } finally {
    for (const s of staged) await dropStaged(engine, s.raw, s.files ?? 0);
  }
}

/**
 * A load's progress bar: reading (the page's scan of each file) up to 10 %, checking up to 85 %, then
 * saving, and pricing from 90 %. Shares of the time they took on 20M rows in Chromium (17 s, 150 s,
 * 30 s), so the bar moves as the wait does: checking is most of a load and advances slice by slice.
 */
const READ_SHARE = 0.1;
const CHECK_SHARE = 0.75;
export const PRICING_PROGRESS = 0.9;

/** Checking one file: the share of its slices or chunks done (0…1) and, where counted, its rows so far. */
type CheckProgress = (done: number, rows?: number) => void;

/** DuckDB's string compressions: the dearest part of storing a checked row (≈ 2.5 s of a 12 s load of 1M rows in wasm). */
const STRING_COMPRESSION = 'fsst,dictionary,dict_fsst';
/**
 * Up to this many rows in all, the log's strings are stored as they are: ≈ 100 MB more per million
 * rows, for a load of 1M rows ≈ 10 % faster in Chromium and 20 % in wasm/Node. A larger log is stored
 * compact, as it must be to fit a tab.
 */
const PLAIN_STRINGS_ROWS = 2_000_000;

/**
 * Rows past which the app asks before loading a log in a browser tab (docs/scale.md). In Chromium on a
 * 2-core machine, 20M rows of the sample's shape loaded in 198 s (renderer 2.2 GB), 30M in 270 s with
 * every view working (3.3 GB, near DuckDB-WASM's 3.1 GiB), and 40M ran out of memory while priced: the
 * question comes where a log with more columns than the sample's still fits.
 */
export const TAB_ROWS = 20_000_000;

/** What a load may still add under `limit` (see `IngestOptions.rowLimit`). */
interface RowBudget {
  limit: number;
  kept: number;
  /** Rows of the files checked so far, estimated from their size or counted from a Parquet footer. */
  used: number;
}

/**
 * Checks each text file's estimated rows (`estimateRows`) against `limit` before any is read, and
 * returns what Parquet files (counted from their footers as they are opened) are checked against.
 */
async function rowBudget(engine: Engine, files: readonly LogFile[], limit: number, mode: LoadMode | undefined): Promise<RowBudget> {
  let kept = 0;
  if (mode !== 'replace') {
    const [loaded] = await engine.query<{ rows: number }>('SELECT COALESCE(sum(rows_accepted), 0)::BIGINT AS rows FROM load_files');
    kept = Number(loaded!.rows);
  }
  const budget = { limit, kept, used: 0 };
  for (const file of files) {
    const rows = await estimateRows(file.bytes);
    if (rows !== undefined) withinBudget(budget, file.name, rows);
  }
  return budget;
}

function withinBudget(budget: RowBudget, file: string, rows: number): void {
  budget.used += rows;
  if (budget.kept + budget.used > budget.limit) throw new LargeLogError(file, rows, budget.kept, budget.limit);
}

/**
 * Whether the rows this load checks are stored compressed: when the rows already kept (none on a
 * replace) and the new files' rows would pass the limit (`PLAIN_STRINGS_ROWS`). Rows not counted yet are estimated
 * from a file's size, on the safe side: 100 bytes a CSV or JSON row, 16 a Parquet row; a gzipped file
 * (of unknown size unpacked) is always stored compact.
 */
async function storeCompact(engine: Engine, staged: readonly Staged[], mode: LoadMode | undefined, limit: number): Promise<boolean> {
  const estimate = (s: Staged) => {
    if (s.rows !== undefined) return s.rows;
    if (s.format.endsWith('.gz')) return Infinity;
    return (s.file.bytes instanceof Blob ? s.file.bytes.size : s.file.bytes.length) / (s.format.startsWith('parquet') ? 16 : 100);
  };
  let rows = staged.reduce((sum, s) => sum + estimate(s), 0);
  if (mode !== 'replace') {
    const [kept] = await engine.query<{ rows: number }>('SELECT COALESCE(sum(rows_accepted), 0)::BIGINT AS rows FROM load_files');
    rows += Number(kept!.rows);
  }
  return rows > limit;
}

/** Where a snapshot (see `writeSnapshot`) keeps the diagnostics its load reported. */
export const SNAPSHOT_DIAGNOSTICS = 'snapshot_diagnostics';
/** What a snapshot holds of what is derived from the log: everything that does not depend on the rates. */
export const SNAPSHOT_DERIVED = ['usage_cube', 'shared_prompts', 'attribute_names'] as const;
/** What a snapshot may hold of its log priced: the rate tables and the priced tables, with the fingerprint of what priced them. */
export const SNAPSHOT_PRICED = [...RATE_TABLES, 'price_keys', 'priced_cube', 'priced_days', 'priced_months'] as const;
export const SNAPSHOT_PRICING = 'snapshot_pricing';

export interface OpenedSnapshot {
  diagnostics: FileDiagnostics[];
  /** True when the snapshot's priced tables were taken: it was priced as `pricing` prices (see `pricingFingerprint`). */
  priced: boolean;
}

/**
 * Replaces the loaded data with a snapshot: a DuckDB database holding a load's validated parts, its
 * load tables, its usage cube and its diagnostics (`writeSnapshot`), so the log opens without being
 * read, checked or summed again. The bundled sample ships as one. Where the snapshot was priced with
 * what `pricing` fingerprints, its rate and priced tables are taken too, and the log needs no pricing.
 */
export async function openSnapshot(engine: Engine, file: LogFile, pricing?: string): Promise<OpenedSnapshot> {
  await ensureLogTables(engine);
  const db = `snapshot_${++sequence}`;
  await engine.registerFile(`${db}.duckdb`, file.bytes);
  try {
    try {
      await engine.exec(`ATTACH '${db}.duckdb' AS ${db} (READ_ONLY)`);
    } catch (error) {
      throw new NotALogError(file.name, `not a PixelSpend snapshot (${firstLine(error)})`);
    }
    try {
      const [saved] = await engine.query<{ diagnostics: string }>(`SELECT diagnostics FROM ${db}.${SNAPSHOT_DIAGNOSTICS}`).catch(() => []);
      if (!saved) throw new NotALogError(file.name, 'a DuckDB database, but not a PixelSpend snapshot: it has no load diagnostics');
      const parts = await engine.query<{ part: string; source_file: string; base: number; rows: number }>(
        `SELECT part, source_file, base, rows FROM ${db}.request_parts ORDER BY base`);
      const [stored] = pricing === undefined ? [] : await engine.query<{ same: boolean }>(
        `SELECT fingerprint = ? AS same FROM ${db}.${SNAPSHOT_PRICING}`, [pricing]).catch(() => []);
      const priced = stored?.same === true;
      await engine.exec('BEGIN TRANSACTION');
      try {
        await clearLogs(engine);
        for (const p of parts) {
          // Renamed as this session's parts are, so a later load cannot take a part's name.
          const table = `requests_part_${++sequence}`;
          await engine.exec(`CREATE TABLE ${table} AS SELECT * FROM ${db}.${quoteIdent(p.part)}`);
          await engine.query('INSERT INTO request_parts VALUES (?, ?, ?, ?)', [table, p.source_file, p.base, p.rows]);
        }
        for (const t of ['load_rejects', 'load_warnings', 'load_files']) await engine.exec(`INSERT INTO ${t} SELECT * FROM ${db}.${t}`);
        for (const t of [...SNAPSHOT_DERIVED, ...(priced ? SNAPSHOT_PRICED : [])]) {
          await engine.exec(`CREATE OR REPLACE TEMP TABLE ${t} AS SELECT * FROM ${db}.${t}`);
        }
        await engine.exec(requestsViewSql(await requestParts(engine)));
        await engine.exec('COMMIT');
      } catch (error) {
        await engine.exec('ROLLBACK').catch(() => {});
        throw error;
      }
      return { diagnostics: JSON.parse(saved.diagnostics) as FileDiagnostics[], priced };
    } finally {
      await engine.exec(`DETACH ${db}`);
    }
  } finally {
    await engine.dropFile(`${db}.duckdb`).catch(() => {});
  }
}

/** Drops what staging a file made: its relations, its registered files and, for a sliced CSV, every slice's. */
async function dropStaged(engine: Engine, raw: string, slices: number) {
  await dropRaw(engine, raw);
  await engine.exec(`DROP TABLE IF EXISTS ${raw}_lrej; DROP VIEW IF EXISTS ${raw}_pq;`);
  await engine.dropFile(`${raw}.csv`).catch(() => {});
  await engine.dropFile(`${raw}_pq`).catch(() => {});
  // What reading a slice leaves until its rows are counted, a whole file being slice 0.
  for (let k = 0; k < Math.max(slices, 1); k++) {
    await engine.exec(`DROP TABLE IF EXISTS ${raw}_rej${k}; DROP TABLE IF EXISTS ${raw}_scan${k}; DROP TABLE IF EXISTS ${raw}_lrej${k}`);
  }
  for (let k = 0; k < slices; k++) {
    await dropRaw(engine, `${raw}_p${k}`);
    await engine.dropFile(`${raw}_f${k}.csv`).catch(() => {});
  }
}

async function cubeIsOpen(engine: Engine): Promise<boolean> {
  const [open] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM load_files WHERE starts_with(format, 'usage cube')`);
  return open!.n > 0;
}

/** Replaces the loaded data with a usage cube file: alone, never mixed with logs. */
async function openCube(engine: Engine, s: Staged, files: number): Promise<FileDiagnostics[]> {
  if (files > 1) {
    throw new NotALogError(s.file.name, 'a usage cube (a summary written by pixelspend-report --cube-out) opens on its own, replacing what is loaded: load it alone');
  }
  await engine.exec('BEGIN TRANSACTION');
  try {
    await clearLogs(engine);
    const { cells, requests } = await loadCubeFile(engine, `${s.raw}_pq`);
    await engine.query(`INSERT INTO load_files VALUES (?, ?, ?, ?, 0)`, [s.file.name, s.format, requests, requests]);
    await engine.exec('COMMIT');
    return [{
      file: s.file.name, format: `${s.format}: ${cells} cells`, rowsRead: requests, rowsAccepted: requests, rowsRejected: 0, rejects: [],
      warnings: [], ignoredColumns: [], mappedColumns: {},
    }];
  } catch (error) {
    await engine.exec('ROLLBACK').catch(() => {});
    throw error;
  }
}

interface Staged {
  file: LogFile;
  raw: string;
  format: string;
  warnings: NormalisationWarning[];
  /** Per-attempt rows rolled up into requests: `__attempt_rows` counts the rows behind each. */
  rolledUp: { attemptColumn: string } | null;
  /** A usage cube file (the CLI's --cube-out), not a log. */
  cube?: boolean;
  today: string;
  /** Rows of a recognised source: columns are already canonical, the others are attributes. */
  preset: boolean;
  defaults: LogDefaults;
  /** Data rows of `raw`, when the reader counted them already (reading a CSV again costs a pass over the file). */
  rows?: number;
  /**
   * What validation reads, one statement each: `raw`, or the slices a large CSV was cut into.
   * Slices are never united in one view unless a roll-up must group them: binding every slice's
   * reader at once ran the engine out of memory.
   */
  parts: string[];
  /**
   * A CSV's slices while its rows are not counted yet: validation counts them as it reads each
   * slice (one pass over the file, not two), unless a roll-up counts them first.
   */
  uncounted?: CsvSlice[];
  /** A CSV with a quote somewhere: its fields whose quote is never closed are counted, by column. */
  quotes?: boolean;
  /** A CSV none of whose fields starts or ends with a space (`mayHavePaddedFields`) is not trimmed. */
  padded?: boolean;
  /** Slices registered as files of their own (`${raw}_f${k}.csv`), when a CSV was cut into more than one. */
  files?: number;
  /**
   * A Parquet file the engine holds in chunks (`Engine.attachParquet`): every part is `raw`, and
   * part k shows chunk k once `showPart` made it current. One chunk is decoded at a time.
   */
  chunked?: { pq: string; current: number };
}

const ATTEMPT_NUMBER_NAMES = ['attemptnumber', 'attemptno', 'attemptnum', 'attemptindex', 'attempt'];
const squash = (name: string) => name.trim().toLowerCase().replace(/[\s_.-]+/g, '');

/** Makes part k of `s` readable: a Parquet chunk is decoded into the engine only when its part is read. */
async function showPart(engine: Engine, s: Staged, k: number): Promise<string> {
  if (s.chunked && s.chunked.current !== k) {
    await engine.readParquetChunk(s.chunked.pq, k);
    s.chunked.current = k;
  }
  return s.parts[k]!;
}

/** Whether any part has a row where `where` holds, reading parts only until one has. */
async function anyRow(engine: Engine, s: Staged, where = 'true'): Promise<boolean> {
  for (const k of s.parts.keys()) {
    if ((await engine.query(`SELECT 1 FROM ${await showPart(engine, s, k)} WHERE ${where} LIMIT 1`)).length > 0) return true;
  }
  return false;
}

async function columnsOf(engine: Engine, table: string): Promise<string[]> {
  return (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table})`))
    .map((r) => r.column_name)
    .filter((c) => c !== 'source_row' && c !== '__attempt_rows');
}

async function mapStaged(engine: Engine, s: Staged, options: IngestOptions): Promise<ColumnMapping> {
  const header = await columnsOf(engine, s.parts[0]!);
  const user = s.preset ? null : userMappingFor(header, options.mappings ?? []);
  const mapping = s.preset ? exactColumns(header) : user ? applyUserMapping(header, user) : mapColumns(header);
  s.defaults = { ...user?.defaults, timestamp: user?.defaults?.timestamp ?? options.defaultTime };
  // Probed only where it decides something: each probe reads the start of the file again (≈ 0.2 s in Chromium).
  let empty = s.rows !== undefined ? s.rows === 0 : undefined;
  const isEmpty = async () => (empty ??= !(await anyRow(engine, s)));
  const needsTime = (why: string) => new NeedsTimeError(s.file.name, why);
  if (mapping.missingRequired.includes('model') || (mapping.missingRequired.includes('timestamp') && !s.defaults.timestamp && (await isEmpty()))) {
    const sample = (await isEmpty()) ? [] : (await engine.query<Record<string, string | null>>(`SELECT * EXCLUDE (source_row) FROM ${await showPart(engine, s, 0)} ORDER BY source_row LIMIT 3`)).map((r) => header.map((h) => r[h] ?? null));
    throw new NeedsMappingError(
      s.file.name,
      `not a request log: no ${mapping.missingRequired.join(' or ')} column (found ${header.slice(0, 8).join(', ') || 'no columns'}${header.length > 8 ? ', …' : ''}). Map its columns in the Data view (CLI: --mapping FILE.json); see docs/log-format.md for the columns PixelSpend reads.`,
      header,
      sample,
    );
  }
  // An empty file with no timestamp column was refused above. One whose timestamps are all empty
  // is found once its rows are checked (`checkDated`).
  if (!s.defaults.timestamp && mapping.missingRequired.includes('timestamp')) throw needsTime('no timestamp column');
  const attemptColumn = header.find((c) => ATTEMPT_NUMBER_NAMES.includes(squash(c)));
  if (attemptColumn === undefined || !mapping.mapped.has('request_id')) return mapping;
  if (s.uncounted) await countSlices(engine, s, options.signal);
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
  if (s.chunked) {
    await engine.readParquetChunk(s.chunked.pq, 'all');
    s.parts = [s.raw];
    s.chunked = undefined;
  }
  if (s.parts.length > 1) await engine.exec(`CREATE OR REPLACE TEMP VIEW ${s.raw} AS ${s.parts.map((p) => `SELECT * FROM ${p}`).join(' UNION ALL ')}`);
  const ord = `COALESCE(try_cast(trim(${q(attemptColumn)}) AS DOUBLE), 0), source_row`;
  const billed = mapping.mapped.get('billed_attempts');
  const requestKey = `COALESCE(nullif(trim(${q(mapping.mapped.get('request_id')!)}), ''), '#' || source_row)`;
  await attemptWarnings(engine, s, requestKey, attemptColumn, billed);
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
      GROUP BY ${requestKey}`);
  await dropRaw(engine, s.raw);
  await engine.exec(`ALTER TABLE ${s.raw}_rolled RENAME TO ${s.raw}`);
  s.parts = [s.raw];
  s.rolledUp = { attemptColumn };
  s.format = `${s.format} (per-attempt, rolled up)`;
}

const BILLED_TRUE = ['true', 't', 'yes', 'y', 'billed'];
const BILLED_FALSE = ['false', 'f', 'no', 'n', 'not billed', 'not_billed', 'unbilled', 'free'];

/**
 * What a roll-up would otherwise decide silently: a billed value that is neither yes nor no
 * (counted as not billed) and an attempt number used twice for one request (both counted).
 */
async function attemptWarnings(engine: Engine, s: Staged, requestKey: string, attemptColumn: string, billed: string | undefined) {
  const q = quoteIdent;
  const [repeated] = await engine.query<{ rows: number; example: string | null }>(`
    SELECT COALESCE(sum(n), 0)::BIGINT AS rows, min(example) AS example FROM (
      SELECT count(*) AS n, 'request ' || any_value(${requestKey}) || ' attempt ' || any_value(trim(${q(attemptColumn)})) AS example
      FROM ${s.raw} GROUP BY ${requestKey}, trim(${q(attemptColumn)}) HAVING count(*) > 1)`);
  if (repeated!.rows > 0) {
    s.warnings.push({ column: attemptColumn, from: `attempt number repeated (e.g. ${repeated!.example})`, to: 'each row counted as an attempt', rows: repeated!.rows });
  }
  if (billed === undefined) return;
  const word = `lower(trim(${q(billed)}))`;
  const ambiguous = await engine.query<{ value: string; rows: number }>(`
    SELECT trim(${q(billed)}) AS value, count(*)::BIGINT AS rows FROM ${s.raw}
    WHERE ${q(billed)} IS NOT NULL AND trim(${q(billed)}) <> '' AND ${word} NOT IN (${[...BILLED_TRUE, ...BILLED_FALSE].map(quoteLiteral).join(', ')})
      AND try_cast(trim(${q(billed)}) AS DOUBLE) IS NULL
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`);
  for (const a of ambiguous) s.warnings.push({ column: billed, from: a.value, to: 'not billed (neither yes nor no)', rows: a.rows });
}

/** Drops a staged file, whether it is a table or a view over the CSV reader. */
async function dropRaw(engine: Engine, raw: string) {
  const [kind] = await engine.query<{ views: number }>(`SELECT count(*) AS views FROM duckdb_views() WHERE view_name = ?`, [raw]);
  await engine.exec(kind!.views > 0 ? `DROP VIEW ${raw}` : `DROP TABLE IF EXISTS ${raw}`);
}

async function createLineRejects(engine: Engine, raw: string, rejects: LineReject[]) {
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw}_lrej (source_row BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`);
  if (rejects.length === 0) return;
  await engine.insertText(`${raw}_lrej_text`, ['source_row', 'column', 'value', 'reason'], rejects.map((r) => [String(r.row), r.column, r.value, r.reason]));
  await engine.exec(`INSERT INTO ${raw}_lrej SELECT source_row::BIGINT, "column", value, reason FROM ${raw}_lrej_text;
    DROP TABLE ${raw}_lrej_text;`);
}

async function stageFile(engine: Engine, file: LogFile, options: ReadOptions & { today: string; within?: RowBudget }): Promise<Staged> {
  const sniffed = file.bytes instanceof Uint8Array ? await sniffFile(file.name, file.bytes, options) : await sniffBlob(file.name, file.bytes, options);
  checkAbort(options.signal);
  const id = ++sequence;
  const raw = `raw_${id}`;
  if (sniffed.kind === 'parquet') return stageParquet(engine, file, raw, sniffed.format, sniffed.bytes, options);
  if (sniffed.kind === 'records') return stageRecords(engine, file, raw, sniffed.format, sniffed.staged, options);
  const delimiter = `, delim = '${sniffed.delimiter === '\t' ? '\\t' : sniffed.delimiter}'`;
  const slices: CsvSlice[] = [];
  const count = sniffed.parts.length > 1 ? sniffed.parts.length : 0;
  const s: Staged = {
    file, raw, parts: [], files: count, format: sniffed.format, warnings: [], rolledUp: null, today: options.today, preset: false, defaults: {},
    uncounted: slices, quotes: sniffed.hasQuotes, padded: sniffed.padded,
  };
  let columns: string[] = [];
  try {
    for (const [k, contents] of sniffed.parts.entries()) {
      checkAbort(options.signal);
      // No registered name may begin another: the browser's file system matches a name as a prefix
      // (`raw_1_f1` would also read `raw_1_f10`).
      const name = sniffed.parts.length === 1 ? `${raw}.csv` : `${raw}_f${k}.csv`;
      await engine.registerFile(name, contents);
      const part = sniffed.parts.length === 1 ? raw : `${raw}_p${k}`;
      try {
        // Each slice is sniffed as a whole file is (quoting from a sample of its rows); a slice
        // whose columns differ from the first's is refused rather than read differently.
        const dialect = await sniffDialect(engine, name, delimiter);
        const found = dialect.columns;
        if (k === 0) columns = found;
        else if (found.join('\u0000') !== columns.join('\u0000')) throw new Error(`the rows after data row ${await rowsIn(engine, slices)} read as other columns (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''})`);
        // Every read skips the same malformed lines (store_rejects implies ignore_errors): the one
        // that records them is the one that counts the rows.
        const read = (extra = ', ignore_errors = true') => `read_csv(${quoteLiteral(name)}, header = true${delimiter}, ${dialect.options},
          compression = 'none', ${LINE_LIMITS}${extra})`;
        slices.push({ k, name, part, read, rejects: `${raw}_rej${k}`, scan: `${raw}_scan${k}` });
        // Numbered from 1 in each slice until the rows are counted: enough to look at the columns.
        await engine.exec(`CREATE OR REPLACE TEMP VIEW ${part} AS SELECT (row_number() OVER ())::BIGINT AS source_row, * FROM ${read()}`);
        s.parts.push(part);
      } catch (error) {
        throw new NotALogError(file.name, `could not be read as ${sniffed.format.toUpperCase()}: ${engineMessage(error, name, file.name)}`);
      }
    }
  } catch (error) {
    await dropStaged(engine, raw, count);
    throw error;
  }
  return s;
}

interface CsvSlice {
  k: number;
  /** The slice's name in the engine's file system. */
  name: string;
  part: string;
  read: (extra?: string) => string;
  rejects: string;
  scan: string;
}

const storeRejects = (c: CsvSlice) => `, store_rejects = true, rejects_table = '${c.rejects}', rejects_scan = '${c.scan}'`;

/**
 * One pass over each slice that counts its rows, finds its malformed lines and the quotes never
 * closed, and numbers the rows across slices (what a roll-up needs before validation, for it
 * groups rows across slices). The rows themselves are not copied: validation reads the file again.
 */
async function countSlices(engine: Engine, s: Staged, signal: AbortSignal | undefined): Promise<void> {
  const quotes = s.quotes === true;
  const slices = s.uncounted!;
  const columns = await columnsOf(engine, slices[0]!.part);
  const unclosed: number[] = [];
  let rows = 0;
  let base = 0;
  for (const c of slices) {
    checkAbort(signal);
    let counted: Record<string, number>;
    try {
      // Every column is read (a column left out is not checked, e.g. for invalid UTF-8).
      const perColumn = columns.map((col, i) => `, ${quotes ? `count(*) FILTER (WHERE ${unclosedQuoteSql(quoteIdent(col))})::BIGINT` : `count(${quoteIdent(col)})`} AS q${i}`);
      [counted] = (await engine.query<Record<string, number>>(`SELECT count(*)::BIGINT AS n${perColumn.join('')} FROM ${c.read(storeRejects(c))}`)) as [Record<string, number>];
    } catch (error) {
      throw new NotALogError(s.file.name, `could not be read as ${s.format.toUpperCase()}: ${engineMessage(error, c.name, s.file.name)}`);
    }
    columns.forEach((_, i) => (unclosed[i] = (unclosed[i] ?? 0) + Number(counted[`q${i}`])));
    // Data rows are numbered from 1 after the header, across slices (ROW_NUMBER() OVER () streams
    // in file order); a rejected line still counts as a row read. The roll-up that follows reads
    // them once, on any engine, so none is copied to be numbered (see `validateCounting`).
    const numbered = `SELECT (row_number() OVER () + ${base})::BIGINT AS source_row, * FROM ${c.read()}`;
    const rejected = await lineRejects(engine, s.raw, c, base);
    if (rejected.length === 0) {
      await engine.exec(`CREATE OR REPLACE TEMP VIEW ${c.part} AS ${numbered}`);
    } else {
      await engine.exec(`CREATE OR REPLACE TEMP TABLE ${c.part}__numbered AS ${numbered};
        DROP VIEW ${c.part}; ALTER TABLE ${c.part}__numbered RENAME TO ${c.part};
        UPDATE ${c.part} SET source_row = ${shiftedRowSql(base, rejected)} WHERE source_row > ${base};`);
    }
    rows += Number(counted.n);
    base += Number(counted.n) + rejected.length;
  }
  await unionLineRejects(engine, s.raw, slices.length);
  s.uncounted = undefined;
  s.rows = rows;
  if (quotes) s.warnings.push(...columns.map((c, i) => unclosedWarning(c, unclosed[i]!)).filter((w) => w.rows > 0));
}

const unclosedWarning = (column: string, rows: number): NormalisationWarning => ({ column, from: 'a quote that is never closed', to: 'kept as text to the end of the line', rows });

/**
 * The malformed lines a read of slice `c` recorded, kept as rejected rows in `${raw}_lrej${k}`;
 * returns their lines in the slice, in order.
 */
async function lineRejects(engine: Engine, raw: string, c: CsvSlice, base: number): Promise<number[]> {
  const rejected = (await engine.query<{ line: number }>(`SELECT DISTINCT line::BIGINT AS line FROM ${c.rejects} ORDER BY line`)).map((r) => Number(r.line));
  // DuckDB records one error per problem: a short row can appear once per missing field.
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw}_lrej${c.k} AS SELECT (line - 1 + ${base})::BIGINT AS source_row, NULL::VARCHAR AS "column",
      any_value(csv_line) AS value,
      'malformed line: ' || string_agg(DISTINCT ${CSV_ERROR_TEXT}, '; ' ORDER BY ${CSV_ERROR_TEXT}) AS reason
    FROM ${c.rejects} GROUP BY line;
    DROP TABLE IF EXISTS ${c.rejects}; DROP TABLE IF EXISTS ${c.scan};`);
  return rejected;
}

async function unionLineRejects(engine: Engine, raw: string, slices: number) {
  const each = Array.from({ length: slices }, (_, k) => `${raw}_lrej${k}`);
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw}_lrej AS ${each.map((p) => `SELECT * FROM ${p}`).join(' UNION ALL ')};
    ${each.map((p) => `DROP TABLE ${p};`).join(' ')}`);
}

/** Data rows (malformed lines included) in the slices read so far: where a message about the next one points. */
async function rowsIn(engine: Engine, slices: CsvSlice[]): Promise<number> {
  let rows = 0;
  for (const c of slices) {
    const [counted] = await engine.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${c.read(storeRejects(c))}`);
    const [lines] = await engine.query<{ n: number }>(`SELECT count(DISTINCT line)::BIGINT AS n FROM ${c.rejects}`);
    await engine.exec(`DROP TABLE IF EXISTS ${c.rejects}; DROP TABLE IF EXISTS ${c.scan}`);
    rows += Number(counted!.n) + Number(lines!.n);
  }
  return rows;
}

/**
 * A row numbered from `base` as read, shifted past the malformed lines before it (each still a row
 * read): the rows after the j-th rejected line of the slice move by j + 1.
 */
function shiftedRowSql(base: number, rejectedLines: number[]): string {
  const thresholds = rejectedLines.map((line, j) => base + line - 1 - (j + 1));
  return `(source_row + len(list_filter([${thresholds.join(',')}], t -> t < source_row)))`;
}

/**
 * Lines up to 16 MiB (a whole API response in a field). The buffer is named too: by default it is
 * sixteen times the longest line, and one 256 MiB buffer made the sniffer read a 135 MB file whole
 * (450 ms instead of 75, natively) and native DuckDB read it 4× slower than in 16 MiB buffers.
 */
const LINE_LIMITS = 'max_line_size = 16777216, buffer_size = 16777216';

/**
 * The dialect DuckDB's sniffer finds in a staged CSV file, as read_csv options that skip the
 * sniffer. Without them every statement that names the file sniffs it again when it is bound
 * (views included, even by a look at the catalog): 50–600 ms each time on a million rows.
 */
export async function sniffDialect(engine: Engine, name: string, delimiter: string): Promise<{ options: string; columns: string[] }> {
  const [found] = await engine.query<{ quote: string; escape: string; newline: string; comment: string; skip: number; columns: { name: string }[] }>(`
    SELECT Quote AS quote, Escape AS escape, NewLineDelimiter AS newline, Comment AS comment, SkipRows::INTEGER AS skip, Columns AS columns
    FROM sniff_csv(${quoteLiteral(name)}, all_varchar = true, header = true${delimiter}, compression = 'none',
      ${LINE_LIMITS}, sample_size = 20480, ignore_errors = true)`);
  const char = (text: string) => quoteLiteral(text === '(empty)' ? '' : text);
  const columns = found!.columns.map((c) => c.name);
  const typed = columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ');
  return {
    options: `auto_detect = false, quote = ${char(found!.quote)}, escape = ${char(found!.escape)}, new_line = ${char(found!.newline)},
      comment = ${char(found!.comment)}, skip = ${Number(found!.skip)}, columns = {${typed}}`,
    columns,
  };
}

/** Text rows parsed in JS (JSON, or Parquet with nested columns) become the staged table. */
async function stageRecords(engine: Engine, file: LogFile, raw: string, format: string, staged: StagedRows, options: ReadOptions & { today: string }): Promise<Staged> {
  options.onProgress?.(`Staging ${file.name}`, 0.9);
  if (staged.rows.length === 0) {
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} (source_row BIGINT, ${staged.columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ') || 'timestamp VARCHAR, model VARCHAR'})`);
  } else {
    const rows = staged.rows.map((r, i) => [String(staged.sourceRows[i]), ...r]);
    await engine.insertText(`${raw}_text`, ['source_row', ...staged.columns], rows);
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT source_row::BIGINT AS source_row, * EXCLUDE (source_row) FROM ${raw}_text;
      DROP TABLE ${raw}_text;`);
  }
  await createLineRejects(engine, raw, staged.rejects);
  return { file, raw, parts: [raw], format, warnings: [...staged.warnings], rolledUp: null, today: options.today, preset: staged.preset === true, defaults: {} };
}

/**
 * Parquet is decoded by the engine (typed, no JS object per row) and read as text, so the
 * same validation applies and an INT64 keeps every digit. Files whose columns are nested
 * (a whole API response per row) are read as records, like JSON.
 */
async function stageParquet(engine: Engine, file: LogFile, raw: string, format: string, bytes: Uint8Array | Blob, options: ReadOptions & { today: string; within?: RowBudget }): Promise<Staged> {
  const pq = `${raw}_pq`;
  const { today } = options;
  let chunks: number;
  let rows: number | undefined;
  try {
    ({ chunks, rows } = await engine.attachParquet(pq, bytes, { chunkRows: options.parquetChunkRows }));
  } catch (error) {
    throw new NotALogError(file.name, `could not be read as Parquet: ${firstLine(error)}`);
  }
  if (options.within && rows !== undefined && !(await isCubeFile(engine, pq))) {
    try {
      withinBudget(options.within, file.name, rows);
    } catch (error) {
      await engine.dropFile(pq);
      throw error;
    }
  }
  // A cube, or nested columns read as records, is read whole.
  const whole = async () => {
    if (chunks > 1) await engine.readParquetChunk(pq, 'all');
  };
  if (await isCubeFile(engine, pq)) {
    await whole();
    return { file, raw, parts: [raw], format: `usage cube (${format})`, warnings: [], rolledUp: null, cube: true, today, preset: false, defaults: {} };
  }
  const columns = (await engine.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE ${pq})`))
    .filter((c) => c.column_name !== '__row');
  if (columns.some((c) => /STRUCT|MAP|UNION|\[\]/.test(c.column_type))) {
    await whole();
    const rows = await engine.query<JsonRecord>(`SELECT * EXCLUDE (__row) FROM ${pq} ORDER BY __row`);
    const staged = recordsToRows(file.name, { records: rows.map((value, i) => ({ row: i + 1, value })), rejects: [] }, 'parquet');
    return stageRecords(engine, file, raw, format, staged, { today });
  }
  const select = columns.map((c) => `CAST(${quoteIdent(c.column_name)} AS VARCHAR) AS ${quoteIdent(c.column_name.toLowerCase() === 'source_row' ? 'file_source_row' : c.column_name)}`);
  await engine.exec(`CREATE OR REPLACE TEMP VIEW ${raw} AS SELECT __row AS source_row${select.map((c) => `, ${c}`).join('')} FROM ${pq}`);
  await createLineRejects(engine, raw, []);
  return {
    file, raw, parts: Array.from({ length: chunks }, () => raw), format, warnings: [], rolledUp: null, today, preset: false, defaults: {},
    ...(chunks > 1 ? { chunked: { pq, current: 0 } } : {}),
  };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

const CSV_ERROR_TEXT = `CASE error_type
    WHEN 'MISSING COLUMNS' THEN 'too few fields (the header has ' || regexp_extract(error_message, 'Expected Number of Columns: (\\d+)', 1) || ')'
    WHEN 'TOO MANY COLUMNS' THEN 'too many fields (the header has ' || regexp_extract(error_message, 'Expected Number of Columns: (\\d+)', 1) || ')'
    WHEN 'INVALID UNICODE' THEN 'not valid UTF-8 text'
    WHEN 'INVALID ENCODING' THEN 'not valid UTF-8 text'
    WHEN 'UNQUOTED VALUE' THEN 'text after a closing quote'
    WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the line is too long'
    ELSE lower(error_type) END`;

/** An engine error as a user can read it: the user's file and data row, not an internal name or a line count. */
function engineMessage(error: unknown, internal: string, file: string): string {
  return String(error instanceof Error ? error.message : error)
    .split('\n')[0]!
    .replaceAll(internal, file)
    .replace(/^[A-Za-z ]+Error: /, '')
    .replace(/CSV Error on Line: (\d+)/, (_, line: string) => (Number(line) <= 1 ? 'an error in the header line' : `an error in data row ${Number(line) - 1}`));
}

/**
 * Accepted rows that are priced as they stand but deserve a word: the same request id on
 * several rows of a log without attempt numbers (each is counted as its own request), and
 * timestamps more than a year after today (priced at the price in force on that date).
 */
async function acceptedRowWarnings(engine: Engine, s: Staged, stagedTable: string, mapping: ColumnMapping): Promise<NormalisationWarning[]> {
  const warnings: NormalisationWarning[] = [];
  if (!s.rolledUp && mapping.mapped.has('request_id')) {
    const [dup] = await engine.query<{ rows: number; example: string | null }>(`
      SELECT COALESCE(sum(n), 0)::BIGINT AS rows, min(request_id) AS example FROM (
        SELECT request_id, count(*) AS n FROM ${stagedTable} WHERE errors IS NULL GROUP BY request_id HAVING count(*) > 1)`);
    if (dup!.rows > 0) {
      warnings.push({ column: 'request_id', from: `the same id on several rows (e.g. "${dup!.example}")`, to: 'each row counted as its own request', rows: dup!.rows });
    }
  }
  const [future] = await engine.query<{ rows: number; latest: string | null; limit: string }>(`
    SELECT count(*)::BIGINT AS rows, strftime(max(ts), '%Y-%m-%d') AS latest, any_value(strftime(d.limit_day, '%Y-%m-%d')) AS limit
    FROM ${stagedTable}, (SELECT (${quoteLiteral(s.today)}::DATE + INTERVAL 1 YEAR)::DATE AS limit_day) d
    WHERE errors IS NULL AND ts >= d.limit_day + INTERVAL 1 DAY`);
  if (future!.rows > 0) {
    warnings.push({ column: 'timestamp', from: `after ${future!.limit}, a year from today (latest ${future!.latest})`, to: 'priced at the price in force on that date', rows: future!.rows });
  }
  return warnings;
}

/**
 * A log with a timestamp column empty in every row needs a time chosen for it. Asked of the checked
 * rows, where the first dated one answers, rather than of the file before: that read cost ≈ 0.2 s
 * in Chromium on every load.
 */
async function checkDated(engine: Engine, s: Staged, stagedTable: string, mapping: ColumnMapping): Promise<void> {
  const column = mapping.mapped.get('timestamp');
  if (s.defaults.timestamp || column === undefined) return;
  const missing = `len(list_filter(errors, e -> e.column = 'timestamp' AND e.reason = 'missing')) > 0`;
  const [dated] = await engine.query(`SELECT 1 FROM ${stagedTable} WHERE errors IS NULL OR NOT ${missing} LIMIT 1`);
  if (dated) return;
  const [rows] = await engine.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stagedTable}`);
  if (rows!.n > 0) throw new NeedsTimeError(s.file.name, `every ${column} is empty`);
}

/** Validation writes the file's typed rows once, into a part table of its own, a statement per slice. */
async function validateParts(engine: Engine, s: Staged, mapping: ColumnMapping, signal: AbortSignal | undefined, progress: CheckProgress): Promise<string> {
  const stagedTable = `requests_part_${++sequence}`;
  if (s.uncounted) {
    await validateCounting(engine, s, s.uncounted, stagedTable, mapping, signal, progress);
    return stagedTable;
  }
  for (const k of s.parts.keys()) {
    checkAbort(signal);
    const part = await showPart(engine, s, k);
    await engine.exec(buildValidationSql(part, stagedTable, mapping, s.file.name, s.defaults, { append: k > 0, padded: s.padded }));
    if (s.parts.length > 1) progress((k + 1) / s.parts.length);
  }
  return stagedTable;
}

/**
 * Validation that counts: each slice is read once, recording its malformed lines as it goes, and
 * its rows are renumbered past them afterwards (rows are numbered as `countSlices` numbers them).
 */
async function validateCounting(engine: Engine, s: Staged, slices: CsvSlice[], stagedTable: string, mapping: ColumnMapping, signal: AbortSignal | undefined, progress: CheckProgress) {
  let rows = 0;
  let base = 0;
  for (const c of slices) {
    checkAbort(signal);
    const source = `${c.part}_rows`;
    try {
      // A window numbering rows as they are read runs the read on one thread: a parallel engine
      // copies the slice and numbers it by the copy's row ids (CREATE TABLE AS keeps the file's
      // order). Checking the slice as it is read and numbering the part's rows after, with no copy,
      // was tried and was slower: the CLI on 1M rows 8.2 s against 7.1 (docs/scale.md).
      await engine.exec(engine.parallel
        ? `CREATE OR REPLACE TEMP TABLE ${c.part}_copy AS SELECT * FROM ${c.read(storeRejects(c))};
          CREATE OR REPLACE TEMP VIEW ${source} AS SELECT (rowid + 1 + ${base})::BIGINT AS source_row, * FROM ${c.part}_copy`
        : `CREATE OR REPLACE TEMP VIEW ${source} AS SELECT (row_number() OVER () + ${base})::BIGINT AS source_row, * FROM ${c.read(storeRejects(c))}`);
      await engine.exec(buildValidationSql(source, stagedTable, mapping, s.file.name, s.defaults, { append: c.k > 0, quotes: s.quotes, padded: s.padded }));
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new NotALogError(s.file.name, `could not be read as ${s.format.toUpperCase()}: ${engineMessage(error, c.name, s.file.name)}`);
    } finally {
      await engine.exec(`DROP VIEW IF EXISTS ${source}; DROP TABLE IF EXISTS ${c.part}_copy`);
    }
    const [counted] = await engine.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stagedTable} WHERE source_row > ${base}`);
    const rejected = await lineRejects(engine, s.raw, c, base);
    if (rejected.length > 0) {
      // The rows after a malformed line were numbered as if it were not there: they move past it, and
      // so does a request id made of the row's number (a log without ids).
      const shifted = shiftedRowSql(base, rejected);
      await engine.exec(`UPDATE ${stagedTable}
        SET request_id = CASE WHEN id_from_row THEN ${quoteLiteral(s.file.name)} || '#' || ${shifted} ELSE request_id END, source_row = ${shifted}
        WHERE source_row > ${base + rejected[0]! - 2}`);
    }
    rows += Number(counted!.n);
    base += Number(counted!.n) + rejected.length;
    if (slices.length > 1) progress((c.k + 1) / slices.length, base);
  }
  await unionLineRejects(engine, s.raw, slices.length);
  s.rows = rows;
  if (!s.quotes) return;
  const counted = await engine.query<{ column: string; rows: number }>(`
    SELECT c AS column, count(*)::BIGINT AS rows FROM (SELECT unnest(unclosed) AS c FROM ${stagedTable} WHERE unclosed IS NOT NULL) GROUP BY c`);
  const header = await columnsOf(engine, slices[0]!.part);
  counted.sort((a, b) => header.indexOf(a.column) - header.indexOf(b.column));
  s.warnings.push(...counted.map((w) => unclosedWarning(w.column, Number(w.rows))));
}

/**
 * Makes a validated part one of `requests`: its rejected rows are copied out to `load_rejects`
 * and deleted, so no second copy of the log is made; its warnings and counts are recorded.
 */
async function registerPart(engine: Engine, s: Staged, stagedTable: string, mapping: ColumnMapping, preview: number): Promise<FileDiagnostics> {
  const fileLit = quoteLiteral(s.file.name);
  s.warnings.push(...(await acceptedRowWarnings(engine, s, stagedTable, mapping)));
  // Row ids only need to be unique and follow the file: offsetting the (unique) source row
  // avoids a window and a sort over every row, which took longer than the validation itself.
  const [base] = await engine.query<{ base: number }>(`SELECT COALESCE(max(base + rows), 0)::BIGINT AS base FROM request_parts`);
  await engine.exec(`
    INSERT INTO load_rejects
      SELECT ${fileLit}, source_row, "column", value, reason FROM ${s.raw}_lrej ORDER BY source_row;
    INSERT INTO load_rejects
      SELECT ${fileLit}, source_row, e.column, e.value, e.reason
      FROM (SELECT source_row, unnest(errors) AS e FROM ${stagedTable} WHERE errors IS NOT NULL)
      ORDER BY source_row;`);
  for (const n of NORMALISED_COLUMNS) {
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, '${n.column}', ${n.text}, ${n.value}, count(*) FROM ${stagedTable}
      WHERE errors IS NULL AND ${n.text} IS NOT NULL AND ${n.text} <> ${n.value}
      GROUP BY ALL ORDER BY ALL`);
  }
  if (s.defaults.timestamp) {
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, 'timestamp', '(not in the log)', ${quoteLiteral(`${s.defaults.timestamp} UTC (your choice)`)}, count(*) FROM ${stagedTable}
      WHERE errors IS NULL AND ts_defaulted HAVING count(*) > 0`);
  }
  for (const column of ['image_size', 'lane', 'provider'] as const) {
    const value = s.defaults[column];
    if (value === undefined || mapping.mapped.has(column)) continue;
    await engine.exec(`INSERT INTO load_warnings
      SELECT ${fileLit}, '${column}', '(not in the log)', ${quoteLiteral(`${value} (your choice)`)}, count(*) FROM ${stagedTable}
      WHERE errors IS NULL HAVING count(*) > 0`);
  }
  // Rolled-up attempt logs count the file's rows behind each request.
  const weight = s.rolledUp ? `(SELECT __attempt_rows FROM ${s.raw} r WHERE r.source_row = t.source_row)` : '1';
  const [counts] = await engine.query<{ staged: number; accepted: number; lines: number }>(
    `SELECT COALESCE(sum(${weight}), 0)::BIGINT AS staged, COALESCE(sum(${weight}) FILTER (WHERE errors IS NULL), 0)::BIGINT AS accepted,
       (SELECT count(DISTINCT source_row) FROM ${s.raw}_lrej) AS lines
     FROM ${stagedTable} t`,
  );
  for (const d of mapping.duplicates) {
    s.warnings.push({ column: d.canonical, from: `"${d.column}" (also in the file, not read)`, to: `read from "${d.kept}"`, rows: counts!.staged });
  }
  for (const w of s.warnings) {
    await engine.query(`INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?)`, [s.file.name, w.column, w.from, w.to, w.rows]);
  }
  if (!s.rolledUp && s.rows !== undefined && counts!.staged !== s.rows) {
    throw new Error(`${s.file.name}: ${s.rows} rows were counted on the first read and ${counts!.staged} on the second; nothing was loaded`);
  }
  await engine.exec(`DELETE FROM ${stagedTable} WHERE errors IS NOT NULL`);
  await engine.query(`INSERT INTO request_parts VALUES (?, ?, ?, (SELECT COALESCE(max(source_row), 0) FROM ${stagedTable}))`, [stagedTable, s.file.name, base!.base]);
  await engine.exec(requestsViewSql(await requestParts(engine)));
  const rowsRead = counts!.staged + counts!.lines;
  const rowsAccepted = counts!.accepted;
  await engine.query(`INSERT INTO load_files VALUES (?, ?, ?, ?, ?)`, [s.file.name, s.format, rowsRead, rowsAccepted, rowsRead - rowsAccepted]);
  // The first rows, each with every one of its problems.
  const rejects = await engine.query<RejectedRow>(
    `SELECT source_file AS file, source_row AS row, "column" AS column, value, reason FROM load_rejects
     WHERE source_file = ? AND source_row IN (
       SELECT DISTINCT source_row FROM load_rejects WHERE source_file = ? ORDER BY source_row LIMIT ?)
     ORDER BY source_row, "column" NULLS FIRST`,
    [s.file.name, s.file.name, preview],
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
