/**
 * How Parquet is decoded into Arrow (parquet-wasm, in the browser's worker and the wasm engine in Node):
 * in batches of DuckDB's row-group size. At parquet-wasm's default of 1,024 rows, decoding 1M rows took
 * 3.6 s instead of 0.27 s, and the engine took them as ~1,000 Arrow batches.
 */
export const PARQUET_READ = { batchSize: 122_880 };
