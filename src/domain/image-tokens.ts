/**
 * Output-image tokens per image by size, as Google bills them (docs/pricing facts: Flash 3.1
 * 747/1120/1680/2520 for 512/1K/2K/4K; Pro 1120 for 1K and 2K, 2000 for 4K; 2.5 Flash Image
 * 1290 at 1K). Used only to infer a size a log does not state; every inference is a warning.
 */
const TOKENS: { match: RegExp; sizes: Record<string, number> }[] = [
  { match: /gemini-3\.1-flash-image/, sizes: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 } },
  { match: /gemini-3-pro-image|nano-banana-pro/, sizes: { '1K': 1120, '2K': 1120, '4K': 2000 } },
  { match: /gemini-2\.5-flash-image/, sizes: { '1K': 1290 } },
];

export type SizeInference =
  | { kind: 'exact'; size: string }
  | { kind: 'ambiguous'; size: string; candidates: string[] }
  | { kind: 'unknown' };

/** The size whose token count equals `tokens / images` for this model. */
export function sizeFromImageTokens(model: string, tokens: number, images: number): SizeInference {
  if (!Number.isFinite(tokens) || tokens <= 0 || images <= 0) return { kind: 'unknown' };
  const perImage = tokens / images;
  const entry = TOKENS.find((t) => t.match.test(model.toLowerCase()));
  if (!entry) return { kind: 'unknown' };
  const candidates = Object.entries(entry.sizes).filter(([, n]) => n === perImage).map(([s]) => s);
  if (candidates.length === 0) return { kind: 'unknown' };
  if (candidates.length === 1) return { kind: 'exact', size: candidates[0]! };
  return { kind: 'ambiguous', size: candidates[0]!, candidates };
}
