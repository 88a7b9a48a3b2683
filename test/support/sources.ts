import type { Pico } from '../../src/domain/money';

/*
 * The expected bill of every fixture in test/fixtures/sources, worked out by hand from the
 * bundled cards (pricing facts): rates in USD per 1M tokens, so `tokens × rate` is in
 * micro-dollars and × 10⁶ in picodollars. Shared by the engine test and the CLI test.
 *
 *   Pro (gemini-3-pro-image), google and vertex: standard input 2, text/thinking 12, image 120;
 *     batch/flex input 1, text 6, image 60. 1K/2K = 1120 image tokens, 4K = 2000.
 *   Flash 3.1, google: standard (AI Studio variant) input 0.5, text 3, image 60; batch/flex 0.25, 1.5, 30.
 *     512/1K/2K/4K = 747/1120/1680/2520.
 *   OpenRouter Pro: $0.14 per 1K/2K image, tokens included. laozhang Pro (to 2026-07-01): $0.05 per image.
 */
export const tokens = (count: number, usdPerMillion: number): Pico => (BigInt(count) * BigInt(Math.round(usdPerMillion * 1e6))) as Pico;
export const dollars = (usd: string): Pico => {
  const [whole, frac = ''] = usd.split('.');
  return (BigInt(whole!) * 1_000_000_000_000n + BigInt((frac + '000000000000').slice(0, 12))) as Pico;
};
export const sum = (...parts: Pico[]): Pico => parts.reduce((a, b) => a + b, 0n) as Pico;

export interface SourceCase {
  file: string;
  format: string;
  read: number;
  accepted: number;
  unpriced: number;
  /** what the fixture costs, by hand */
  total: Pico;
  defaultTime?: string;
}

export const SOURCE_CASES: SourceCase[] = [
  {
    // ai-1 Flash standard, 1680 tokens → 2K; 20 in, 150 thinking. ai-2 Pro blocked (IMAGE_SAFETY): 12 in, 80 thinking, no image.
    // ai-3 Flash flex (serviceTier), 1K: 30 in, 10 text, 1120 image.
    file: 'gemini-api.jsonl', format: 'gemini-response ndjson', read: 3, accepted: 3, unpriced: 0, defaultTime: '2026-03-10',
    total: sum(tokens(1680, 60), tokens(20, 0.5), tokens(150, 3), tokens(12, 2), tokens(80, 12), tokens(1120, 30), tokens(30, 0.25), tokens(10, 1.5)),
  },
  { file: 'gemini-api-single.json', format: 'gemini-response json', read: 1, accepted: 1, unpriced: 0, defaultTime: '2026-03-10', total: sum(tokens(2000, 120), tokens(10, 2)) },
  {
    // Pro 2K (asked) 10 in 100 thinking; Flash 747 tokens → 512, 5 in.
    file: 'gemini-api-array.json', format: 'gemini-response json', read: 2, accepted: 2, unpriced: 0, defaultTime: '2026-03-10',
    total: sum(tokens(1120, 120), tokens(10, 2), tokens(100, 12), tokens(747, 60), tokens(5, 0.5)),
  },
  {
    // vertex standard Pro: 1K 15 in 200 thinking; 4K 20 in. vx-2 is provisioned throughput: unpriced.
    file: 'vertex-responses.jsonl', format: 'gemini-response ndjson', read: 3, accepted: 3, unpriced: 1,
    total: sum(tokens(1120, 120), tokens(15, 2), tokens(200, 12), tokens(2000, 120), tokens(20, 2)),
  },
  {
    // batch Flash: 4K (2520) 40 in 60 thinking; 1K (1120) 8 in. poster-2 failed (429): rejected, not billed.
    file: 'gemini-batch-output.jsonl', format: 'gemini-batch ndjson', read: 3, accepted: 2, unpriced: 0, defaultTime: '2026-03-05',
    total: sum(tokens(2520, 30), tokens(40, 0.25), tokens(60, 1.5), tokens(1120, 30), tokens(8, 0.25)),
  },
  {
    // batch Pro: 1120 (1K, ambiguous) 10 in; 4K 10 in 50 thinking; inline-2 failed.
    file: 'gemini-batch-inline.json', format: 'gemini-batch (inline) json', read: 3, accepted: 2, unpriced: 0,
    total: sum(tokens(1120, 60), tokens(10, 1), tokens(2000, 60), tokens(10, 1), tokens(50, 6)),
  },
  {
    // vertex batch Pro: 2K 10 in 40 thinking; 4K 10 in; the line with a status failed.
    file: 'vertex-batch-predictions.jsonl', format: 'vertex-batch ndjson', read: 3, accepted: 2, unpriced: 0,
    total: sum(tokens(1120, 60), tokens(10, 1), tokens(40, 6), tokens(2000, 60), tokens(10, 1)),
  },
  {
    // google Pro 1120 image (1K) 10 in; the vertex failure bills nothing; google Flash 1680 image (2K) 30 in 20 reasoning.
    file: 'litellm-spendlogs.json', format: 'litellm-spendlogs json', read: 3, accepted: 3, unpriced: 0,
    total: sum(tokens(1120, 120), tokens(10, 2), tokens(1680, 60), tokens(30, 0.5), tokens(20, 3)),
  },
  {
    file: 'litellm-spendlogs.csv', format: 'litellm-spendlogs csv', read: 3, accepted: 3, unpriced: 0,
    total: sum(tokens(1120, 120), tokens(10, 2), tokens(1680, 60), tokens(30, 0.5), tokens(20, 3)),
  },
  {
    // vertex Pro 4K 10 in; a failure LiteLLM says cost $0.00002: kept as billed, no image (its 10 input tokens).
    file: 'litellm-payload.ndjson', format: 'litellm-payload ndjson', read: 2, accepted: 2, unpriced: 0,
    total: sum(tokens(2000, 120), tokens(10, 2), tokens(10, 2)),
  },
  { file: 'openrouter-generations.ndjson', format: 'openrouter-generation ndjson', read: 2, accepted: 2, unpriced: 0, total: dollars('0.14') },
  { file: 'openrouter-generation.json', format: 'openrouter-generation json', read: 1, accepted: 1, unpriced: 0, total: dollars('0.14') },
  { file: 'openrouter-activity.csv', format: 'openrouter-activity csv', read: 3, accepted: 3, unpriced: 0, total: sum(dollars('0.14'), dollars('0.14')) },
  {
    // google Flash 4K 25 in 80 reasoning; the ERROR generation bills nothing; the SPAN is rejected; vertex Pro 2K 10 in.
    file: 'langfuse-observations.json', format: 'langfuse-observation json', read: 4, accepted: 3, unpriced: 0,
    total: sum(tokens(2520, 60), tokens(25, 0.5), tokens(80, 3), tokens(1120, 120), tokens(10, 2)),
  },
  {
    // google Pro 1K (size table) 10 in; 429 bills nothing; a 500 Helicone says cost $0.00002: billed, no image (10 in).
    file: 'helicone-export.jsonl', format: 'helicone ndjson', read: 3, accepted: 3, unpriced: 0,
    total: sum(tokens(1120, 120), tokens(10, 2), tokens(10, 2)),
  },
  { file: 'helicone-export.csv', format: 'helicone csv', read: 3, accepted: 3, unpriced: 0, total: sum(tokens(1120, 120), tokens(10, 2), tokens(10, 2)) },
  {
    // vertex Pro 4K; google Pro 1K; laozhang Pro $0.05 per image.
    file: 'bigquery-export.csv', format: 'csv', read: 3, accepted: 3, unpriced: 0,
    total: sum(tokens(2000, 120), tokens(1120, 120), dollars('0.05')),
  },
];
