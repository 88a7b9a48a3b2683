import { decodeBase64Url, encodeBase64Url } from './base64url';
import { addDays, dailyCost, type CubeRow } from './cube';
import { parseCsv, toCsv, unguardCsvText } from './csv';
import { formatPlain, parseUsd, ZERO, type Pico } from './money';
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
  return forecastFromDays(dailyCost(rows), asOf, budget, windowDays);
}

/** `forecastMonth` on cost per day (any scope's days: the whole log, or one team's). */
export function forecastFromDays(days: readonly { day: string; cost: Pico }[], asOf: string, budget: Pico | null, windowDays = 30, logStart?: string): BudgetForecast {
  const month = asOf.slice(0, 7);
  const total = daysInMonth(month);
  const elapsed = Number(asOf.slice(8, 10));
  const remaining = total - elapsed;
  const byDay = new Map<string, Pico>();
  for (const d of days) byDay.set(d.day, ((byDay.get(d.day) ?? ZERO) + d.cost) as Pico);
  let monthToDate = ZERO;
  for (let d = 1; d <= elapsed; d++) monthToDate = (monthToDate + (byDay.get(`${month}-${String(d).padStart(2, '0')}`) ?? ZERO)) as Pico;

  const windowFrom = addDays(asOf, -(windowDays - 1));
  // A scope's window starts with the log, not with its own first request: its quiet days before that count as zero.
  const firstDay = logStart ?? [...byDay.keys()].sort()[0] ?? asOf;
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

// ---------------------------------------------------------------------------------------------
// Budget tables: months × scope, compared with what was spent

/** A budget's scope: one value of one attribute (team = design); null is the whole log. */
export interface BudgetScope {
  attribute: string;
  value: string;
}

/** One row of a budget table: an exact USD amount for one month and one scope. */
export interface BudgetRow {
  /** YYYY-MM */
  month: string;
  scope: BudgetScope | null;
  amount: Pico;
}

/** Percent of the budget at which a line is flagged: `warn` (approaching) and `over`. */
export interface BudgetThresholds {
  warn: number;
  over: number;
}

export const DEFAULT_THRESHOLDS: BudgetThresholds = { warn: 80, over: 100 };

export type BudgetStatus = 'ok' | 'warn' | 'over';

/** Spend of one scope on one day, as the engine sums it (priced cost only; unpriced requests counted). */
export interface ScopeDay {
  scope: BudgetScope | null;
  day: string;
  cost: Pico;
  requests: number;
  unpricedRequests: number;
}

export interface BudgetLine {
  month: string;
  scope: BudgetScope | null;
  budget: Pico;
  /** priced spend of the month in this scope */
  actual: Pico;
  requests: number;
  /** requests in the month and scope that have no price: not in `actual` */
  unpricedRequests: number;
  /** actual − budget: positive is over budget */
  variance: Pico;
  /** variance as a percent of the budget; null when the budget is 0 */
  variancePercent: number | null;
  /** actual as a percent of the budget; null when the budget is 0 */
  usedPercent: number | null;
  status: BudgetStatus;
  /** the month is after the log's last day: nothing spent yet */
  isFuture: boolean;
  /** only for the current month (the month of the log's last day), as of that day */
  forecast: BudgetForecast | null;
  forecastPercent: number | null;
  forecastStatus: BudgetStatus | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const ATTRIBUTE_MAX = 120;

export function isValidMonth(text: string): boolean {
  return MONTH.test(text);
}

/** A key that tells scopes apart: '' for the whole log. */
export function scopeKey(scope: BudgetScope | null): string {
  return scope === null ? '' : `${scope.attribute}\u0000${scope.value}`;
}

export function scopeLabel(scope: BudgetScope | null): string {
  return scope === null ? 'overall' : `${scope.attribute} = ${scope.value}`;
}

/** Where `spent` stands against `budget`, compared exactly (a 0 budget is over as soon as anything is spent). */
export function budgetStatus(spent: Pico, budget: Pico, thresholds: BudgetThresholds): BudgetStatus {
  if (budget === 0n) return spent > 0n ? 'over' : 'ok';
  const at = (percent: number) => spent * 100n >= budget * BigInt(percent);
  return at(thresholds.over) ? 'over' : at(thresholds.warn) ? 'warn' : 'ok';
}

function percentOf(part: Pico, whole: Pico): number | null {
  return whole === 0n ? null : Number((part * 1_000_000n) / whole) / 10_000;
}

/**
 * Budget vs actual for every row of the table. `days` is the spend per scope and day of the
 * whole log; `asOf` its last day: the month holding it is the current month and gets the
 * run-rate forecast of `forecastFromDays` for its scope.
 */
export function compareBudgets(rows: readonly BudgetRow[], days: readonly ScopeDay[], thresholds: BudgetThresholds, asOf: string | null, logStart?: string): BudgetLine[] {
  const byScope = new Map<string, ScopeDay[]>();
  for (const d of days) {
    const key = scopeKey(d.scope);
    const list = byScope.get(key);
    if (list) list.push(d);
    else byScope.set(key, [d]);
  }
  const current = asOf?.slice(0, 7) ?? null;
  return [...rows].sort(compareRows).map((row) => {
    const scopeDays = byScope.get(scopeKey(row.scope)) ?? [];
    let actual = ZERO;
    let requests = 0;
    let unpricedRequests = 0;
    for (const d of scopeDays) {
      if (d.day.slice(0, 7) !== row.month || (asOf !== null && d.day > asOf)) continue;
      actual = (actual + d.cost) as Pico;
      requests += d.requests;
      unpricedRequests += d.unpricedRequests;
    }
    const variance = (actual - row.amount) as Pico;
    const forecast = row.month === current && asOf !== null ? forecastFromDays(scopeDays, asOf, row.amount, 30, logStart) : null;
    return {
      month: row.month,
      scope: row.scope,
      budget: row.amount,
      actual,
      requests,
      unpricedRequests,
      variance,
      variancePercent: percentOf(variance, row.amount),
      usedPercent: percentOf(actual, row.amount),
      status: budgetStatus(actual, row.amount, thresholds),
      isFuture: current !== null && row.month > current,
      forecast,
      forecastPercent: forecast ? percentOf(forecast.forecast, row.amount) : null,
      forecastStatus: forecast ? budgetStatus(forecast.forecast, row.amount, thresholds) : null,
    };
  });
}

/** The more serious of two states: what a card is highlighted by. */
export function worstStatus(a: BudgetStatus, b: BudgetStatus | null): BudgetStatus {
  const rank = { ok: 0, warn: 1, over: 2 } as const;
  return b !== null && rank[b] > rank[a] ? b : a;
}

function compareRows(a: BudgetRow, b: BudgetRow): number {
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  if ((a.scope === null) !== (b.scope === null)) return a.scope === null ? -1 : 1;
  const ka = scopeKey(a.scope);
  const kb = scopeKey(b.scope);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The table in its canonical order (month, overall first, then attribute and value). */
export function sortBudgetRows(rows: readonly BudgetRow[]): BudgetRow[] {
  return [...rows].sort(compareRows);
}

// ---------------------------------------------------------------------------------------------
// Thresholds and the CSV form

/** "80,100" → thresholds; whole percents, 1–1000, the first below the second. */
export function parseThresholds(text: string): { ok: true; thresholds: BudgetThresholds } | { ok: false; problem: string } {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts.every((p) => /^\d{1,4}$/.test(p))) return { ok: false, problem: `"${text}" is not two whole percents such as 80,100` };
  const [warn, over] = parts.map(Number) as [number, number];
  return checkThresholds({ warn, over });
}

export function checkThresholds(t: BudgetThresholds): { ok: true; thresholds: BudgetThresholds } | { ok: false; problem: string } {
  const whole = (n: number) => Number.isInteger(n) && n >= 1 && n <= 1000;
  if (!whole(t.warn) || !whole(t.over)) return { ok: false, problem: 'thresholds are whole percents from 1 to 1000' };
  if (t.warn >= t.over) return { ok: false, problem: `the warning threshold (${t.warn} %) must be below the over threshold (${t.over} %)` };
  return { ok: true, thresholds: { warn: t.warn, over: t.over } };
}

/** The budget file's columns, in order. */
export const BUDGET_CSV_COLUMNS = ['month', 'scope', 'value', 'budget_usd'] as const;

/** A problem in a budget file: which line (1-based, the header is line 1) and column. */
export interface BudgetCsvError {
  line: number;
  column: string | null;
  message: string;
}

export type BudgetCsvResult = { ok: true; rows: BudgetRow[] } | { ok: false; errors: BudgetCsvError[] };

/** Budget amounts are dollars and cents at most: a budget is set by people, not derived. */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

export function formatBudgetError(e: BudgetCsvError): string {
  return `line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`;
}

/** One budget cell typed by a person or read from a file: a problem in words, or the row. */
export function checkBudgetRow(month: string, attribute: string, value: string, amount: string): { row: BudgetRow } | { column: string; message: string } {
  if (!isValidMonth(month)) return { column: 'month', message: `"${month.slice(0, 40)}" is not a month (YYYY-MM)` };
  const isOverall = value === '' && (attribute === '' || attribute === 'overall');
  if (!isOverall) {
    if (attribute === '') return { column: 'scope', message: 'a value needs the attribute it belongs to (e.g. team)' };
    if (value === '') return { column: 'value', message: `scope "${attribute.slice(0, 40)}" needs a value (e.g. design); leave both empty, or write overall, for the whole log` };
    if (attribute.length > ATTRIBUTE_MAX || value.length > ATTRIBUTE_MAX) return { column: attribute.length > ATTRIBUTE_MAX ? 'scope' : 'value', message: `longer than ${ATTRIBUTE_MAX} characters` };
  }
  if (!AMOUNT.test(amount)) return { column: 'budget_usd', message: `"${amount.slice(0, 40)}" is not an amount in dollars (e.g. 2500 or 1200.50, no currency sign)` };
  return { row: { month, scope: isOverall ? null : { attribute, value }, amount: parseUsd(amount) } };
}

/**
 * Reads a budget file: header `month,scope,value,budget_usd` (any order, extra columns refused),
 * one row per month and scope. `scope` is `overall` (or empty) with an empty value for the whole
 * log, else an attribute name with its value. Every problem is reported with its line and column;
 * nothing is read from a file with problems.
 */
export function parseBudgetCsv(text: string): BudgetCsvResult {
  const parsed = parseCsv(text);
  if (parsed.error) return { ok: false, errors: [{ line: Number(/^line (\d+)/.exec(parsed.error)?.[1] ?? 1), column: null, message: parsed.error.replace(/^line \d+: /, '') }] };
  const [header, ...body] = parsed.rows;
  if (!header) return { ok: false, errors: [{ line: 1, column: null, message: `the file is empty: expected the header ${BUDGET_CSV_COLUMNS.join(',')}` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = BUDGET_CSV_COLUMNS.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !(BUDGET_CSV_COLUMNS as readonly string[]).includes(n));
  if (missing.length || extra.length) {
    const what = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unknown ${extra.map((e) => `"${e.slice(0, 40)}"`).join(', ')}` : ''].filter(Boolean).join('; ');
    return { ok: false, errors: [{ line: header.line, column: null, message: `the header must be ${BUDGET_CSV_COLUMNS.join(',')} (${what})` }] };
  }
  const at = Object.fromEntries(BUDGET_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof BUDGET_CSV_COLUMNS)[number], number>;
  const errors: BudgetCsvError[] = [];
  const inputs: BudgetInput[] = [];
  const lines: number[] = [];
  for (const { line, fields } of body) {
    if (fields.length !== names.length) {
      errors.push({ line, column: null, message: `${fields.length} fields where the header has ${names.length}` });
      continue;
    }
    const cell = (c: keyof typeof at) => unguardCsvText(fields[at[c]]!);
    inputs.push({ month: cell('month'), attribute: cell('scope'), value: cell('value'), amount: cell('budget_usd') });
    lines.push(line);
  }
  const checked = checkBudgetInputs(inputs, (i) => `on line ${lines[i]}`);
  errors.push(...checked.problems.map((p) => ({ line: lines[p.index]!, column: p.column, message: p.message })));
  errors.sort((x, y) => x.line - y.line);
  return errors.length ? { ok: false, errors } : { ok: true, rows: sortBudgetRows(checked.rows) };
}

/** A budget row as typed (the store keeps what the user typed; money is parsed when used). */
export interface BudgetInput {
  month: string;
  /** attribute name; '' or 'overall' with an empty value for the whole log */
  attribute: string;
  value: string;
  /** USD */
  amount: string;
}

/**
 * The rows that are valid and the problems of the others, by index: a malformed cell, or a
 * second budget for the same month and scope (the first one counts).
 */
export function checkBudgetInputs(inputs: readonly BudgetInput[], where: (index: number) => string = (i) => `row ${i + 1}`): { rows: BudgetRow[]; problems: { index: number; column: string | null; message: string }[] } {
  const rows: BudgetRow[] = [];
  const problems: { index: number; column: string | null; message: string }[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const checked = checkBudgetRow(input.month.trim(), input.attribute.trim(), input.value.trim(), input.amount.trim());
    if ('column' in checked) {
      problems.push({ index, ...checked });
      return;
    }
    const key = `${checked.row.month}\u0000${scopeKey(checked.row.scope)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ index, column: null, message: `a second budget for ${checked.row.month}, ${scopeLabel(checked.row.scope)} (the first is ${where(first)})` });
      return;
    }
    seen.set(key, index);
    rows.push(checked.row);
  });
  return { rows, problems };
}

export function budgetInput(row: BudgetRow): BudgetInput {
  return { month: row.month, attribute: row.scope?.attribute ?? 'overall', value: row.scope?.value ?? '', amount: formatPlain(row.amount) };
}

const INPUT_MAX = 200;

/** Budget inputs as read back from storage: anything not shaped like one is dropped (storage is not trusted). */
export function sanitizeBudgetInputs(stored: unknown): BudgetInput[] {
  if (!Array.isArray(stored)) return [];
  return stored.slice(0, 2000).flatMap((x: unknown) => {
    if (x === null || typeof x !== 'object') return [];
    const { month, attribute, value, amount } = x as Record<string, unknown>;
    const fields = [month, attribute, value, amount];
    if (!fields.every((f) => typeof f === 'string' && f.length <= INPUT_MAX)) return [];
    return [{ month, attribute, value, amount } as BudgetInput];
  });
}

/** The table as a budget file that `parseBudgetCsv` reads back to the same rows. */
export function budgetsToCsv(rows: readonly BudgetRow[]): string {
  return toCsv(BUDGET_CSV_COLUMNS, budgetCsvRows(rows));
}

/** The rows of a budget file (after its header `BUDGET_CSV_COLUMNS`). */
export function budgetCsvRows(rows: readonly BudgetRow[]): string[][] {
  return sortBudgetRows(rows).map((r) => [r.month, r.scope?.attribute ?? 'overall', r.scope?.value ?? '', formatPlain(r.amount)]);
}

/** Longest budget link accepted: browsers and servers cut URLs at a few tens of kB. */
export const BUDGET_LINK_MAX = 16_000;

/** The table as a URL-safe token (base64url of its CSV): a link carries what the file would. */
export function encodeBudgets(rows: readonly BudgetRow[]): string {
  return encodeBase64Url(budgetsToCsv(rows));
}

/** Reads a `budgets` URL parameter; a bad link is a problem in words, never a throw. */
export function decodeBudgets(token: string): { ok: true; rows: BudgetRow[] } | { ok: false; problem: string } {
  if (token.length > BUDGET_LINK_MAX) return { ok: false, problem: 'the budgets in the link are too long' };
  const decoded = decodeBase64Url(token);
  if (!decoded.ok) return { ok: false, problem: `the budgets link ${decoded.problem}` };
  const parsed = parseBudgetCsv(decoded.text);
  return parsed.ok ? parsed : { ok: false, problem: `the budgets in the link were refused: ${parsed.errors.slice(0, 3).map(formatBudgetError).join('; ')}` };
}

/**
 * A percent of budget as whole percents, rounded down: with whole-percent thresholds the figure
 * shown reaches a threshold exactly when the status does.
 */
export function formatBudgetPercent(percent: number | null): string {
  return percent === null ? '—' : `${Math.floor(percent + 1e-9)} %`;
}

/** A status in words, so it never rests on colour alone. */
export function statusText(status: BudgetStatus, t: BudgetThresholds): string {
  return status === 'over' ? `over ${t.over} %` : status === 'warn' ? `over ${t.warn} %` : `under ${t.warn} %`;
}

export function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "82 % of July 2026's budget used; forecast 104 % — over 100 %" for the current month's line. */
export function budgetSentence(line: BudgetLine, t: BudgetThresholds): string {
  const used = `${formatBudgetPercent(line.usedPercent)} of ${monthName(line.month)}'s budget used`;
  if (line.forecastStatus === null) return `${used} — ${statusText(line.status, t)}`;
  return `${used}; forecast ${formatBudgetPercent(line.forecastPercent)} — ${statusText(worstStatus(line.status, line.forecastStatus), t)}`;
}
