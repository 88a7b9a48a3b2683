import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { Filters } from '../domain/filters';

export interface FilterChoice {
  value: string;
  label?: string;
  requests: number;
}

export type ListFilter = 'models' | 'providers' | 'lanes' | 'jobTypes' | 'sizes';

export interface FilterBarOptions {
  lists: Record<ListFilter, FilterChoice[]>;
  firstDay: string | null;
  lastDay: string | null;
}

const LISTS: { key: ListFilter; label: string; testId: string }[] = [
  { key: 'models', label: 'Model', testId: 'model' },
  { key: 'providers', label: 'Provider', testId: 'provider' },
  { key: 'lanes', label: 'Lane', testId: 'lane' },
  { key: 'jobTypes', label: 'Job type', testId: 'job' },
  { key: 'sizes', label: 'Resolution', testId: 'size' },
];

const integer = new Intl.NumberFormat('en-US');

/** The global filters: a date range and one multi-select per dimension, with request counts. */
export function FilterBar(props: { options: FilterBarOptions | null; filters: Filters; onChange: (next: Filters) => void; onClear: () => void }) {
  const { filters, options } = props;
  const form = useRef<HTMLFormElement>(null);
  // One menu open at a time: a click outside a menu closes it.
  useEffect(() => {
    const close = (e: MouseEvent) => {
      for (const d of form.current?.querySelectorAll('details[open]') ?? []) if (!d.contains(e.target as Node)) d.removeAttribute('open');
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  const active = Object.values(filters).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)));
  const set = (patch: Partial<Filters>) => {
    const next: Filters = { ...filters, ...patch };
    for (const key of Object.keys(next) as (keyof Filters)[]) {
      const v = next[key];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[key];
    }
    props.onChange(next);
  };
  return (
    <form ref={form} className="filter-bar" aria-label="Filters (apply to every view)" data-testid="filter-bar" onSubmit={(e) => e.preventDefault()}>
      <label className="filter-bar__date">
        <span>From</span>
        <input
          type="date"
          value={filters.from ?? ''}
          min={options?.firstDay ?? undefined}
          max={filters.to ?? options?.lastDay ?? undefined}
          onChange={(e) => set({ from: e.target.value || undefined })}
          aria-describedby={options?.firstDay ? 'filter-data-range' : undefined}
          data-testid="filter-from"
        />
      </label>
      <label className="filter-bar__date">
        <span>To</span>
        <input
          type="date"
          value={filters.to ?? ''}
          min={filters.from ?? options?.firstDay ?? undefined}
          max={options?.lastDay ?? undefined}
          onChange={(e) => set({ to: e.target.value || undefined })}
          aria-describedby={options?.firstDay ? 'filter-data-range' : undefined}
          data-testid="filter-to"
        />
      </label>
      {options?.firstDay && options.lastDay ? (
        <span className="filter-bar__range muted" id="filter-data-range" data-testid="filter-data-range">
          Data: {options.firstDay} to {options.lastDay} (UTC)
        </span>
      ) : null}
      {LISTS.map((list) => (
        <MultiSelect
          key={list.key}
          label={list.label}
          testId={`filter-${list.testId}`}
          choices={options?.lists[list.key] ?? []}
          selected={filters[list.key] ?? []}
          onChange={(values) => set({ [list.key]: values })}
        />
      ))}
      <button type="button" className="filter-bar__clear" onClick={props.onClear} disabled={!active} data-testid="filter-clear">
        Clear filters
      </button>
    </form>
  );
}

function MultiSelect(props: { label: string; testId: string; choices: FilterChoice[]; selected: string[]; onChange: (values: string[]) => void }) {
  const id = useId();
  const { selected } = props;
  const summary = selected.length === 0 ? 'All' : selected.length === 1 ? labelOf(props.choices, selected[0]!) : `${selected.length} selected`;
  const toggle = (value: string, on: boolean) => props.onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  const closeOnEscape = (e: KeyboardEvent<HTMLDetailsElement>) => {
    if (e.key === 'Escape' && e.currentTarget.open) {
      e.currentTarget.open = false;
      e.currentTarget.querySelector('summary')?.focus();
    }
  };
  return (
    <details className="multi-select" data-testid={props.testId} onKeyDown={closeOnEscape}>
      {/* Named by its visible text ("Model All"), so speech input can say what it sees. */}
      <summary>
        <span className="multi-select__label">{props.label}</span>{' '}
        <span className={selected.length ? 'multi-select__value multi-select__value--on' : 'multi-select__value'} title={selected.length ? selected.map((v) => labelOf(props.choices, v)).join(', ') : undefined}>
          {summary}
        </span>
      </summary>
      <fieldset className="multi-select__menu">
        <legend className="sr-only">{props.label}</legend>
        {props.choices.length === 0 ? <span className="muted">No values</span> : null}
        {props.choices.map((c) => (
          <label key={c.value} className="multi-select__option">
            <input
              type="checkbox"
              name={`${id}-${props.testId}`}
              value={c.value}
              checked={selected.includes(c.value)}
              onChange={(e) => toggle(c.value, e.target.checked)}
            />
            <span title={c.value}>{c.label ?? c.value}</span>
            <span className="multi-select__count">{integer.format(c.requests)}</span>
          </label>
        ))}
        {selected.length ? (
          <button type="button" className="link-button" onClick={() => props.onChange([])}>
            Any {props.label.toLowerCase()}
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

function labelOf(choices: FilterChoice[], value: string): string {
  return choices.find((c) => c.value === value)?.label ?? value;
}
