import { useMemo } from 'react';
import { loadCube } from '../db/cube';
import type { CubeRow } from '../domain/cube';
import { cachedQuery } from './query-cache';
import { useAsync, type AsyncState } from './use-async';
import { useSession } from './use-session';

/**
 * The planning cube of the loaded logs (one SQL scan), read once per change of logs or rates and
 * shared by the screens that plan with it (Plan, Compare, Rates). Planning ignores the filters.
 */
export function useCube(): AsyncState<CubeRow[]> {
  const { session, version } = useSession();
  const work = useMemo(
    () => (session && session.rates && version >= 0 ? (signal: AbortSignal) => cachedQuery(session, 'cube', (wanted) => session.read(loadCube, wanted), signal) : null),
    [session, version],
  );
  return useAsync(work);
}
