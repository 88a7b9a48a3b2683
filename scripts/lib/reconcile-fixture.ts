/**
 * A seeded request log whose billed cost (`cost_usd`) differs from the rate card's price in known
 * ways, one kind per request (column `injected`): exact matches and matches within the
 * tolerance, a gateway billing the price of another date, thinking tokens left out of the bill,
 * failed requests billed and not billed, batch requests billed before a rate override, unpriced
 * models, plain differences, and requests with no billed cost. Prices come from the rate card
 * given (bigint picodollars, tokens × rate per token), never from PixelSpend's pricing code.
 */
import { formatPlain, ZERO, type Pico } from '../../src/domain/money';
import { createRng } from '../../src/domain/random';
import type { ActivePrice, ActiveRates } from '../../src/domain/rate-card';

export const RECONCILE_OVERRIDE = { model: 'gemini-3-pro-image', provider: 'google', lane: 'batch', field: 'per_million_tokens.output_image', value: '100.00' };

export type Injected = 'match' | 'within_tolerance' | 'other_price' | 'thinking_tokens' | 'failed_billed' | 'not_billed' | 'rate_override' | 'unpriced' | 'other' | 'no_billed_cost';

export interface FixtureRow {
  requestId: string;
  ts: number;
  model: string;
  provider: string;
  lane: string;
  imageSize: string;
  images: number;
  attempts: number;
  billedAttempts: number;
  inputTokens: number;
  textTokens: number;
  thinkingTokens: number;
  status: string;
  team: string;
  injected: Injected;
  /** null: the log carries no billed cost */
  billed: Pico | null;
}

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1);
const DAYS = 180;

/** The entry in force for a request, found by a plain scan of the card (null: unpriced). */
export function entryFor(rates: ActiveRates, r: Pick<FixtureRow, 'model' | 'provider' | 'lane' | 'ts'>, useBase = false): ActivePrice | null {
  const p = rates.prices.find((e) => e.model === r.model && e.provider === r.provider && e.lane === r.lane && e.from <= r.ts && (e.to === null || r.ts < e.to));
  if (!p) return null;
  return useBase ? (p.beforeOverrides ?? p) : p;
}

/** One request's cost under `p`: per image, or image tokens + input + text and thinking tokens, × billed attempts. */
export function costUnder(rates: ActiveRates, p: ActivePrice, r: FixtureRow): Pico {
  const perImage = p.perImage[r.imageSize as keyof typeof p.perImage];
  let attempt: bigint;
  if (perImage !== undefined) {
    attempt = perImage * BigInt(r.images);
  } else {
    const tokens = rates.models.get(p.model)!.imageTokens[r.imageSize as keyof typeof p.perImage]!;
    attempt = p.tokenRates.output_image! * BigInt(tokens * r.images);
    if (r.inputTokens > 0) attempt += p.tokenRates.input_text! * BigInt(r.inputTokens);
    if (r.textTokens + r.thinkingTokens > 0) attempt += p.tokenRates.output_text! * BigInt(r.textTokens + r.thinkingTokens);
  }
  return (attempt * BigInt(r.billedAttempts)) as Pico;
}

/**
 * `n` requests; `rates` must carry RECONCILE_OVERRIDE (its entry's `beforeOverrides` prices
 * the rate-override rows).
 */
export function reconcileFixture(rates: ActiveRates, n = 600, seed = 12): FixtureRow[] {
  const rng = createRng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const kinds: [Injected, number][] = [
    ['match', 30], ['within_tolerance', 8], ['other_price', 10], ['thinking_tokens', 10], ['failed_billed', 5],
    ['not_billed', 5], ['rate_override', 8], ['unpriced', 6], ['other', 6], ['no_billed_cost', 12],
  ];
  const weight = kinds.reduce((s, [, w]) => s + w, 0);
  const rows: FixtureRow[] = [];
  for (let i = 0; i < n; i++) {
    let x = rng() * weight;
    const injected = kinds.find(([, w]) => (x -= w) < 0)![0];
    const attempts = 1 + (rng() < 0.2 ? 1 : 0);
    const r: FixtureRow = {
      requestId: `rec-${String(i + 1).padStart(5, '0')}`,
      ts: START + Math.floor(rng() * DAYS * DAY),
      model: 'gemini-3-pro-image',
      provider: 'google',
      lane: 'standard',
      imageSize: pick(['1K', '2K', '4K']),
      images: 1 + (rng() < 0.15 ? 1 : 0),
      attempts,
      billedAttempts: attempts,
      inputTokens: 50 + Math.floor(rng() * 400),
      textTokens: rng() < 0.3 ? Math.floor(rng() * 200) : 0,
      thinkingTokens: 0,
      status: 'ok',
      team: pick(['design', 'ads', 'web']),
      injected,
      billed: null,
    };
    if (injected === 'other_price') {
      Object.assign(r, { provider: 'laozhang', imageSize: '1K', inputTokens: 0, textTokens: 0 });
    } else if (injected === 'rate_override') {
      r.lane = 'batch';
    } else if (injected === 'unpriced') {
      r.model = pick(['mystery-model-7', 'acme/painter-2']);
    } else if (injected === 'failed_billed') {
      Object.assign(r, { attempts: 1, billedAttempts: 0, status: 'failed' });
    } else if (injected === 'not_billed') {
      Object.assign(r, { attempts: 1, billedAttempts: 1, status: 'failed' });
    }
    if (injected === 'thinking_tokens' || (injected === 'match' && rng() < 0.3)) r.thinkingTokens = 20 + Math.floor(rng() * 500);

    const price = entryFor(rates, r);
    const computed = price ? costUnder(rates, price, r) : ZERO;
    const offsets: Record<Injected, () => Pico | null> = {
      match: () => computed,
      within_tolerance: () => (computed + 400_000n) as Pico, // $0.0000004
      other_price: () => {
        const other = rates.prices.find((e) => e.model === r.model && e.provider === r.provider && e.lane === r.lane && e !== price)!;
        return costUnder(rates, other, r);
      },
      thinking_tokens: () => (computed - price!.tokenRates.output_text! * BigInt(r.thinkingTokens * r.billedAttempts)) as Pico,
      failed_billed: () => costUnder(rates, price!, { ...r, billedAttempts: 1 }),
      not_billed: () => ZERO,
      rate_override: () => costUnder(rates, price!.beforeOverrides!, r),
      unpriced: () => BigInt(10_000_000_000 + Math.floor(rng() * 90_000_000_000)) as Pico,
      other: () => (computed + BigInt(1_000_000_000 + Math.floor(rng() * 19_000_000_000))) as Pico,
      no_billed_cost: () => null,
    };
    r.billed = offsets[injected]();
    rows.push(r);
  }
  return rows;
}

const HEADER = 'request_id,timestamp,model,provider,lane,image_size,images,attempt_count,billed_attempts,input_tokens,output_text_tokens,output_thinking_tokens,status,cost_usd,team,injected';

/** The rows in the canonical CSV format (docs/log-format.md); `team` and `injected` become attributes. */
export function fixtureCsv(rows: readonly FixtureRow[]): string {
  const lines = rows.map((r) =>
    [
      r.requestId, new Date(r.ts).toISOString(), r.model, r.provider, r.lane, r.imageSize, r.images, r.attempts, r.billedAttempts,
      r.inputTokens, r.textTokens, r.thinkingTokens, r.status, r.billed === null ? '' : formatPlain(r.billed), r.team, r.injected,
    ].join(','),
  );
  return `${[HEADER, ...lines].join('\n')}\n`;
}
