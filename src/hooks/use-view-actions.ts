import { useCallback } from 'react';
import { useAppStore } from '../state/store';
import { loadSample } from './use-bootstrap';
import { getSession } from './use-session';

/** What an empty view offers: load the sample, clear the filters; and whether any filter is on. */
export function useViewActions(): { onLoadSample: () => void; onClearFilters: () => void; hasFilters: boolean } {
  const hasFilters = useAppStore((s) => Object.values(s.filters).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v))));
  const onClearFilters = useAppStore((s) => s.resetFilters);
  const onLoadSample = useCallback(() => {
    void getSession().then((session) => loadSample(session));
  }, []);
  return { onLoadSample, onClearFilters, hasFilters };
}
