import { describe, expect, it } from 'vitest';
import {
  BUDGET_LINK_MAX, budgetInput, budgetSentence, budgetStatus, formatBudgetPercent, statusText, checkBudgetInputs, sanitizeBudgetInputs, budgetsToCsv, compareBudgets, daysInMonth, decodeBudgets, DEFAULT_THRESHOLDS, encodeBudgets, forecastFromDays, forecastMonth,
  formatBudgetError, nextMonth, parseBudgetCsv, parseThresholds, scopeLabel, worstStatus, type BudgetRow, type ScopeDay,
} from '../../src/domain/budget';
import type { CubeRow } from '../../src/domain/cube';
import { formatPlain, parseUsd, ZERO } from '../../src/domain/money';
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

describe('budget table vs actual', () => {
  const team = (value: string) => ({ attribute: 'team', value });
  const spend = (scope: { attribute: string; value: string } | null, d: string, cost: string, requests = 1, unpriced = 0): ScopeDay => ({ scope, day: d, cost: parseUsd(cost), requests, unpricedRequests: unpriced });
  const days: ScopeDay[] = [
    spend(null, '2026-06-10', '50', 5), spend(null, '2026-06-20', '30', 3, 2),
    spend(null, '2026-07-01', '40', 4), spend(null, '2026-07-02', '41.5', 4),
    spend(team('design'), '2026-06-10', '20', 2), spend(team('design'), '2026-07-01', '10', 1), spend(team('design'), '2026-07-02', '14', 1),
    spend(team('ads'), '2026-06-20', '60', 6, 1),
  ];
  const rows: BudgetRow[] = [
    { month: '2026-07', scope: null, amount: parseUsd('100') },
    { month: '2026-06', scope: team('design'), amount: parseUsd('25') },
    { month: '2026-06', scope: null, amount: parseUsd('100') },
    { month: '2026-06', scope: team('ads'), amount: parseUsd('50') },
    { month: '2026-08', scope: null, amount: parseUsd('100') },
    { month: '2026-07', scope: team('nobody'), amount: parseUsd('0') },
  ];
  const lines = compareBudgets(rows, days, DEFAULT_THRESHOLDS, '2026-07-02');
  const row = (month: string, label: string) => lines.find((l) => l.month === month && scopeLabel(l.scope) === label)!;

  it('sums each month and scope, variance = actual − budget, in canonical order', () => {
    expect(lines.map((l) => `${l.month} ${scopeLabel(l.scope)}`)).toEqual([
      '2026-06 overall', '2026-06 team = ads', '2026-06 team = design', '2026-07 overall', '2026-07 team = nobody', '2026-08 overall',
    ]);
    const june = row('2026-06', 'overall');
    // 50 + 30 = 80 of 100: 80 % is exactly the warning threshold
    expect([formatPlain(june.actual), formatPlain(june.variance), june.usedPercent, june.variancePercent, june.status, june.requests, june.unpricedRequests]).toEqual(['80', '-20', 80, -20, 'warn', 8, 2]);
    const ads = row('2026-06', 'team = ads');
    expect([formatPlain(ads.actual), formatPlain(ads.variance), ads.usedPercent, ads.variancePercent, ads.status, ads.unpricedRequests]).toEqual(['60', '10', 120, 20, 'over', 1]);
    const design = row('2026-06', 'team = design');
    expect([formatPlain(design.actual), design.usedPercent, design.status]).toEqual(['20', 80, 'warn']);
    expect(june.forecast).toBeNull();
  });

  it('the month of the last logged day gets a forecast per scope; later months are future', () => {
    const july = row('2026-07', 'overall');
    // 81.5 spent by 07-02; the window runs from the scope's first logged day (06-10) to 07-02 and holds 80 + 81.5 = 161.5
    const windowDays = 21 + 2; // 06-10 … 06-30 is 21 days, then 07-01 and 07-02
    expect([formatPlain(july.actual), july.status, july.forecast!.windowDays, july.forecast!.daysRemaining]).toEqual(['81.5', 'warn', windowDays, 29]);
    const expected = 81.5 + (161.5 * 29) / windowDays;
    expect(Number(formatPlain(july.forecast!.forecast))).toBeCloseTo(expected, 9);
    expect(july.forecastPercent).toBeCloseTo(expected, 3);
    expect(july.forecastStatus).toBe('over');
    const nobody = row('2026-07', 'team = nobody');
    expect([formatPlain(nobody.actual), nobody.status, nobody.usedPercent, nobody.forecastStatus]).toEqual(['0', 'ok', null, 'ok']);
    const august = row('2026-08', 'overall');
    expect([august.isFuture, formatPlain(august.actual), august.forecast]).toEqual([true, '0', null]);
  });

  it('a scoped forecast starts its window with the log, not its own first request', () => {
    const design = forecastFromDays([{ day: '2026-07-01', cost: parseUsd('10') }, { day: '2026-07-02', cost: parseUsd('14') }], '2026-07-02', null, 30, '2026-06-10');
    // 24 over 23 days, 29 days left
    expect(Number(formatPlain(design.forecast))).toBeCloseTo(24 + (24 * 29) / 23, 9);
    expect(forecastFromDays([{ day: '2026-07-01', cost: parseUsd('10') }, { day: '2026-07-02', cost: parseUsd('14') }], '2026-07-02', null).windowDays).toBe(2);
  });

  it('thresholds are compared exactly, and are a setting', () => {
    const t = { warn: 80, over: 100 };
    expect([budgetStatus(parseUsd('79.999999999999'), parseUsd('100'), t), budgetStatus(parseUsd('80'), parseUsd('100'), t), budgetStatus(parseUsd('99.99'), parseUsd('100'), t), budgetStatus(parseUsd('100'), parseUsd('100'), t)]).toEqual(['ok', 'warn', 'warn', 'over']);
    expect(budgetStatus(parseUsd('95'), parseUsd('100'), { warn: 50, over: 90 })).toBe('over');
    expect([budgetStatus(ZERO, ZERO, t), budgetStatus(parseUsd('0.01'), ZERO, t)]).toEqual(['ok', 'over']);
    expect(parseThresholds('70, 95')).toEqual({ ok: true, thresholds: { warn: 70, over: 95 } });
    expect(parseThresholds('100,80')).toMatchObject({ ok: false, problem: expect.stringContaining('must be below') });
    expect(parseThresholds('80%,100')).toMatchObject({ ok: false });
    expect(parseThresholds('0,100')).toMatchObject({ ok: false, problem: expect.stringContaining('1 to 1000') });
    expect(worstStatus('warn', 'over')).toBe('over');
    expect(worstStatus('over', 'ok')).toBe('over');
  });
});

describe('budget files and links', () => {
  const file = 'month,scope,value,budget_usd\r\n2026-07,overall,,2500\r\n2026-07,team,design,1200.50\r\n2026-06,team,"ads, EU",300\r\n';

  it('reads rows, overall and scoped, and writes them back the same', () => {
    const r = parseBudgetCsv(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows.map((x) => [x.month, scopeLabel(x.scope), formatPlain(x.amount)])).toEqual([
      ['2026-06', 'team = ads, EU', '300'], ['2026-07', 'overall', '2500'], ['2026-07', 'team = design', '1200.5'],
    ]);
    expect(parseBudgetCsv(budgetsToCsv(r.rows))).toEqual(r);
    expect(budgetsToCsv(r.rows)).toBe('month,scope,value,budget_usd\r\n2026-06,team,"ads, EU",300\r\n2026-07,overall,,2500\r\n2026-07,team,design,1200.5\r\n');
  });

  it('columns in another order, a BOM, LF endings and an empty scope for overall are fine', () => {
    const r = parseBudgetCsv('\uFEFFbudget_usd,month,value,scope\n10,2026-01,,\n');
    expect(r).toEqual({ ok: true, rows: [{ month: '2026-01', scope: null, amount: parseUsd('10') }] });
  });

  it('a value that a spreadsheet would run as a formula survives the round trip', () => {
    const rows: BudgetRow[] = [{ month: '2026-01', scope: { attribute: 'key', value: '=sk-1' }, amount: parseUsd('5') }];
    expect(budgetsToCsv(rows)).toContain("'=sk-1");
    expect(parseBudgetCsv(budgetsToCsv(rows))).toEqual({ ok: true, rows });
  });

  it.each([
    ['', 1, null, 'the file is empty'],
    ['month,scope,budget_usd\n', 1, null, 'missing value'],
    ['month,scope,value,budget_usd,notes\n', 1, null, 'unknown "notes"'],
    ['month,scope,value,budget_usd\n2026-13,overall,,5\n', 2, 'month', '"2026-13" is not a month'],
    ['month,scope,value,budget_usd\n2026-01,overall,,$5\n', 2, 'budget_usd', '"$5" is not an amount'],
    ['month,scope,value,budget_usd\n2026-01,overall,,5.001\n', 2, 'budget_usd', 'not an amount'],
    ['month,scope,value,budget_usd\n2026-01,overall,,-5\n', 2, 'budget_usd', 'not an amount'],
    ['month,scope,value,budget_usd\n2026-01,team,,5\n', 2, 'value', 'needs a value'],
    ['month,scope,value,budget_usd\n2026-01,,design,5\n', 2, 'scope', 'needs the attribute'],
    ['month,scope,value,budget_usd\n2026-01,overall,,5,6\n', 2, null, '5 fields where the header has 4'],
    ['month,scope,value,budget_usd\n\n2026-01,team,a,5\n2026-01,team,a,6\n', 4, null, 'a second budget for 2026-01, team = a (the first is on line 3)'],
    ['month,scope,value,budget_usd\n2026-01,team,"a,5\n', 2, null, 'not closed'],
  ])('%j → line %i, column %s: %s', (text, line, column, message) => {
    const r = parseBudgetCsv(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line, column });
    expect(r.errors[0]!.message).toContain(message);
  });

  it('every bad row is reported, not only the first', () => {
    const r = parseBudgetCsv('month,scope,value,budget_usd\n2026-1,overall,,5\n2026-02,overall,,x\n2026-03,overall,,7\n');
    expect(r.ok ? [] : r.errors.map(formatBudgetError)).toEqual([
      'line 2, column month: "2026-1" is not a month (YYYY-MM)',
      'line 3, column budget_usd: "x" is not an amount in dollars (e.g. 2500 or 1200.50, no currency sign)',
    ]);
  });

  it('a link carries the table; a bad link is a message', () => {
    const r = parseBudgetCsv(file);
    if (!r.ok) throw new Error('fixture');
    const token = encodeBudgets(r.rows);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBudgets(token)).toEqual({ ok: true, rows: r.rows });
    expect(decodeBudgets('<script>')).toMatchObject({ ok: false, problem: expect.stringContaining('not valid base64url') });
    expect(decodeBudgets(Buffer.from('month,scope,value,budget_usd\nx,overall,,1\n').toString('base64url'))).toMatchObject({ ok: false, problem: expect.stringContaining('line 2, column month') });
    expect(decodeBudgets('A'.repeat(BUDGET_LINK_MAX + 4))).toMatchObject({ ok: false, problem: expect.stringContaining('too long') });
  });
});

describe('budget rows as typed', () => {
  it('valid rows are kept, others report their row and column; the first of two duplicates counts', () => {
    const r = checkBudgetInputs([
      { month: '2026-07', attribute: 'overall', value: '', amount: '2500' },
      { month: '2026-07', attribute: 'team', value: 'design', amount: '12,00' },
      { month: ' 2026-07 ', attribute: '', value: '', amount: '100' },
    ]);
    expect(r.rows).toEqual([{ month: '2026-07', scope: null, amount: parseUsd('2500') }]);
    expect(r.problems).toEqual([
      { index: 1, column: 'budget_usd', message: expect.stringContaining('"12,00"') },
      { index: 2, column: null, message: 'a second budget for 2026-07, overall (the first is row 1)' },
    ]);
    expect(budgetInput(r.rows[0]!)).toEqual({ month: '2026-07', attribute: 'overall', value: '', amount: '2500' });
  });

  it('storage is not trusted', () => {
    expect(sanitizeBudgetInputs('x')).toEqual([]);
    expect(sanitizeBudgetInputs([{ month: '2026-01', attribute: '', value: '', amount: '1' }, { month: 5 }, null, { month: 'x'.repeat(500), attribute: '', value: '', amount: '' }]))
      .toEqual([{ month: '2026-01', attribute: '', value: '', amount: '1' }]);
  });
});

describe('budget figures in words', () => {
  it('percents round down so the figure meets a threshold exactly when the status does', () => {
    expect([formatBudgetPercent(79.9999), formatBudgetPercent(80), formatBudgetPercent(104.2), formatBudgetPercent(null)]).toEqual(['79 %', '80 %', '104 %', '—']);
    const lines = compareBudgets([{ month: '2026-07', scope: null, amount: parseUsd('100') }],
      [{ scope: null, day: '2026-07-01', cost: parseUsd('41'), requests: 1, unpricedRequests: 0 }, { scope: null, day: '2026-07-02', cost: parseUsd('41'), requests: 1, unpricedRequests: 0 }], DEFAULT_THRESHOLDS, '2026-07-02');
    // 82 spent; 41 a day over 2 days for 29 more days: 82 + 1189 = 1271
    expect(budgetSentence(lines[0]!, DEFAULT_THRESHOLDS)).toBe("82 % of July 2026's budget used; forecast 1271 % — over 100 %");
    expect(statusText('warn', { warn: 70, over: 90 })).toBe('over 70 %');
  });
});
