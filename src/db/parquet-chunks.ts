import { parquetChunks } from './parquet-read';

/** What a wasm engine does for `chunkedParquet`: decode row groups to Arrow IPC, insert IPC, run SQL. */
export interface ChunkIo {
  /** Arrow IPC of these row groups, or of the whole file (`undefined`). */
  decode(groups: number[] | undefined): Promise<Uint8Array>;
  insert(table: string, ipc: Uint8Array, create: boolean): Promise<void>;
  exec(sql: string): Promise<void>;
}

/**
 * A Parquet file a wasm engine holds as chunks of whole row groups, `name` showing one at a time
 * (`Engine.attachParquet`): a 10M-row file decoded whole never reached the engine. `show` makes
 * `name` the chunk's rows, numbered by the file's rows, or every row (a roll-up groups them all).
 */
export function chunkedParquet(name: string, groupRows: readonly number[], chunkRows: number | undefined, io: ChunkIo) {
  const chunks = parquetChunks(groupRows, chunkRows);
  const show = async (chunk: number | 'all') => {
    const picked = chunk === 'all' ? chunks : [chunks[chunk]!];
    await io.exec(`DROP VIEW IF EXISTS ${name}; DROP TABLE IF EXISTS ${name}__data`);
    for (const [i, c] of picked.entries()) {
      await io.insert(`${name}__data`, await io.decode(chunks.length === 1 ? undefined : c.groups), i === 0);
    }
    const first = chunk === 'all' ? 0 : picked[0]!.rowsBefore;
    await io.exec(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT (rowid + 1 + ${first})::BIGINT AS __row, * FROM ${name}__data`);
  };
  return { chunks: chunks.length, show };
}
