import { parquetChunks } from './parquet-read';

/** What a wasm engine does for `chunkedParquet`: decode row groups to Arrow IPC, insert IPC, run SQL. */
export interface ChunkIo {
  /** Arrow IPC of these row groups, or of the whole file (`undefined`). */
  decode(groups: number[] | undefined): Promise<Uint8Array>;
  /** Creates (or appends to) `table` in database `database`. */
  insert(database: string, table: string, ipc: Uint8Array, create: boolean): Promise<void>;
  exec(sql: string): Promise<void>;
  /** Lets go of the file once its relation is dropped (the browser's worker holds its bytes). */
  close?(): Promise<void>;
}

/**
 * Where a chunk's decoded rows are held: the session's own in-memory database, uncompressed (the store
 * is compressed, `sessionSetup`). A chunk is read once by validation and dropped, and compressing it
 * cost more than that read.
 */
const CHUNK_DB = 'memory';

interface ChunkedParquet {
  chunks: number;
  /** Makes the relation show chunk `chunk` (its rows numbered as the file's), or every row of the file. */
  show(chunk: number | 'all'): Promise<void>;
  /** Drops the relation and the rows it shows. */
  drop(): Promise<void>;
}

/**
 * A Parquet file a wasm engine holds as chunks of whole row groups, relation `name` showing one at a
 * time (`Engine.attachParquet`): a 10M-row file decoded whole never reached the engine.
 */
function chunkedParquet(name: string, groupRows: readonly number[], chunkRows: number | undefined, io: ChunkIo): ChunkedParquet {
  const chunks = parquetChunks(groupRows, chunkRows);
  const data = `${CHUNK_DB}.${name}__data`;
  const clear = () => io.exec(`DROP VIEW IF EXISTS ${name}; DROP TABLE IF EXISTS ${data}`);
  const show = async (chunk: number | 'all') => {
    const picked = chunk === 'all' ? chunks : [chunks[chunk]!];
    await clear();
    for (const [i, c] of picked.entries()) {
      await io.insert(CHUNK_DB, `${name}__data`, await io.decode(chunks.length === 1 ? undefined : c.groups), i === 0);
    }
    const first = chunk === 'all' ? 0 : picked[0]!.rowsBefore;
    await io.exec(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT (rowid + 1 + ${first})::BIGINT AS __row, * FROM ${data}`);
  };
  const drop = async () => {
    await clear();
    await io.close?.();
  };
  return { chunks: chunks.length, show, drop };
}

/** The Parquet files a wasm engine holds, by relation name: `Engine.attachParquet`, `readParquetChunk` and `dropFile`. */
export class ParquetFiles {
  private readonly files = new Map<string, ChunkedParquet>();

  async attach(name: string, groupRows: readonly number[], chunkRows: number | undefined, io: ChunkIo): Promise<{ chunks: number; rows: number }> {
    const file = chunkedParquet(name, groupRows, chunkRows, io);
    this.files.set(name, file);
    await file.show(0);
    return { chunks: file.chunks, rows: groupRows.reduce((sum, n) => sum + n, 0) };
  }

  async show(name: string, chunk: number | 'all'): Promise<void> {
    await this.files.get(name)!.show(chunk);
  }

  /** Drops the file attached as `name`; false when `name` is not one. */
  async drop(name: string): Promise<boolean> {
    const file = this.files.get(name);
    if (!file) return false;
    this.files.delete(name);
    await file.drop();
    return true;
  }
}
