import { useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FirstFigures } from '../db/first-figures';
import type { ActiveRates } from '../domain/rate-card';
import { useAppStore } from '../state/store';
import type { AsyncState } from './use-async';
import { useActiveRates } from './use-active-rates';
import { useSession } from './use-session';

let bundled: { figures: FirstFigures; fingerprint: (rates: ActiveRates) => string } | null = null;
let requested = false;
const listeners = new Set<() => void>();
const fingerprints = new WeakMap<ActiveRates, string>();

/** Fetches the bundled sample's first figures (a chunk of their own) while the engine starts. */
export function prefetchFirstFigures(): void {
  if (requested) return;
  requested = true;
  Promise.all([import('../db/bundled-first-figures'), import('../db/workspace')]).then(
    ([{ BUNDLED_FIRST_FIGURES }, { pricingFingerprint }]) => {
      if (!BUNDLED_FIRST_FIGURES) return;
      bundled = { figures: BUNDLED_FIRST_FIGURES, fingerprint: pricingFingerprint };
      for (const listener of listeners) listener();
    },
    () => {},
  );
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The bundled sample's first figures (`FirstFigures`) while they are exactly what the Overview's
 * queries would return: nothing but the sample is loaded or loading, and the rates (by their pricing
 * fingerprint), the filters and the batch-eligible job types are a first visit's. Null otherwise, and
 * a view's own results always take their place once it has any.
 */
export function useFirstFigures(): FirstFigures | null {
  const loaded = useSyncExternalStore(subscribe, () => bundled);
  const { session } = useSession();
  const { rates } = useActiveRates();
  const { filters, eligible } = useAppStore(useShallow((s) => ({ filters: s.filters, eligible: s.batchEligibleJobTypes })));
  if (!loaded || !rates || session?.hasUserData) return null;
  const { figures } = loaded;
  if (JSON.stringify(filters) !== JSON.stringify(figures.filters) || eligible.join('\n') !== figures.batchEligibleJobTypes.join('\n')) return null;
  let fingerprint = fingerprints.get(rates);
  if (fingerprint === undefined) {
    fingerprint = loaded.fingerprint(rates);
    fingerprints.set(rates, fingerprint);
  }
  return fingerprint === figures.pricing ? figures : null;
}

/** `state`, or `first` (its result in the first figures) while it has no result of its own and has not failed. */
export function withFirst<T>(state: AsyncState<T>, first: T | undefined): AsyncState<T> {
  return state.data === undefined && first !== undefined && state.status !== 'failed' ? { status: 'ready', data: first, error: undefined } : state;
}

/** Whether `value` is one of the first figures' results, drawn before the engine answered. */
export function isFirstFigures(value: unknown): boolean {
  if (!bundled || value === undefined) return false;
  const { report, spendByDay, filterOptions } = bundled.figures;
  return value === report || value === spendByDay || value === filterOptions;
}
