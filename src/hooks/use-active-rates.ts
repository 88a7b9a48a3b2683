import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BUNDLED_RATE_CARDS } from '../db/bundled-browser';
import {
  layerRateCards,
  parseRateCard,
  RateCardError,
  resolveRates,
  type ActiveRates,
  type PriceOverride,
  type RateCard,
  type RateCardIssue,
} from '../domain/rate-card';
import { useAppStore } from '../state/store';

export interface ActiveRatesResult {
  /** The rates in use: the last good ones when the current inputs have problems. */
  rates: ActiveRates | null;
  issues: RateCardIssue[];
}

export interface RateInputs {
  userCards: readonly { name: string; json: unknown }[];
  variants: Record<string, string>;
  overrides: readonly PriceOverride[];
}

let bundledCards: { name: string; card: RateCard }[] | undefined;

function bundled(): { name: string; card: RateCard }[] {
  bundledCards ??= BUNDLED_RATE_CARDS.map(({ name, json }) => ({ name, card: parseRateCard(json, name) }));
  return bundledCards;
}

/**
 * Bundled cards with the user's cards laid over them, chosen variants and manual overrides
 * applied; `rates` is null when anything is wrong, with every issue listed.
 */
export function resolveActiveRates(inputs: RateInputs): ActiveRatesResult {
  try {
    const user = inputs.userCards.map(({ name, json }) => ({ name, card: parseRateCard(json, name) }));
    return { rates: resolveRates(layerRateCards(bundled(), user), { variants: inputs.variants, overrides: inputs.overrides }), issues: [] };
  } catch (error) {
    if (error instanceof RateCardError) return { rates: null, issues: error.issues };
    throw error;
  }
}

// Shared by every component that reads the rates, so they all see one ActiveRates object.
let last: { inputs: RateInputs; result: ActiveRatesResult } | undefined;
let lastGood: ActiveRates | null = null;

/** The rates for these inputs, or the last good ones (with the issues) when they have problems. */
export function activeRatesFor(inputs: RateInputs): ActiveRatesResult {
  if (last && last.inputs.userCards === inputs.userCards && last.inputs.variants === inputs.variants && last.inputs.overrides === inputs.overrides) {
    return last.result;
  }
  const resolved = resolveActiveRates(inputs);
  // Inputs saved by an older version can be invalid before any good rates exist: fall back to the bundled cards alone.
  lastGood = resolved.rates ?? lastGood ?? resolveActiveRates({ userCards: [], variants: {}, overrides: [] }).rates;
  const result = { rates: lastGood, issues: resolved.issues };
  last = { inputs, result };
  return result;
}

export function useActiveRates(): ActiveRatesResult {
  const { userCards, variants, overrides } = useAppStore(
    useShallow((s) => ({ userCards: s.userCards, variants: s.variants, overrides: s.overrides })),
  );
  return useMemo(() => activeRatesFor({ userCards, variants, overrides }), [userCards, variants, overrides]);
}
