import { quoteIdent } from './sql/identifiers';

/** A value for a `?` placeholder. User input reaches SQL only this way (`inlineParams` writes it in, quoted). */
export type SqlParam = string | number | boolean | null;

export type Row = Record<string, unknown>;

/** A row of text values (NULL as null), in the order of its table's columns. */
export type TextRow = readonly (string | null)[];

/**
 * The one database interface: the browser (DuckDB-WASM in a Web Worker) and Node
 * (DuckDB-WASM's blocking Node build) both implement it, so every SQL builder runs
 * on the same engine in the app, the CLI and the tests.
 */
export interface Engine {
  /** Runs SQL and returns plain rows; params fill its `?` placeholders (`inlineParams`). */
  query<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs statements that return nothing of interest (DDL, INSERT …). */
  exec(sql: string): Promise<void>;
  /**
   * Makes a file readable by SQL under `name` (e.g. `read_csv('name')`). The browser reads a
   * Blob (a File the user chose) where it lies; bytes are handed over and must not be used after.
   */
  registerFile(name: string, contents: Uint8Array | Blob): Promise<void>;
  dropFile(name: string): Promise<void>;
  /**
   * Creates `table`, every column VARCHAR, holding `rows`: values cross as text and SQL casts them,
   * so none is guessed on the way in and nothing user-supplied is spliced into SQL.
   */
  insertText(table: string, columns: readonly string[], rows: readonly TextRow[]): Promise<void>;
  /**
   * Makes a Parquet file readable as relation `name`, typed as the file types it, with a
   * leading `__row` column (1-based row of the file). Decoded without JS objects per row; a
   * Blob (a File, or a file Node opened) is read by whoever decodes it, not by the caller.
   * An engine that decodes into memory (the wasm builds) holds the file in `chunks` of whole row
   * groups (`parquetChunks`), one at a time: `name` shows chunk 0 until `readParquetChunk`; it
   * reads the file's footer first, and says how many `rows` the file holds.
   */
  attachParquet(name: string, contents: Uint8Array | Blob, options?: { chunkRows?: number }): Promise<{ chunks: number; rows?: number }>;
  /** Makes `name` (see `attachParquet`) show chunk `chunk` of its file, or every row of it. */
  readParquetChunk(name: string, chunk: number | 'all'): Promise<void>;
  /** Cancels the query in flight, if any (best effort). */
  cancel(): Promise<void>;
  close(): Promise<void>;
  readonly version: string;
  /**
   * Runs a statement on several threads (native DuckDB). Numbering rows with a window as they are
   * read would serialise the read there, so a CSV is first copied into a table (in file order)
   * and numbered by its row ids; single-threaded, the window costs nothing and the copy is saved.
   */
  readonly parallel?: boolean;
  /**
   * Bytes of a CSV checked per statement (default 128 MiB): the browser's engine holds a statement's
   * new rows uncompressed until it ends; native DuckDB writes them to its file as they come.
   */
  readonly sliceBytes?: number;
}

/** Where the log's tables live: see `sessionSetup`. */
export type Store = 'compressed' | 'plain' | { readonly file: string };

/**
 * Settings every connection gets. Extensions are not inside the wasm build and would be
 * fetched from the network on first use, which hangs in Node and fails offline in the
 * browser (duckdb-wasm#2252): refuse autoloading so a missing one fails fast.
 * The log's tables live in `store`:
 * - `compressed` (the wasm engine): DuckDB's default in-memory database stores columns
 *   uncompressed, and a million validated requests took 384 MB there against 30 MB here.
 * - `{ file }` (native DuckDB, a log too large for memory): a statement's new rows go to disk as
 *   they are written, where in memory they are held uncompressed until it ends, which ran a
 *   100M-row log past the machine's memory.
 * - `plain` (native DuckDB, a log that fits in memory): compressing rows, or writing them to a
 *   file, took ≈ 1 s of the CLI's 1M-row load; uncompressed blocks spill to the temp directory
 *   if memory runs short, only more slowly than a file.
 * What is rebuilt on every load or rate change (cubes, price keys, rate tables) is TEMP:
 * uncompressed, because compressing it cost more time than its few thousand rows save.
 */
export function sessionSetup(store: Store): string[] {
  const attach = store === 'compressed' ? "ATTACH ':memory:' AS store (COMPRESS)"
    : store === 'plain' ? "ATTACH ':memory:' AS store"
    : `ATTACH '${store.file.replace(/'/g, "''")}' AS store`;
  return ['SET autoload_known_extensions = false', 'SET autoinstall_known_extensions = false', attach, 'USE store'];
}

/** A value written as a DuckDB literal, or undefined where none says it exactly. */
function literal(value: SqlParam): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // In parentheses: a minus sign written after one (`a-?`) would open a comment.
    if (Number.isSafeInteger(value)) return value < 0 ? `(${value})` : String(value);
    return `CAST('${String(value)}' AS DOUBLE)`;
  }
  // The parser reads SQL as C text: a NUL would end the statement there.
  if (value.includes('\0')) return undefined;
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `sql` with each `?` placeholder (outside quotes and comments) replaced by its value as a quoted
 * literal; undefined when that cannot be done exactly (a NUL in text, a number that is not finite,
 * placeholders and values that do not pair up), and the caller prepares the statement instead.
 * DuckDB plans a prepared statement when it is prepared and again when it runs with its values:
 * written in, the report's query is planned once, ≈ 10 ms sooner in the wasm build.
 */
export function inlineParams(sql: string, params: readonly SqlParam[]): string | undefined {
  let out = '';
  let from = 0;
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end; // a doubled quote inside is read as the end and a fresh start: the same span
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (c === '?') {
      if (next >= params.length) return undefined;
      const text = literal(params[next++]!);
      if (text === undefined) return undefined;
      out += sql.slice(from, i) + text;
      from = i + 1;
    }
  }
  return next === params.length ? out + sql.slice(from) : undefined;
}

/** An empty all-VARCHAR table, as `insertText` creates one. */
export function createTextTableSql(table: string, columns: readonly string[]): string {
  return `CREATE TABLE ${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`;
}
