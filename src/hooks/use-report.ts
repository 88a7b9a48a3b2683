import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Report } from '../domain/report';
import { useAppStore } from '../state/store';
import { cachedQuery } from './query-cache';
import { useAsync, type AsyncState } from './use-async';
import { useFirstFigures, withFirst } from './use-first-figures';
import { useSession } from './use-session';

/** The report for the current filters, re-run whenever data, rates or filters change (the first figures until it has one). */
export function useReport(): AsyncState<Report> & { hasSession: boolean } {
  const { session, version } = useSession();
  const { filters, eligible } = useAppStore(useShallow((s) => ({ filters: s.filters, eligible: s.batchEligibleJobTypes })));
  const work = useMemo(
    () => (session && session.rates && version >= 0 ? (signal: AbortSignal) => cachedQuery(session, `report|${JSON.stringify(filters)}|${eligible.join(',')}`, (wanted) => session.report(filters, eligible, wanted), signal) : null),
    [session, version, filters, eligible],
  );
  const state = useAsync(work);
  const first = useFirstFigures();
  return { ...withFirst(state, first?.report), hasSession: session !== null };
}
