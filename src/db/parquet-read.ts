/**
 * How Parquet is decoded into Arrow (parquet-wasm, in the browser's worker and the wasm engine in Node):
 * in batches of DuckDB's row-group size. At parquet-wasm's default of 1,024 rows, decoding 1M rows took
 * 3.6 s instead of 0.27 s, and the engine took them as ~1,000 Arrow batches.
 */
export const PARQUET_READ = { batchSize: 122_880 };

/**
 * Rows of a Parquet file a wasm engine decodes at a time: one of DuckDB's row groups (122,880 rows).
 * Decoded whole, a 10M-row file never reached the engine: the tab held 3.4 GB and stopped. In chunks
 * of a million rows the engine's memory had to grow to hold each chunk three times over (its Arrow,
 * its rows, its checked rows until the statement ends), and memory a process touches for the first
 * time is slow to get: a 1M-row file loaded in 12.3 s instead of 17.1 s in Chromium with chunks
 * this small (docs/scale.md). A chunk is whole row groups, so a file written as one huge row group
 * is still read in one.
 */
export const PARQUET_CHUNK_ROWS = 131_072;

/** What the browser asks its Parquet worker: open a file (its row groups' rows come back), decode row groups, close it. */
export type ParquetAsk =
  | { op: 'open'; key: string; contents: Uint8Array | Blob }
  | { op: 'read'; key: string; groups?: number[] }
  | { op: 'close'; key: string };
export type ParquetRequest = ParquetAsk & { id: number };
export type ParquetReply = { id: number; error?: string; groupRows?: number[]; ipc?: Uint8Array };

/** A run of whole row groups decoded together, and the rows of the file before it. */
export interface ParquetChunk {
  groups: number[];
  rowsBefore: number;
}

/**
 * Row groups (their row counts, in file order) cut into chunks of about `chunkRows` rows: a chunk
 * takes groups until the next one would take it past `chunkRows` (a group larger alone is a chunk).
 */
export function parquetChunks(groupRows: readonly number[], chunkRows = PARQUET_CHUNK_ROWS): ParquetChunk[] {
  const chunks: ParquetChunk[] = [];
  let rows = 0;
  let current: ParquetChunk | undefined;
  let inCurrent = 0;
  for (const [g, n] of groupRows.entries()) {
    if (!current || inCurrent + n > chunkRows) {
      current = { groups: [], rowsBefore: rows };
      chunks.push(current);
      inCurrent = 0;
    }
    current.groups.push(g);
    inCurrent += n;
    rows += n;
  }
  return chunks.length > 0 ? chunks : [{ groups: [], rowsBefore: 0 }];
}
