import { useEffect, useMemo, useState } from 'react';

export interface AsyncState<T> {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** The latest good result, kept while the next one loads. */
  data: T | undefined;
  error: string | undefined;
}

/**
 * Runs `work` whenever its identity changes (callers memoise it on their inputs); a result
 * that arrives after a newer run started is dropped, so a slow query never overwrites a newer one.
 * `work` gets a signal aborted once its result is no longer wanted (a newer run, or the view gone).
 */
export function useAsync<T>(work: ((signal: AbortSignal) => Promise<T>) | null): AsyncState<T> {
  const run = useMemo(() => ({ work }), [work]);
  const [settled, setSettled] = useState<{ run: object; error?: string }>();
  const [data, setData] = useState<T>();
  useEffect(() => {
    if (!run.work) return;
    let live = true;
    const stop = new AbortController();
    run.work(stop.signal).then(
      (result) => {
        if (!live) return;
        setData(result);
        setSettled({ run });
      },
      (error: unknown) => live && setSettled({ run, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
      stop.abort();
    };
  }, [run]);
  if (!run.work) return { status: 'idle', data, error: undefined };
  if (settled?.run !== run) return { status: 'loading', data, error: undefined };
  return settled.error === undefined ? { status: 'ready', data, error: undefined } : { status: 'failed', data, error: settled.error };
}
