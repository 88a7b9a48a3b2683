import { resolveRates, type ActiveRates, type ResolveOptions } from '../../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../../src/node/bundled-rates';

export function bundledRates(options: ResolveOptions = {}): ActiveRates {
  return resolveRates(readRateCards(bundledRateCardPaths()), options);
}
