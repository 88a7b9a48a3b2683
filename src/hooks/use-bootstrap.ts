import { useEffect, useRef, useState } from 'react';
import { openSample, SAMPLE_LOG } from '../db/bundled-sample';
import type { FileDiagnostics } from '../db/ingest/ingest';
import type { Session } from '../db/session';
import type { ActiveRates } from '../domain/rate-card';

export type DataStatus =
  | { state: 'starting' }
  | { state: 'loading'; message: string }
  | { state: 'ready' }
  | { state: 'failed'; message: string };

let prefetched: Promise<Uint8Array> | undefined;

async function fetchSample(): Promise<Uint8Array> {
  const response = await fetch(SAMPLE_LOG.url);
  if (!response.ok) throw new Error(`sample log: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Starts downloading the sample while the engine starts; the start-up load then uses these bytes. */
export function prefetchSample(): void {
  prefetched ??= fetchSample();
  prefetched.catch(() => {});
}

/**
 * Loads the bundled sample; `asDefault` (start-up) yields to any load the user made meanwhile.
 * `rates`, at start-up, become active with the load: the log is priced once.
 */
export async function loadSample(session: Session, asDefault = false, rates?: ActiveRates): Promise<FileDiagnostics[] | null> {
  // The engine takes the bytes over (they are transferred to its worker): a prefetch serves one load only.
  const pending = prefetched;
  prefetched = undefined;
  let bytes: Uint8Array;
  try {
    bytes = await (pending ?? fetchSample());
  } catch (error) {
    if (rates) await session.setRates(rates);
    throw error;
  }
  return openSample(session, bytes, { asDefault, rates });
}

/**
 * Keeps the session's rates in step with the active rate card and, on first start,
 * loads the bundled sample log so the app opens on real figures.
 */
export function useBootstrap(session: Session | null, rates: ActiveRates | null): DataStatus {
  const [result, setResult] = useState<DataStatus>();
  const requested = useRef(false);

  useEffect(() => {
    if (!session || !rates) return;
    if (!requested.current) {
      // The first rates arrive with the sample: pricing an empty log first cost a second at start-up.
      requested.current = true;
      loadSample(session, true, rates).then(
        () => setResult({ state: 'ready' }),
        (error: unknown) => setResult({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    session.setRates(rates).catch((error: unknown) => setResult({ state: 'failed', message: String(error) }));
  }, [session, rates]);

  if (result) return result;
  return session && rates ? { state: 'loading', message: 'Loading the sample log…' } : { state: 'starting' };
}
