import type { ActiveRates } from '../../domain/rate-card';

/** Models with at least one price, as select options (canonical id, label). */
export function modelOptions(rates: ActiveRates): { id: string; label: string }[] {
  const priced = new Set(rates.prices.map((p) => p.model));
  return [...rates.models.values()]
    .filter((m) => priced.has(m.id))
    .map((m) => ({ id: m.id, label: m.label }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Providers that price a model, Google first. */
export function providerOptions(rates: ActiveRates, model: string): string[] {
  const providers = [...new Set(rates.prices.filter((p) => p.model === model).map((p) => p.provider))];
  return providers.sort((a, b) => (a === 'google' ? -1 : b === 'google' ? 1 : a.localeCompare(b)));
}
