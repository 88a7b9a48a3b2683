/// <reference lib="webworker" />
import init, { ParquetFile, readParquet } from 'parquet-wasm/esm';
import { PARQUET_READ, type ParquetReply, type ParquetRequest } from './parquet-read';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

/**
 * Decodes Parquet into Arrow IPC off the main thread: the page never holds a JS object per row,
 * and the engine takes the Arrow batches as they are. A file is opened once (its bytes kept
 * here) and decoded a chunk of row groups at a time, as the engine asks.
 */
const ready = init({ module_or_path: wasmUrl });
const files = new Map<string, Uint8Array>();

const reply = (message: ParquetReply, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<ParquetRequest>) => {
  const request = event.data;
  try {
    await ready;
    if (request.op === 'open') {
      const blob = request.contents instanceof Blob ? request.contents : new Blob([request.contents as BlobPart]);
      const file = await ParquetFile.fromFile(blob);
      const meta = file.metadata();
      const groupRows = Array.from({ length: meta.numRowGroups() }, (_, g) => Number(meta.rowGroup(g).numRows()));
      file.free();
      files.set(request.key, request.contents instanceof Blob ? new Uint8Array(await request.contents.arrayBuffer()) : request.contents);
      reply({ id: request.id, groupRows });
    } else if (request.op === 'read') {
      const bytes = files.get(request.key);
      if (!bytes) throw new Error(`no Parquet file open as ${request.key}`);
      const ipc = readParquet(bytes, { ...PARQUET_READ, ...(request.groups ? { rowGroups: request.groups } : {}) }).intoIPCStream();
      reply({ id: request.id, ipc }, [ipc.buffer]);
    } else {
      files.delete(request.key);
      reply({ id: request.id });
    }
  } catch (error) {
    reply({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
};
