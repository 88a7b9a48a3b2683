/// <reference lib="webworker" />
import init, { readParquet } from 'parquet-wasm/esm';
import { PARQUET_READ } from './parquet-read';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

/**
 * Decodes a Parquet file into an Arrow IPC stream off the main thread: the page never holds
 * a JS object per row, and the engine takes the Arrow batches as they are.
 */
const ready = init({ module_or_path: wasmUrl });

self.onmessage = async (event: MessageEvent<{ id: number; contents: Uint8Array | Blob }>) => {
  const { id, contents } = event.data;
  try {
    const bytes = contents instanceof Blob ? new Uint8Array(await contents.arrayBuffer()) : contents;
    await ready;
    const ipc = readParquet(bytes, PARQUET_READ).intoIPCStream();
    (self as DedicatedWorkerGlobalScope).postMessage({ id, ipc }, [ipc.buffer]);
  } catch (error) {
    (self as DedicatedWorkerGlobalScope).postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
