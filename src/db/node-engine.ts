import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  ConsoleLogger,
  createDuckDB,
  LogLevel,
  NODE_RUNTIME,
  type DuckDBConnection,
} from '@duckdb/duckdb-wasm/blocking';
import { arrowToRows, textIpc } from './arrow-rows';
import { createTextTableSql, inlineParams, sessionSetup, type Engine, type Row, type SqlParam, type TextRow } from './engine';
import { ParquetFiles } from './parquet-chunks';
import { PARQUET_READ } from './parquet-read';

/**
 * DuckDB-WASM's blocking Node build: the same engine the browser runs, so tests and the
 * CLI exercise exactly the SQL users get.
 */
export async function openNodeEngine(): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'));
  const bundles = {
    mvp: {
      mainModule: join(dist, 'duckdb-mvp.wasm'),
      mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs'),
    },
    eh: {
      mainModule: join(dist, 'duckdb-eh.wasm'),
      mainWorker: join(dist, 'duckdb-node-eh.worker.cjs'),
    },
  };
  const db = await createDuckDB(bundles, new ConsoleLogger(LogLevel.WARNING), NODE_RUNTIME);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: false } });
  const conn: DuckDBConnection = db.connect();
  for (const statement of sessionSetup('compressed')) conn.query(statement);
  const version = db.getVersion();
  const parquetFiles = new ParquetFiles();

  return {
    version,
    async query<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const inlined = params.length > 0 ? inlineParams(sql, params) : sql;
      if (inlined !== undefined) return arrowToRows<T>(conn.query(inlined));
      const statement = conn.prepare(sql);
      try {
        return arrowToRows<T>(statement.query(...params));
      } finally {
        statement.close();
      }
    },
    async exec(sql: string) {
      conn.query(sql);
    },
    async registerFile(name: string, contents: Uint8Array | Blob) {
      db.registerFileBuffer(name, contents instanceof Blob ? new Uint8Array(await contents.arrayBuffer()) : contents);
    },
    async dropFile(name: string) {
      if (!(await parquetFiles.drop(name))) db.dropFile(name);
    },
    async insertText(table: string, columns: readonly string[], rows: readonly TextRow[]) {
      if (rows.length === 0) conn.query(createTextTableSql(table, columns));
      else conn.insertArrowFromIPCStream(textIpc(columns, rows), { name: table, create: true });
    },
    async attachParquet(name: string, contents: Uint8Array | Blob, options = {}) {
      const { ParquetFile, readParquet } = await import('parquet-wasm');
      const bytes = contents instanceof Blob ? new Uint8Array(await contents.arrayBuffer()) : contents;
      const opened = await ParquetFile.fromFile(contents instanceof Blob ? contents : new Blob([bytes as BlobPart]));
      const meta = opened.metadata();
      const groupRows = Array.from({ length: meta.numRowGroups() }, (_, g) => Number(meta.rowGroup(g).numRows()));
      opened.free();
      return parquetFiles.attach(name, groupRows, options.chunkRows, {
        decode: async (groups) => readParquet(bytes, { ...PARQUET_READ, ...(groups ? { rowGroups: groups } : {}) }).intoIPCStream(),
        insert: async (database, table, ipc, create) => {
          conn.insertArrowFromIPCStream(ipc, { schema: database, name: table, create });
        },
        exec: async (sql) => {
          conn.query(sql);
        },
      });
    },
    async readParquetChunk(name: string, chunk: number | 'all') {
      await parquetFiles.show(name, chunk);
    },
    async cancel() {
      // Blocking queries cannot be interrupted from the same thread; nothing is in flight here.
    },
    async close() {
      conn.close();
      db.reset();
    },
  };
}
