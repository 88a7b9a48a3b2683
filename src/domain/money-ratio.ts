import type { Pico } from './money';

/** value × num / den, rounded half away from zero to the picodollar (one rounding, exact integers before it). */
export function mulRatio(value: Pico, num: bigint, den: bigint): Pico {
  if (den <= 0n) throw new RangeError('denominator must be positive');
  const product = value * num;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs * 2n + den) / (2n * den);
  return (negative ? -rounded : rounded) as Pico;
}

const FACTOR_SCALE = 1_000_000_000n;

/**
 * value × a real factor (an expectation such as mean attempts or a probability). The factor
 * is fixed to 9 decimals first, so the result is reproducible to the picodollar.
 */
export function scaleByFactor(value: Pico, factor: number): Pico {
  if (!Number.isFinite(factor)) throw new RangeError(`factor ${factor} is not finite`);
  return mulRatio(value, BigInt(Math.round(factor * 1e9)), FACTOR_SCALE);
}
