import { formatPlain, toUsdNumber, type Pico } from '../../domain/money';

const formatters = new Map<string, Intl.NumberFormat>();

/** An amount in its own currency ("€3.10", "$1.25"): a bill's non-USD lines are never shown as dollars. */
export function money(value: Pico | null, currency: string, digits = 2): string {
  if (value === null) return '–';
  const key = `${currency}|${digits}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      return `${formatPlain(value)} ${currency}`;
    }
    formatters.set(key, f);
  }
  return f.format(toUsdNumber(value));
}

/** A difference shown to the sub-cent when it is smaller than a cent, so a real gap never reads as $0.00. */
export function difference(value: Pico | null): string {
  if (value === null) return '–';
  const abs = value < 0n ? -value : value;
  return money(value, 'USD', abs !== 0n && abs < 10_000_000_000n ? 6 : 2);
}
