import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Filters } from '../domain/filters';
import { changedFilterKeys, filtersFromSearch, filtersToSearch } from '../domain/url-state';
import { useAppStore } from '../state/store';

/** Edits of the same filter within this window (typing a date) make one history entry, not one per keystroke. */
const COALESCE_MS = 1000;

/** Puts the view and filters of a URL into the store; returns what was ignored. */
function readLocation(knownViews: readonly string[]): string[] {
  const { filters, problems } = filtersFromSearch(window.location.search);
  const view = new URLSearchParams(window.location.search).get('view');
  const state = useAppStore.getState();
  state.replaceFilters(filters);
  if (view && knownViews.includes(view)) state.setView(view);
  else {
    if (view) problems.push(`ignored unknown view "${view.slice(0, 40)}"`);
    state.setView(knownViews[0]!);
  }
  return problems;
}

/** Whether the current URL already says this view and these filters (perhaps spelled differently). */
function urlSays(view: string, filters: Filters, knownViews: readonly string[]): boolean {
  const params = new URLSearchParams(window.location.search);
  const urlView = params.get('view');
  const shownView = urlView && knownViews.includes(urlView) ? urlView : knownViews[0];
  return shownView === view && filtersToSearch(filtersFromSearch(window.location.search).filters).toString() === filtersToSearch(filters).toString();
}

/**
 * Two-way binding between the URL and the store's view and filters: the link is shareable,
 * every view or filter change is a history entry, and Back/Forward restore them.
 * Returns what was ignored in the link the page opened with.
 */
export function useUrlSync(knownViews: readonly string[]): string[] {
  const [problems] = useState(() => readLocation(knownViews));
  const last = useRef<{ at: number; changed: string[] } | null>(null);
  useEffect(() => {
    const onPop = () => {
      last.current = null;
      readLocation(knownViews);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [knownViews]);
  const { filters, view } = useAppStore(useShallow((s) => ({ filters: s.filters, view: s.view })));
  useEffect(() => {
    const params = filtersToSearch(filters, new URLSearchParams(window.location.search));
    params.set('view', view);
    const next = `${window.location.pathname}?${params.toString()}${window.location.hash}`;
    if (next === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
    // Same state, different spelling (first load, or a link): tidy the address without a new entry.
    if (urlSays(view, filters, knownViews)) {
      window.history.replaceState(null, '', next);
      return;
    }
    const now = Date.now();
    const urlFilters = filtersFromSearch(window.location.search).filters;
    const changed = changedFilterKeys(urlFilters, filters);
    const previous = last.current;
    const sameEdit = previous !== null && now - previous.at < COALESCE_MS && changed.length > 0 && changed.every((k) => previous.changed.includes(k)) && changed.length === previous.changed.length;
    last.current = { at: now, changed };
    if (sameEdit) window.history.replaceState(null, '', next);
    else window.history.pushState(null, '', next);
  }, [filters, view, knownViews]);
  return problems;
}
