import { parseRateCard, type RateCard } from '../rate-card';
import type { ImportNote, ImportOptions } from './import-result';
import { importLitellm, isLitellmPriceMap } from './litellm';
import { importOpenrouter, isOpenrouterModels } from './openrouter';

export type LoadedCard = { source: 'pixelspend' | 'litellm' | 'openrouter'; card: RateCard; notes: ImportNote[] };

/**
 * Reads a loaded JSON file by its shape: a PixelSpend rate card (schema-checked, throws a
 * RateCardError), LiteLLM's price map or OpenRouter's model list (imported, with notes).
 */
export function readPriceFile(json: unknown, options: ImportOptions): LoadedCard {
  if (json !== null && typeof json === 'object' && (json as { format?: unknown }).format === 'pixelspend-rate-card') {
    return { source: 'pixelspend', card: parseRateCard(json, options.name), notes: [] };
  }
  if (isOpenrouterModels(json)) return importOpenrouter(json, options);
  if (isLitellmPriceMap(json)) return importLitellm(json, options);
  // Neither shape: let the schema say what is wrong with it as a rate card.
  return { source: 'pixelspend', card: parseRateCard(json, options.name), notes: [] };
}
