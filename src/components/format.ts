import { formatUsd, toUsdNumber, type Pico } from '../domain/money';

export function usd(value: Pico | number, digits = 2): string {
  return formatUsd(value, digits);
}

/** Per-image figures need more places than totals ($0.0672, not $0.07). */
export function usdUnit(value: Pico | number): string {
  const n = typeof value === 'number' ? value : toUsdNumber(value);
  return formatUsd(n, Math.abs(n) < 1 ? 4 : 2);
}

const integer = new Intl.NumberFormat('en-US');
export function count(n: number): string {
  return integer.format(n);
}

export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}
