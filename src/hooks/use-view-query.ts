import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Engine } from '../db/engine';
import type { Filters } from '../domain/filters';
import { useAppStore } from '../state/store';
import { cachedQuery, identity } from './query-cache';
import { useAsync, type AsyncState } from './use-async';
import { withFirst } from './use-first-figures';
import { useSession } from './use-session';

export interface QueryInputs {
  filters: Filters;
  batchEligibleJobTypes: string[];
}

/**
 * Runs a view's query (in order with the session's writes) whenever the data, the rates,
 * the filters, the batch-eligible set or `key` change. `load` must be a stable function.
 * `first`: its result in the first figures (`useFirstFigures`), shown until it has one of its own.
 */
export function useViewQuery<T>(load: (engine: Engine, inputs: QueryInputs) => Promise<T>, key: unknown = null, first?: T): AsyncState<T> {
  const { session, version } = useSession();
  const { filters, batchEligibleJobTypes } = useAppStore(
    useShallow((s) => ({ filters: s.filters, batchEligibleJobTypes: s.batchEligibleJobTypes })),
  );
  const work = useMemo(() => {
    if (!session || !session.rates || version < 0) return null;
    // `key` stands for whatever else `load` closes over (a grain, a page).
    const cacheKey = `view|${identity(load)}|${JSON.stringify(key)}|${JSON.stringify(filters)}|${batchEligibleJobTypes.join(',')}`;
    return (signal: AbortSignal) => cachedQuery(session, cacheKey, (wanted) => session.read((engine) => load(engine, { filters, batchEligibleJobTypes }), wanted), signal);
  }, [session, version, filters, batchEligibleJobTypes, load, key]);
  return withFirst(useAsync(work), first);
}
