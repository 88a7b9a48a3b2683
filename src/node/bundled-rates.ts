import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRateCard, type RateCard } from '../domain/rate-card';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** Reads rate-card JSON files, validating each; errors name the file. */
export function readRateCards(paths: readonly string[]): { name: string; card: RateCard }[] {
  return paths.map((path) => {
    const name = basename(path);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    return { name, card: parseRateCard(json, name) };
  });
}

export function bundledRateCardPaths(): string[] {
  const dir = join(DATA_DIR, 'rate-cards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}
