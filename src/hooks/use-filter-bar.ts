import { useCallback, useMemo } from 'react';
import type { FilterBarOptions, ListFilter } from '../components/filter-bar';
import { loadFilterOptions, type FilterOptions } from '../db/dashboard';
import type { Filters } from '../domain/filters';
import { useAppStore } from '../state/store';
import { useActiveRates } from './use-active-rates';
import { useAsync } from './use-async';
import { useFirstFigures } from './use-first-figures';
import { useSession } from './use-session';

/** Props for the global FilterBar: options from SQL over all loaded requests, filters from the store. */
export function useFilterBar(): { options: FilterBarOptions | null; filters: Filters; onChange: (next: Filters) => void; onClear: () => void } {
  const { session, version } = useSession();
  const { rates } = useActiveRates();
  const filters = useAppStore((s) => s.filters);
  const replaceFilters = useAppStore((s) => s.replaceFilters);
  const resetFilters = useAppStore((s) => s.resetFilters);
  const work = useMemo(
    () => (session && session.rates && version >= 0 ? (signal: AbortSignal) => session.read((engine) => loadFilterOptions(engine), () => !signal.aborted) : null),
    [session, version],
  );
  const first = useFirstFigures();
  const data = useAsync<FilterOptions>(work).data ?? first?.filterOptions;
  const options = useMemo<FilterBarOptions | null>(() => {
    if (!data) return null;
    const label = (model: string) => rates?.models.get(model)?.label;
    const lists: Record<ListFilter, FilterBarOptions['lists'][ListFilter]> = {
      models: data.models.map((o) => ({ ...o, label: label(o.value) ? `${label(o.value)} (${o.value})` : o.value })),
      providers: data.providers,
      lanes: data.lanes,
      jobTypes: data.jobTypes,
      sizes: data.sizes,
    };
    return { lists, firstDay: data.firstDay, lastDay: data.lastDay };
  }, [data, rates]);
  const onChange = useCallback((next: Filters) => replaceFilters(next), [replaceFilters]);
  return { options, filters, onChange, onClear: resetFilters };
}
