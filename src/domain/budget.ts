import { addDays, dailyCost, type CubeRow } from './cube';
import { ZERO, type Pico } from './money';
import { mulRatio, scaleByFactor } from './money-ratio';
import { Z95 } from './stats';

export interface BudgetForecast {
  month: string;
  asOf: string;
  daysInMonth: number;
  daysElapsed: number;
  daysRemaining: number;
  monthToDate: Pico;
  /** mean cost per day over the run-rate window */
  dailyRate: Pico;
  windowDays: number;
  forecast: Pico;
  forecastLow: Pico;
  forecastHigh: Pico;
  budget: Pico | null;
  /** the forecast itself is over budget */
  isOver: boolean;
  /** the forecast's high end is over budget */
  mayExceed: boolean;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Month-to-date spend up to `asOf` (inclusive) and the run-rate forecast to month end.
 * The rate is the mean daily cost over the last `windowDays` days up to `asOf` (days with
 * no requests count as zero). The range treats the remaining days as independent draws
 * from the window's days: ±1.96 × sd × √(r + r²/n), which also carries the uncertainty of
 * the mean; its low end never falls below what is already spent.
 */
export function forecastMonth(rows: readonly CubeRow[], asOf: string, budget: Pico | null, windowDays = 30): BudgetForecast {
  const month = asOf.slice(0, 7);
  const total = daysInMonth(month);
  const elapsed = Number(asOf.slice(8, 10));
  const remaining = total - elapsed;
  const byDay = new Map(dailyCost(rows).map((d) => [d.day, d.cost]));
  let monthToDate = ZERO;
  for (let d = 1; d <= elapsed; d++) monthToDate = (monthToDate + (byDay.get(`${month}-${String(d).padStart(2, '0')}`) ?? ZERO)) as Pico;

  const windowFrom = addDays(asOf, -(windowDays - 1));
  const firstDay = [...byDay.keys()].sort()[0] ?? asOf;
  const start = firstDay > windowFrom ? firstDay : windowFrom;
  const window: Pico[] = [];
  for (let day = start; day <= asOf; day = addDays(day, 1)) window.push(byDay.get(day) ?? ZERO);
  const n = window.length;
  const sum = window.reduce((a, b) => a + b, 0n) as Pico;
  const dailyRate = n > 0 ? mulRatio(sum, 1n, BigInt(n)) : ZERO;
  const forecast = (monthToDate + mulRatio(sum, BigInt(remaining), BigInt(Math.max(n, 1)))) as Pico;

  // The spread is a statistical estimate, so a float is fine here; the money it scales is exact.
  const unit = 1_000_000n;
  const asNumber = (p: Pico) => Number(p / unit) / 1e6;
  const mean = n > 0 ? asNumber(sum) / n : 0;
  const variance = n > 1 ? window.reduce((acc, v) => acc + (asNumber(v) - mean) ** 2, 0) / (n - 1) : 0;
  const half = n > 0 ? Z95 * Math.sqrt(variance) * Math.sqrt(remaining + (remaining * remaining) / n) : 0;
  const halfPico = scaleByFactor(1_000_000_000_000n as Pico, half);
  const low = (forecast - halfPico) as Pico;
  const forecastLow = low < monthToDate ? monthToDate : low;
  const forecastHigh = (forecast + halfPico) as Pico;
  return {
    month,
    asOf,
    daysInMonth: total,
    daysElapsed: elapsed,
    daysRemaining: remaining,
    monthToDate,
    dailyRate,
    windowDays: n,
    forecast,
    forecastLow,
    forecastHigh,
    budget,
    isOver: budget !== null && forecast > budget,
    mayExceed: budget !== null && forecastHigh > budget,
  };
}

/** The month after YYYY-MM. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
