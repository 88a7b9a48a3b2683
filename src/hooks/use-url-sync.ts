import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { filtersFromSearch, filtersToSearch } from '../domain/url-state';
import { useAppStore } from '../state/store';

/**
 * Two-way binding between the URL and the store's view and filters, so a view can be
 * shared by link. Returns what was ignored in the link the page opened with.
 */
export function useUrlSync(knownViews: readonly string[]): string[] {
  const [problems] = useState(() => {
    const { filters, problems: found } = filtersFromSearch(window.location.search);
    const view = new URLSearchParams(window.location.search).get('view');
    const state = useAppStore.getState();
    state.replaceFilters(filters);
    if (view && knownViews.includes(view)) state.setView(view);
    else if (view) found.push(`ignored unknown view "${view.slice(0, 40)}"`);
    return found;
  });
  const { filters, view } = useAppStore(useShallow((s) => ({ filters: s.filters, view: s.view })));
  useEffect(() => {
    const params = filtersToSearch(filters, new URLSearchParams(window.location.search));
    params.set('view', view);
    const next = `${window.location.pathname}?${params.toString()}${window.location.hash}`;
    if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(null, '', next);
    }
  }, [filters, view]);
  return problems;
}
