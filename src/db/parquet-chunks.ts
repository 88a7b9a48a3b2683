import { parquetChunks } from './parquet-read';

/** What a wasm engine does for `chunkedParquet`: decode row groups to Arrow IPC, insert IPC, run SQL. */
export interface ChunkIo {
  /** Arrow IPC of these row groups, or of the whole file (`undefined`). */
  decode(groups: number[] | undefined): Promise<Uint8Array>;
  /** Creates (or appends to) `table` in database `database`. */
  insert(database: string, table: string, ipc: Uint8Array, create: boolean): Promise<void>;
  exec(sql: string): Promise<void>;
}

/**
 * Where a chunk's decoded rows are held: the session's own in-memory database, uncompressed (the store
 * is compressed, `sessionSetup`). A chunk is read once by validation and dropped, and compressing it
 * cost more than that read.
 */
const CHUNK_DB = 'memory';

export interface ChunkedParquet {
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
export function chunkedParquet(name: string, groupRows: readonly number[], chunkRows: number | undefined, io: ChunkIo): ChunkedParquet {
  const chunks = parquetChunks(groupRows, chunkRows);
  const data = `${CHUNK_DB}.${name}__data`;
  const drop = () => io.exec(`DROP VIEW IF EXISTS ${name}; DROP TABLE IF EXISTS ${data}`);
  const show = async (chunk: number | 'all') => {
    const picked = chunk === 'all' ? chunks : [chunks[chunk]!];
    await drop();
    for (const [i, c] of picked.entries()) {
      await io.insert(CHUNK_DB, `${name}__data`, await io.decode(chunks.length === 1 ? undefined : c.groups), i === 0);
    }
    const first = chunk === 'all' ? 0 : picked[0]!.rowsBefore;
    await io.exec(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT (rowid + 1 + ${first})::BIGINT AS __row, * FROM ${data}`);
  };
  return { chunks: chunks.length, show, drop };
}
