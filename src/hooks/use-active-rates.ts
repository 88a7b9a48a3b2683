import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BUNDLED_RATE_CARDS } from '../db/bundled-browser';
import {
  parseRateCard,
  RateCardError,
  resolveRates,
  type ActiveRates,
  type PriceOverride,
  type RateCardIssue,
} from '../domain/rate-card';
import { useAppStore } from '../state/store';

export interface ActiveRatesResult {
  rates: ActiveRates | null;
  issues: RateCardIssue[];
}

/** Bundled cards + the user's cards, with chosen variants and manual overrides applied. */
export function resolveActiveRates(
  userCards: { name: string; json: unknown }[],
  variants: Record<string, string>,
  overrides: readonly PriceOverride[],
): ActiveRatesResult {
  try {
    const cards = [...BUNDLED_RATE_CARDS, ...userCards].map(({ name, json }) => ({ name, card: parseRateCard(json, name) }));
    return { rates: resolveRates(cards, { variants, overrides }), issues: [] };
  } catch (error) {
    if (error instanceof RateCardError) return { rates: null, issues: error.issues };
    throw error;
  }
}

export function useActiveRates(): ActiveRatesResult {
  const { userCards, variants, overrides } = useAppStore(
    useShallow((s) => ({ userCards: s.userCards, variants: s.variants, overrides: s.overrides })),
  );
  return useMemo(() => resolveActiveRates(userCards, variants, overrides), [userCards, variants, overrides]);
}
