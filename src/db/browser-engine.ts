import * as duckdb from '@duckdb/duckdb-wasm';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import type { ParquetAsk, ParquetReply } from './parquet-read';
import { ParquetFiles } from './parquet-chunks';
import { arrowToRows, textIpc } from './arrow-rows';
import { createTextTableSql, inlineParams, sessionSetup, type Engine, type Row, type SqlParam, type TextRow } from './engine';

/** Self-hosted bundles: the wasm and workers ship with the app; nothing comes from a CDN. */
const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

let parquetWorker: Worker | undefined;
let parquetRequest = 0;

/** Asks the Parquet worker (started on the first Parquet file; a File is read there too). */
function askParquet(request: ParquetAsk): Promise<ParquetReply> {
  parquetWorker ??= new Worker(new URL('./parquet-worker.ts', import.meta.url), { type: 'module' });
  const worker = parquetWorker;
  const id = ++parquetRequest;
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<ParquetReply>) => {
      if (event.data.id !== id) return;
      worker.removeEventListener('message', onMessage);
      if (event.data.error === undefined) resolve(event.data);
      else reject(new Error(event.data.error || 'the Parquet reader failed'));
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage({ ...request, id });
  });
}

/**
 * Starts DuckDB's worker so the browser can keep the engine's compiled code between visits. The
 * worker pipes the wasm's response through a TransformStream to report progress, and Chrome caches
 * compiled WebAssembly only for a response it fetched itself: every visit compiled and optimised
 * the 34 MB engine again. Without TransformStream the worker compiles the fetch as it streams in
 * (and would say so on the console, for the progress nobody here reads). URLs are absolute: a blob
 * worker resolves none against the page.
 */
function startEngineWorker(script: string): { worker: Worker; revoke: () => void } {
  const note = 'instantiating without progress handler since transform streams are unavailable';
  const source = `const warn = console.warn;
console.warn = (...args) => { if (args[0] !== ${JSON.stringify(note)}) warn(...args); };
delete self.TransformStream;
importScripts(${JSON.stringify(new URL(script, location.href).href)});`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return { worker: new Worker(url), revoke: () => URL.revokeObjectURL(url) };
}

/** DuckDB-WASM in a Web Worker behind the Engine interface. */
export async function openBrowserEngine(): Promise<Engine> {
  const bundle = await duckdb.selectBundle(BUNDLES);
  const { worker, revoke } = startEngineWorker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(new URL(bundle.mainModule, location.href).href, bundle.pthreadWorker);
  } finally {
    revoke();
  }
  await db.open({ query: { castBigIntToDouble: false } });
  const conn = await db.connect();
  for (const statement of sessionSetup('compressed')) await conn.query(statement);
  const version = await db.getVersion();
  const parquetFiles = new ParquetFiles();

  return {
    version,
    async query<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const inlined = params.length > 0 ? inlineParams(sql, params) : sql;
      if (inlined !== undefined) return arrowToRows<T>(await conn.query(inlined));
      const statement = await conn.prepare(sql);
      try {
        return arrowToRows<T>(await statement.query(...params));
      } finally {
        await statement.close();
      }
    },
    async exec(sql: string) {
      await conn.query(sql);
    },
    async registerFile(name: string, contents: Uint8Array | Blob) {
      // A File is read in slices by the engine's worker: a log of gigabytes never sits in the engine's memory.
      if (contents instanceof Blob) await db.registerFileHandle(name, contents, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      else await db.registerFileBuffer(name, contents);
    },
    async dropFile(name: string) {
      if (!(await parquetFiles.drop(name))) await db.dropFile(name);
    },
    async insertText(table: string, columns: readonly string[], rows: readonly TextRow[]) {
      if (rows.length === 0) await conn.query(createTextTableSql(table, columns));
      else await conn.insertArrowFromIPCStream(textIpc(columns, rows), { name: table, create: true });
    },
    async attachParquet(name: string, contents: Uint8Array | Blob, options = {}) {
      const { groupRows } = await askParquet({ op: 'open', key: name, contents });
      return parquetFiles.attach(name, groupRows!, options.chunkRows, {
        decode: async (groups) => (await askParquet({ op: 'read', key: name, ...(groups ? { groups } : {}) })).ipc!,
        insert: async (database, table, ipc, create) => {
          await conn.insertArrowFromIPCStream(ipc, { schema: database, name: table, create });
        },
        exec: async (sql) => {
          await conn.query(sql);
        },
        close: async () => {
          await askParquet({ op: 'close', key: name });
        },
      });
    },
    async readParquetChunk(name: string, chunk: number | 'all') {
      await parquetFiles.show(name, chunk);
    },
    async cancel() {
      await conn.cancelSent();
    },
    async close() {
      await conn.close();
      await db.terminate();
      worker.terminate();
    },
  };
}

export type EngineStatus =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; version: string; startMs: number }
  | { state: 'failed'; message: string };

let enginePromise: Promise<Engine> | undefined;
let status: EngineStatus = { state: 'idle' };
const listeners = new Set<() => void>();

function setStatus(next: EngineStatus) {
  status = next;
  for (const listener of listeners) listener();
}

/** The app's one engine, started once (React StrictMode runs effects twice). */
export function getBrowserEngine(): Promise<Engine> {
  if (!enginePromise) {
    const started = performance.now();
    setStatus({ state: 'loading' });
    enginePromise = openBrowserEngine().then(
      (engine) => {
        setStatus({ state: 'ready', version: engine.version, startMs: Math.round(performance.now() - started) });
        return engine;
      },
      (error: unknown) => {
        setStatus({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
        throw error;
      },
    );
  }
  return enginePromise;
}

export function getEngineStatus(): EngineStatus {
  return status;
}

export function subscribeEngineStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
