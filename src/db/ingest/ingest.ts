import { mapColumns, type ColumnMapping } from '../../domain/log-schema';
import type { Engine } from '../engine';
import { REQUESTS_DDL, RESET_LOG_SQL } from '../schema';
import { quoteLiteral } from '../sql/identifiers';
import { buildValidationSql, NORMALISED_COLUMNS, REQUEST_COLUMNS } from './validate';

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

/** A file that is not a request log at all: one clear message, nothing loaded from it. */
export class NotALogError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'NotALogError';
  }
}

export interface IngestOptions {
  mode?: LoadMode;
  onProgress?: (stage: string) => void;
  signal?: AbortSignal;
  rejectPreview?: number;
}

let sequence = 0;

export async function ensureLogTables(engine: Engine): Promise<void> {
  await engine.exec(REQUESTS_DDL);
}

export async function clearLogs(engine: Engine): Promise<void> {
  await engine.exec(RESET_LOG_SQL);
  await engine.exec(REQUESTS_DDL);
}

function checkAbort(signal?: AbortSignal) {
  if (signal?.aborted) throw new DOMException('Loading was cancelled', 'AbortError');
}

export function detectFormat(name: string): { format: 'csv' | 'tsv'; gzip: boolean } | null {
  const lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith('.tsv') || base.endsWith('.tab')) return { format: 'tsv', gzip };
  if (base.endsWith('.csv') || base.endsWith('.txt')) return { format: 'csv', gzip };
  return null;
}

/**
 * Loads log files into `requests`. For every file: rows read = accepted + rejected; each
 * rejected row is kept in `load_rejects` with file, row, column, value and reason. A file
 * that is not a log raises NotALogError and leaves what was loaded before untouched.
 */
export async function ingestFiles(engine: Engine, files: readonly LogFile[], options: IngestOptions = {}): Promise<FileDiagnostics[]> {
  await ensureLogTables(engine);
  const staged: { file: LogFile; raw: string; rejectedLines: number; format: string }[] = [];
  try {
    for (const file of files) {
      checkAbort(options.signal);
      options.onProgress?.(`Reading ${file.name}`);
      staged.push(await stageFile(engine, file));
    }
    const results: FileDiagnostics[] = [];
    const mappings: ColumnMapping[] = [];
    for (const s of staged) {
      const header = (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${s.raw})`))
        .map((r) => r.column_name)
        .filter((c) => c !== 'source_row');
      const mapping = mapColumns(header);
      if (mapping.missingRequired.length > 0) {
        throw new NotALogError(
          s.file.name,
          `not a request log: no ${mapping.missingRequired.join(' or ')} column (found ${header.slice(0, 8).join(', ') || 'no columns'}${header.length > 8 ? ', …' : ''}). See docs/log-format.md for the columns PixelSpend reads.`,
        );
      }
      mappings.push(mapping);
    }
    if (options.mode === 'replace') await clearLogs(engine);
    for (const [i, s] of staged.entries()) {
      checkAbort(options.signal);
      options.onProgress?.(`Checking ${s.file.name}`);
      results.push(await validateAndInsert(engine, s, mappings[i]!, options.rejectPreview ?? 50));
    }
    return results;
  } finally {
    for (const s of staged) {
      await engine.exec(`DROP TABLE IF EXISTS ${s.raw}`);
      await engine.dropFile(s.raw).catch(() => {});
    }
  }
}

async function stageFile(engine: Engine, file: LogFile) {
  const detected = detectFormat(file.name);
  if (!detected) {
    throw new NotALogError(file.name, 'unsupported file type: expected .csv, .tsv (optionally .gz)');
  }
  const id = ++sequence;
  const raw = `raw_${id}`;
  const rejects = `csv_rejects_${id}`;
  const scan = `csv_scan_${id}`;
  await engine.registerBuffer(raw, file.bytes);
  const delimiter = detected.format === 'tsv' ? `, delim = '\\t'` : '';
  try {
    await engine.exec(`
      CREATE OR REPLACE TEMP TABLE ${raw}_read AS
        SELECT * FROM read_csv(${quoteLiteral(raw)}, all_varchar = true, header = true${delimiter},
          compression = '${detected.gzip ? 'gzip' : 'none'}', store_rejects = true,
          rejects_table = '${rejects}', rejects_scan = '${scan}', sample_size = 20480)`);
  } catch (error) {
    throw new NotALogError(file.name, `could not be read as ${detected.format.toUpperCase()}: ${firstLine(error)}`);
  }
  const rejected = await engine.query<{ line: number; reason: string; csv_line: string }>(
    `SELECT line::BIGINT AS line, error_type || ': ' || error_message AS reason, csv_line FROM ${rejects} ORDER BY line`,
  );
  // Data rows are numbered from 1 after the header; a rejected line still counts as a row read.
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT (rowid + 1)::BIGINT AS source_row, * FROM ${raw}_read; DROP TABLE ${raw}_read;`);
  if (rejected.length > 0) {
    const thresholds = rejected.map((r, j) => r.line - 1 - (j + 1));
    await engine.exec(`UPDATE ${raw} SET source_row = source_row + (
      SELECT count(*) FROM (SELECT unnest([${thresholds.join(',')}]) AS t) WHERE t < ${raw}.source_row)`);
    await engine.exec(`INSERT INTO load_rejects SELECT ${quoteLiteral(file.name)}, line - 1, NULL, csv_line,
      'malformed line: ' || error_type || ' (' || error_message || ')' FROM ${rejects}`);
  }
  await engine.exec(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scan};`);
  return { file, raw, rejectedLines: rejected.length, format: detected.gzip ? `${detected.format}.gz` : detected.format };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

async function validateAndInsert(engine: Engine, s: { file: LogFile; raw: string; rejectedLines: number; format: string }, mapping: ColumnMapping, preview: number): Promise<FileDiagnostics> {
  const stagedTable = `${s.raw}_staged`;
  const fileLit = quoteLiteral(s.file.name);
  await engine.exec(buildValidationSql(s.raw, stagedTable, mapping, s.file.name));
  await engine.exec(`
    INSERT INTO requests
      SELECT (SELECT COALESCE(max(row_id), 0) FROM requests) + row_number() OVER (ORDER BY source_row),
        ${fileLit}, source_row, ${REQUEST_COLUMNS.join(', ')}
      FROM ${stagedTable} WHERE len(errors) = 0 ORDER BY source_row;
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
  const [counts] = await engine.query<{ staged: number; accepted: number }>(
    `SELECT count(*) AS staged, count(*) FILTER (WHERE len(errors) = 0) AS accepted FROM ${stagedTable}`,
  );
  await engine.exec(`DROP TABLE ${stagedTable}`);
  const rowsRead = counts!.staged + s.rejectedLines;
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
    ignoredColumns: mapping.ignored,
    mappedColumns: Object.fromEntries(mapping.mapped),
  };
}
