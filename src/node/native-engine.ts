import { closeSync, createWriteStream, mkdtempSync, openAsBlob, openSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTypeId,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBResultReader,
} from '@duckdb/node-api';
import { createTextTableSql, inlineParams, sessionSetup, type Engine, type Row, type SqlParam, type TextRow } from '../db/engine';

/**
 * Native DuckDB (@duckdb/node-api, pinned to the DuckDB release inside the wasm build) for the
 * CLI and scripts: the same SQL builders as the browser, on every core and with disk spilling,
 * so logs larger than a tab are summarised where they live. Results are shaped exactly as the
 * wasm engine shapes them (see `arrowToRows`), and a test requires identical reports from both.
 * `logs` are the files about to be loaded: where they fit in memory (`fitsInMemory`) the log is
 * kept there uncompressed, else in a private file (`sessionSetup`); without them, in the file.
 */
export async function openNativeEngine(options: { threads?: number; memoryLimit?: string; logs?: readonly string[] } = {}): Promise<Engine & { readonly native: true; readonly store: 'plain' | 'file' }> {
  const instance = await DuckDBInstance.create(':memory:', {
    ...(options.threads ? { threads: String(options.threads) } : {}),
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
  });
  const conn: DuckDBConnection = await instance.connect();
  // Registered buffers become files in a private folder that DuckDB searches for bare names.
  const folder = mkdtempSync(join(tmpdir(), 'pixelspend-'));
  const limit = rowsOf<{ limit: string }>(await conn.runAndReadAll("SELECT current_setting('memory_limit') AS \"limit\""))[0]!.limit;
  const store = options.logs && fitsInMemory(options.logs.map(logSize), parseSize(limit)) ? 'plain' : 'file';
  for (const statement of sessionSetup(store === 'plain' ? 'plain' : { file: join(folder, 'store.duckdb') })) await conn.run(statement);
  await conn.run(`SET file_search_path = '${folder.replace(/'/g, "''")}'`);
  await conn.run(`SET temp_directory = '${join(folder, 'spill').replace(/'/g, "''")}'`);
  const version = rowsOf<{ version: string }>(await conn.runAndReadAll('SELECT version() AS version'))[0]!.version;

  return {
    native: true,
    store,
    parallel: options.threads !== 1,
    // Each slice of a CSV is copied into a table to be checked on every core: the slice bounds that copy.
    sliceBytes: 512 * 2 ** 20,
    version,
    async query<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const inlined = params.length > 0 ? inlineParams(sql, params) : sql;
      return rowsOf<T>(await (inlined !== undefined ? conn.runAndReadAll(inlined) : conn.runAndReadAll(sql, [...params])));
    },
    async exec(sql: string) {
      await conn.run(sql);
    },
    async registerFile(name: string, contents: Uint8Array | Blob) {
      await writeInto(join(folder, name), contents);
    },
    async dropFile(name: string) {
      rmSync(join(folder, name), { force: true });
    },
    async insertText(table: string, columns: readonly string[], rows: readonly TextRow[]) {
      await conn.run(createTextTableSql(table, columns));
      const appender = await conn.createAppender(table);
      const CHUNK = 2048;
      for (let start = 0; start < rows.length; start += CHUNK) {
        const slice = rows.slice(start, start + CHUNK);
        const chunk = DuckDBDataChunk.create(columns.map(() => VARCHAR), slice.length);
        chunk.setColumns(columns.map((_, c) => slice.map((row) => row[c] ?? null)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
      appender.closeSync();
    },
    async attachParquet(name: string, contents: Uint8Array | Blob) {
      await writeInto(join(folder, name), contents);
      await conn.run(`CREATE OR REPLACE TEMP VIEW ${name} AS
        SELECT (file_row_number + 1)::BIGINT AS __row, * EXCLUDE (file_row_number) FROM read_parquet('${name}', file_row_number = true)`);
      // Read where it lies, as the statements that name it run: one chunk, however large.
      return { chunks: 1 };
    },
    async readParquetChunk() {},
    async cancel() {
      conn.interrupt();
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A log's size on disk, and whether it is compressed (Parquet, gzip), which holds ≈ 4× the rows per byte. */
export interface LogSize {
  readonly bytes: number;
  readonly compressed: boolean;
}

/** Compressed as the reader will find it: by the file's first bytes, whatever its name. */
export function logSize(path: string): LogSize {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return { bytes: statSync(path).size, compressed: head.toString('latin1') === 'PAR1' || (head[0] === 0x1f && head[1] === 0x8b) };
}

/**
 * Whether logs this large are held in memory uncompressed, within half of DuckDB's memory limit.
 * A 1M-row CSV of the sample's shape (135 MB) peaked at 0.85 GB there, and is 37 MB as Parquet: a
 * text byte is counted as 8 and a compressed one as 32, so the estimate errs large. Too large an
 * estimate costs time (the file store), never a result.
 */
export function fitsInMemory(logs: readonly LogSize[], memoryLimitBytes: number): boolean {
  const estimate = logs.reduce((sum, log) => sum + log.bytes * (log.compressed ? 32 : 8), 0);
  return Number.isFinite(memoryLimitBytes) && estimate <= memoryLimitBytes / 2;
}

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** DuckDB's memory limit as it prints it ("19.1 GiB", "4.0 GB") in bytes; NaN when it is not a size. */
export function parseSize(text: string): number {
  const match = /^\s*([\d.]+)\s*([KMGT]?I?B)\s*$/i.exec(text);
  return match ? Number(match[1]) * UNITS[match[2]!.toUpperCase()]! : NaN;
}

const filePaths = new WeakMap<Blob, string>();

/**
 * A log on disk, opened as a Blob (nothing is read yet). Native DuckDB reads such a file where it
 * lies when it is handed over whole: copying a 135 MB CSV into the engine's folder took a second.
 */
export async function openLogFile(path: string): Promise<Blob> {
  const blob = await openAsBlob(path);
  filePaths.set(blob, resolve(path));
  return blob;
}

/**
 * A file `openLogFile` opened is linked; any other Blob (a slice of one) is streamed to disk, so a
 * log of gigabytes never sits in memory. DuckDB only reads what it is given: the link never writes.
 */
async function writeInto(path: string, contents: Uint8Array | Blob): Promise<void> {
  const original = contents instanceof Blob ? filePaths.get(contents) : undefined;
  if (original && link(original, path)) return;
  if (contents instanceof Blob) await pipeline(Readable.fromWeb(contents.stream() as WebReadableStream<Uint8Array>), createWriteStream(path));
  else writeFileSync(path, contents);
}

/** A symbolic link, where the system allows one (Windows may not): false, and the file is copied. */
function link(target: string, path: string): boolean {
  try {
    symlinkSync(target, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plain rows shaped as the wasm engine gives them: BIGINT a number when safe and a string
 * otherwise, TIMESTAMP and DATE epoch milliseconds, and DECIMAL (or HUGEINT) refused so a
 * builder casts money deliberately.
 */
function rowsOf<T>(reader: DuckDBResultReader): T[] {
  const names = reader.columnNames();
  reader.columnTypes().forEach((type, i) => {
    if (type.typeId === DuckDBTypeId.DECIMAL || type.typeId === DuckDBTypeId.HUGEINT || type.typeId === DuckDBTypeId.UHUGEINT) {
      throw new Error(`column "${names[i]}" is ${type.toString()}: cast it to VARCHAR (exact) or DOUBLE (display) in the SQL`);
    }
  });
  return reader.getRowObjectsJS().map((row) => {
    const out: Row = {};
    for (const [key, value] of Object.entries(row)) out[key] = plain(value);
    return out as T;
  });
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value ?? null;
}
