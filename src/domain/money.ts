/**
 * Money is an integer count of picodollars (1e-12 USD) held in a bigint. Per-token prices
 * are fractions of a micro-dollar ($0.25 per 1M tokens = 0.25 µ$ a token), so micro-dollars
 * would round; picodollars keep every rate with up to six decimals per million tokens exact.
 * DuckDB holds the same values as DECIMAL(38,12) dollars.
 */
export type Pico = bigint & { readonly __unit: 'picodollars' };

export const PICO_PER_USD = 1_000_000_000_000n;
export const MONEY_SCALE = 12;
export const ZERO = 0n as Pico;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export function pico(value: bigint): Pico {
  return value as Pico;
}

/** Parses a decimal USD string ("0.134", "120") exactly; refuses more than 12 decimals. */
export function parseUsd(text: string): Pico {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal number`);
  const [, sign, whole, frac = ''] = match;
  if (frac.length > MONEY_SCALE) {
    throw new RangeError(`"${text}" has more than ${MONEY_SCALE} decimal places`);
  }
  const value = BigInt(whole!) * PICO_PER_USD + BigInt(frac.padEnd(MONEY_SCALE, '0'));
  return pico(sign ? -value : value);
}

/** Exact decimal string with 12 places, as DuckDB prints DECIMAL(38,12). */
export function formatExact(value: Pico): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / PICO_PER_USD;
  const frac = (abs % PICO_PER_USD).toString().padStart(MONEY_SCALE, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Shortest exact decimal string ("0.1344", "120"). */
export function formatPlain(value: Pico): string {
  const exact = formatExact(value);
  return exact.replace(/\.?0+$/, '');
}

/** USD as a JS number: only at the edge (display, JSON reports), never to sum. */
export function toUsdNumber(value: Pico): number {
  const whole = value / PICO_PER_USD;
  const frac = value % PICO_PER_USD;
  return Number(whole) + Number(frac) / 1e12;
}

export function addPico(a: Pico, b: Pico): Pico {
  return (a + b) as Pico;
}

export function sumPico(values: Iterable<Pico>): Pico {
  let total = 0n;
  for (const v of values) total += v;
  return total as Pico;
}

export function mulPico(a: Pico, n: number | bigint): Pico {
  const factor = typeof n === 'bigint' ? n : BigInt(checkedInteger(n));
  return (a * factor) as Pico;
}

function checkedInteger(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  return n;
}

/** Rounds to whole cents, half away from zero: for the "listed" style of figures. */
export function roundToCents(value: Pico): Pico {
  const cent = PICO_PER_USD / 100n;
  const half = cent / 2n;
  const abs = value < 0n ? -value : value;
  const rounded = ((abs + half) / cent) * cent;
  return (value < 0n ? -rounded : rounded) as Pico;
}

const usdFormatters = new Map<number, Intl.NumberFormat>();

/** Display string like "$2,016.00"; `digits` decimals (default 2). */
export function formatUsd(value: Pico | number, digits = 2): string {
  const amount = typeof value === 'number' ? value : toUsdNumber(value);
  let formatter = usdFormatters.get(digits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    usdFormatters.set(digits, formatter);
  }
  return formatter.format(amount);
}

/** value ÷ count, rounded half up to the picodollar (for per-unit figures, not for sums). */
export function divideRounded(value: Pico, count: number): Pico {
  const n = BigInt(checkedInteger(count));
  if (n <= 0n) throw new RangeError('divide by a positive count');
  return ((value * 2n + n) / (2n * n)) as Pico;
}

/** part / whole as a plain number (a share, not money); 0 when whole is 0. */
export function ratio(part: Pico, whole: Pico): number {
  return whole === 0n ? 0 : Number((part * 1_000_000_000n) / whole) / 1e9;
}
