import { describe, expect, it } from 'vitest';
import { forecastMonth, nextMonth, daysInMonth } from '../../src/domain/budget';
import type { CubeRow } from '../../src/domain/cube';
import { formatPlain, parseUsd } from '../../src/domain/money';
import { Z95 } from '../../src/domain/stats';

const day = (d: string, cost: string): CubeRow => ({
  model: 'gemini-3.1-flash-image', imageSize: '1K', lane: 'standard', provider: 'google', jobType: 'draft', day: d, requests: 1, images: 1,
  attempts: 1, billedAttempts: 1, billedImages: 1, withFeedback: 0, accepted: 0, unpricedRequests: 0, cost: parseUsd(cost),
});
const august = (n: number, cost: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => day(`2026-08-${String(i + 1).padStart(2, '0')}`, cost(i)));

describe('monthly budget forecast', () => {
  it('a steady $10 a day: $200 by the 20th, $310 at month end, over a $300 budget', () => {
    const f = forecastMonth(august(20, () => '10'), '2026-08-20', parseUsd('300'));
    expect([formatPlain(f.monthToDate), formatPlain(f.dailyRate), formatPlain(f.forecast), f.daysRemaining, f.windowDays]).toEqual(['200', '10', '310', 11, 20]);
    expect([formatPlain(f.forecastLow), formatPlain(f.forecastHigh)]).toEqual(['310', '310']);
    expect([f.isOver, f.mayExceed]).toEqual([true, true]);
    expect(forecastMonth(august(20, () => '10'), '2026-08-20', parseUsd('320')).isOver).toBe(false);
  });

  it('alternating $10 and $20: rate $15, forecast 150 + 21 × 15 = 465 ± 1.96 × sd × √(21 + 21²/10)', () => {
    const f = forecastMonth(august(10, (i) => (i % 2 ? '20' : '10')), '2026-08-10', parseUsd('500'));
    expect(formatPlain(f.forecast)).toBe('465');
    const sd = Math.sqrt((10 * 25) / 9);
    const half = Z95 * sd * Math.sqrt(21 + 441 / 10);
    expect(Number(formatPlain(f.forecastHigh))).toBeCloseTo(465 + half, 6);
    expect(Number(formatPlain(f.forecastLow))).toBeCloseTo(465 - half, 6);
    expect([f.isOver, f.mayExceed]).toEqual([false, true]);
  });

  it('days without requests count as zero, and only the asOf month is month-to-date', () => {
    const rows = [day('2026-07-31', '100'), day('2026-08-01', '30'), day('2026-08-03', '30')];
    const f = forecastMonth(rows, '2026-08-04', null, 4);
    // window 08-01 … 08-04: 30 + 0 + 30 + 0 = 60 over 4 days = 15 a day; 27 days left
    expect([formatPlain(f.monthToDate), formatPlain(f.dailyRate), formatPlain(f.forecast)]).toEqual(['60', '15', '465']);
    expect([f.isOver, f.mayExceed]).toEqual([false, false]);
  });

  it('the low end never falls below what is already spent', () => {
    const f = forecastMonth([day('2026-08-01', '1000'), day('2026-08-02', '0')], '2026-08-02', null);
    expect(f.forecastLow >= f.monthToDate).toBe(true);
  });

  it('calendar helpers', () => {
    expect([daysInMonth('2026-02'), daysInMonth('2028-02'), daysInMonth('2026-08')]).toEqual([28, 29, 31]);
    expect([nextMonth('2026-08'), nextMonth('2026-12')]).toEqual(['2026-09', '2027-01']);
  });
});
