import { isValidDate, type Filters } from './filters';

const LIST_KEYS = { models: 'model', providers: 'provider', lanes: 'lane', jobTypes: 'job', sizes: 'size' } as const;
const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 120;
const SAFE_VALUE = /^[\w.:/@+-]+$/;

/**
 * Filters from a URL query string. A shared link is untrusted input: unknown keys are
 * ignored, and a value that is malformed, too long or not a plain identifier is dropped
 * and reported, never passed on.
 */
export function filtersFromSearch(search: string): { filters: Filters; problems: string[] } {
  const params = new URLSearchParams(search);
  const filters: Filters = {};
  const problems: string[] = [];
  for (const key of ['from', 'to'] as const) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    if (isValidDate(value)) filters[key] = value;
    else problems.push(`ignored "${key}": not a YYYY-MM-DD date`);
  }
  for (const [field, key] of Object.entries(LIST_KEYS) as [keyof typeof LIST_KEYS, string][]) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
    const good = values.filter((v) => v.length <= MAX_VALUE_LENGTH && SAFE_VALUE.test(v)).slice(0, MAX_VALUES);
    if (good.length < values.length) problems.push(`ignored ${values.length - good.length} malformed value(s) in "${key}"`);
    if (good.length) filters[field] = good;
  }
  return { filters, problems };
}

/** The filters as query parameters (empty ones left out), stable in order. */
export function filtersToSearch(filters: Filters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['from', 'to', ...Object.values(LIST_KEYS)]) params.delete(key);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  for (const [field, key] of Object.entries(LIST_KEYS) as [keyof typeof LIST_KEYS, string][]) {
    const values = filters[field];
    if (values && values.length) params.set(key, values.join(','));
  }
  return params;
}

/** The query keys whose values differ between two sets of filters. */
export function changedFilterKeys(a: Filters, b: Filters): string[] {
  const pa = filtersToSearch(a);
  const pb = filtersToSearch(b);
  return ['from', 'to', ...Object.values(LIST_KEYS)].filter((k) => pa.get(k) !== pb.get(k));
}
