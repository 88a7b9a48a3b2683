import { useEffect, useState, useSyncExternalStore } from 'react';
import { getBrowserEngine, getEngineStatus, subscribeEngineStatus, type EngineStatus } from '../db/browser-engine';
import { Session } from '../db/session';

let sessionPromise: Promise<Session> | undefined;

/** The app's one session on the one browser engine. */
export function getSession(): Promise<Session> {
  sessionPromise ??= getBrowserEngine().then((engine) => new Session(engine));
  return sessionPromise;
}

export function useEngineStatus(): EngineStatus {
  return useSyncExternalStore(subscribeEngineStatus, getEngineStatus);
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
