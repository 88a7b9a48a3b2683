import { useSyncExternalStore } from 'react';
import { LargeLogError, NeedsMappingError, NeedsTimeError, TAB_ROWS, type FileDiagnostics, type LoadMode, type LogFile } from '../../db/ingest/ingest';
import { openSample, SAMPLE_LOG } from '../../db/bundled-sample';
import type { Session } from '../../db/session';
import { describeLoadFailure, type LoadFailure } from './load-failure';
import { useAppStore } from '../../state/store';

/**
 * The one load in progress, shared by the Data view and the app-wide drop zone. It is UI
 * state about work under way (stage, progress, outcome), so it lives here rather than in
 * the store of inputs.
 */
export type LoadState =
  | { phase: 'idle' }
  | { phase: 'loading'; files: string[]; stage: string; fraction: number | null }
  | { phase: 'done'; diagnostics: FileDiagnostics[]; mode: LoadMode }
  | ({ phase: 'failed' } & LoadFailure)
  /** A file has no timestamps: the user picks the date its requests were made. */
  | { phase: 'needs-time'; file: string; message: string; retry: (defaultTime: string) => Promise<void> }
  /** A file's columns are unknown: the user maps them (saved for the same header). */
  | { phase: 'needs-mapping'; file: string; message: string; header: string[]; sample: (string | null)[][]; retry: () => Promise<void> }
  /** A log larger than a tab is known to hold: the user loads it anyway or summarises it with the CLI. */
  | { phase: 'too-large'; file: string; rows: number; kept: number; limit: number; retry: () => Promise<void> }
  | { phase: 'cancelled' };

let state: LoadState = { phase: 'idle' };
let controller: AbortController | null = null;
const listeners = new Set<() => void>();

function set(next: LoadState) {
  state = next;
  for (const listener of listeners) listener();
}

export function useLoadState(): LoadState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

type Progress = (stage: string, fraction?: number) => void;

/** Runs one load, showing its progress; a newer load cancels the one before. */
async function runLoad(names: string[], mode: LoadMode, work: (signal: AbortSignal, progress: Progress) => Promise<FileDiagnostics[] | null>): Promise<void> {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  const progress: Progress = (stage, fraction) => {
    if (controller === mine) set({ phase: 'loading', files: names, stage, fraction: fraction ?? null });
  };
  try {
    progress(`Loading ${names.join(', ')}`);
    const diagnostics = await work(mine.signal, progress);
    if (controller === mine) set({ phase: 'done', diagnostics: diagnostics ?? [], mode });
  } catch (error) {
    if (controller !== mine) return;
    if (error instanceof DOMException && error.name === 'AbortError') set({ phase: 'cancelled' });
    else if (error instanceof NeedsAsk) set(error.state);
    else set({ phase: 'failed', ...describeLoadFailure(error, names) });
  } finally {
    if (controller === mine) controller = null;
  }
}

/** Carries a question for the user (a date, a mapping) out of a load. */
class NeedsAsk extends Error {
  constructor(readonly state: LoadState) {
    super('needs input');
  }
}

/**
 * Reads the user's files in the browser and loads them, appending or replacing. A file with no
 * timestamps or unknown columns stops the load and asks; the answer reloads the same files.
 */
export function startLoad(session: Session, files: readonly File[], mode: LoadMode, extra: { defaultTime?: string; anySize?: boolean } = {}): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  return runLoad(files.map((f) => f.name), mode, async (signal, progress) => {
    // The files themselves, not copies of their bytes: a CSV is read where it lies.
    const logs: LogFile[] = files.map((file) => ({ name: file.name, bytes: file }));
    try {
      return await session.loadFiles(logs, {
        mode, signal, onProgress: progress, defaultTime: extra.defaultTime, mappings: useAppStore.getState().columnMappings,
        ...(extra.anySize ? {} : { rowLimit: TAB_ROWS }),
      });
    } catch (error) {
      if (error instanceof LargeLogError) {
        const { file, rows, kept, limit } = error;
        throw new NeedsAsk({ phase: 'too-large', file, rows, kept, limit, retry: () => startLoad(session, files, mode, { ...extra, anySize: true }) });
      }
      if (error instanceof NeedsMappingError) {
        throw new NeedsAsk({ phase: 'needs-mapping', file: error.file, message: error.message, header: error.header, sample: error.sample, retry: () => startLoad(session, files, mode, extra) });
      }
      if (error instanceof NeedsTimeError) {
        throw new NeedsAsk({ phase: 'needs-time', file: error.file, message: error.message, retry: (defaultTime) => startLoad(session, files, mode, { ...extra, defaultTime }) });
      }
      throw error;
    }
  });
}

/** Replaces the data with the bundled sample, through the same progress display. */
export function startSampleLoad(session: Session): Promise<void> {
  return runLoad([SAMPLE_LOG.name], 'replace', async (signal, progress) => {
    progress(`Downloading ${SAMPLE_LOG.name}`);
    const response = await fetch(SAMPLE_LOG.url, { signal });
    if (!response.ok) throw new Error(`sample log: HTTP ${response.status}`);
    return openSample(session, new Uint8Array(await response.arrayBuffer()), { signal, onProgress: progress });
  });
}

export function cancelLoad(): void {
  controller?.abort();
}

/** Declines a question a load asked (e.g. to load a log larger than a tab holds): nothing is loaded. */
export function declineLoad(): void {
  if (state.phase === 'too-large') set({ phase: 'cancelled' });
}

let mode: LoadMode = 'replace';
const modeListeners = new Set<() => void>();

/** Replace or append: chosen on the Data view, used by drops anywhere in the app too. */
export function useLoadMode(): [LoadMode, (next: LoadMode) => void] {
  const current = useSyncExternalStore(
    (listener) => {
      modeListeners.add(listener);
      return () => modeListeners.delete(listener);
    },
    () => mode,
  );
  return [current, setLoadMode];
}

export function getLoadMode(): LoadMode {
  return mode;
}

function setLoadMode(next: LoadMode) {
  mode = next;
  for (const listener of modeListeners) listener();
}
