import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EngineStatus } from '../db/browser-engine';
import type { Session } from '../db/session';

let sessionPromise: Promise<Session> | undefined;
// The engine's own status lives in its module, which loads in its own chunk (DuckDB's client
// and Arrow stay out of the initial JS): mirror it here so the badge can render before then.
let status: EngineStatus = { state: 'idle' };
const listeners = new Set<() => void>();

function setStatus(next: EngineStatus) {
  status = next;
  for (const listener of listeners) listener();
}

/** The app's one session on the one browser engine; the first call starts the engine. */
export function getSession(): Promise<Session> {
  sessionPromise ??= (async () => {
    setStatus({ state: 'loading' });
    try {
      const [engineModule, { Session }] = await Promise.all([import('../db/browser-engine'), import('../db/session')]);
      engineModule.subscribeEngineStatus(() => setStatus(engineModule.getEngineStatus()));
      const engine = await engineModule.getBrowserEngine();
      setStatus(engineModule.getEngineStatus());
      return new Session(engine);
    } catch (error) {
      if (status.state !== 'failed') setStatus({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  })();
  return sessionPromise;
}

export function useEngineStatus(): EngineStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => status,
  );
}

/** The session once the engine is ready (null before), and its data version. */
export function useSession(): { session: Session | null; version: number } {
  const [session, setSession] = useState<Session | null>(null);
  useEffect(() => {
    let live = true;
    getSession().then(
      (s) => live && setSession(s),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  const version = useSyncExternalStore(
    (listener) => (session ? session.subscribe(listener) : () => {}),
    () => session?.version ?? -1,
  );
  return { session, version };
}
