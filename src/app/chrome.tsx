import { useEffect } from 'react';
import type { FilterBarOptions } from '../components/filter-bar';
import type { Filters } from '../domain/filters';
import { useActiveRates } from '../hooks/use-active-rates';
import { useAppStore, type Theme } from '../state/store';

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

/** The chosen theme on the root element; "system" leaves it to prefers-color-scheme. */
export function useTheme() {
  const theme = useAppStore((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

export function ThemeToggle() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  return (
    <button type="button" className="theme-toggle" data-testid="theme-toggle" data-theme-choice={theme} onClick={() => setTheme(NEXT_THEME[theme])}>
      {THEME_LABEL[theme]}
    </button>
  );
}

const FILTER_NAMES: [keyof Filters, string][] = [
  ['models', 'models'],
  ['providers', 'providers'],
  ['lanes', 'lanes'],
  ['jobTypes', 'job types'],
  ['sizes', 'sizes'],
];

/** What a printed page shows, in words: filters, the data's range, and the rate-card state. */
export function describeFilters(filters: Filters): string {
  const parts: string[] = [];
  if (filters.from || filters.to) parts.push(`dates ${filters.from ?? 'start'} to ${filters.to ?? 'end'}`);
  for (const [key, name] of FILTER_NAMES) {
    const values = filters[key];
    if (Array.isArray(values) && values.length) parts.push(`${name}: ${values.join(', ')}`);
  }
  return parts.length ? parts.join('; ') : 'none (every loaded request)';
}

export function PrintHeader(props: { view: string; filtered: boolean; options: FilterBarOptions | null; filters: Filters }) {
  const { rates } = useActiveRates();
  const overrides = useAppStore((s) => s.overrides);
  const userCards = useAppStore((s) => s.userCards);
  const variants = rates ? Object.entries(rates.selectedVariants).map(([g, o]) => `${g} = ${o}`) : [];
  return (
    <header className="print-header" data-testid="print-header">
      <h2>PixelSpend · {props.view}</h2>
      <p data-testid="print-filters">Filters: {props.filtered ? describeFilters(props.filters) : 'not applied on this view'}</p>
      <p data-testid="print-range">
        Data: {props.options?.firstDay ? `${props.options.firstDay} to ${props.options.lastDay} (UTC)` : 'no log loaded'}
      </p>
      <p data-testid="print-rates">
        Rate card: bundled{userCards.length ? ` + ${userCards.map((c) => c.name).join(', ')}` : ''}; {overrides.length} manual override
        {overrides.length === 1 ? '' : 's'}
        {variants.length ? `; variants ${variants.join(', ')}` : ''}.
      </p>
    </header>
  );
}
