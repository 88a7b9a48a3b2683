import { parseCsv } from './csv';
import { scaledDecimal } from './importers/decimal';
import { parseUsd, toUsdNumber, ZERO, type Pico } from './money';

/**
 * A provider's bill as PixelSpend reads it: Google Cloud Billing's standard usage cost export
 * (BigQuery table `gcp_billing_export_v1_…`, saved as CSV with dotted column names, or as
 * JSON / NDJSON with nested objects) or a FOCUS 1.2 cost and usage export as CSV. Each usable
 * row becomes a `BillLine`; every other row is a `BillProblem` naming file, row and column.
 * See test/fixtures/billing/README.md for the public schemas these follow.
 */

export type BillFormat = 'gcp-csv' | 'gcp-json' | 'focus-csv';

export const BILL_METERS = ['image_output_tokens', 'input_tokens', 'text_output_tokens', 'grounding'] as const;
export type BillMeter = (typeof BILL_METERS)[number];

export interface BillLine {
  /** 1-based data row (CSV: after the header; JSON: array element or NDJSON line). */
  row: number;
  /** UTC day the usage started, YYYY-MM-DD. */
  day: string;
  service: string;
  skuId: string;
  sku: string;
  project: string;
  currency: string;
  /** Cost before credits, exact. */
  cost: Pico;
  /** Sum of the line's credits (negative), exact. */
  credits: Pico;
  /** Usage amount as the bill wrote it (exact decimal text), null when absent. */
  usageAmount: string | null;
  usageUnit: string;
  labels: Record<string, string>;
}

export interface BillProblem {
  file: string;
  row: number;
  column: string;
  message: string;
}

export interface Bill {
  file: string;
  format: BillFormat;
  rowsRead: number;
  lines: BillLine[];
  problems: BillProblem[];
}

/** Thrown when a file is not a bill at all (not a row-level problem). */
export class NotABillError extends Error {}

type Value = unknown;
type Record_ = Record<string, Value>;

const GCP_REQUIRED = ['sku.description', 'usage_start_time', 'cost', 'currency'] as const;
const FOCUS_REQUIRED = ['BilledCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd'] as const;

/** Reads a bill file's text; the format is told by its content (first character, header names). */
export function readBill(file: string, text: string): Bill {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return readGcpJson(file, trimmed);
  const parsed = parseCsv(text);
  if (parsed.error) throw new NotABillError(`${file}: ${parsed.error}`);
  const [header, ...rows] = parsed.rows.map((r) => r.fields);
  if (!header) throw new NotABillError(`${file}: the file is empty`);
  const names = header.map((h) => h.trim());
  const isFocus = names.includes('BilledCost');
  const required = isFocus ? FOCUS_REQUIRED : GCP_REQUIRED;
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new NotABillError(
      `${file}: not a Cloud Billing export or FOCUS file: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  const bill: Bill = { file, format: isFocus ? 'focus-csv' : 'gcp-csv', rowsRead: 0, lines: [], problems: [] };
  rows.forEach((cells, index) => {
    if (cells.length === 1 && cells[0] === '') return;
    bill.rowsRead++;
    const row = index + 1;
    if (cells.length !== names.length) {
      bill.problems.push({ file, row, column: '', message: `has ${cells.length} fields, the header has ${names.length}` });
      return;
    }
    const record = Object.fromEntries(names.map((n, i) => [n, cells[i]]));
    addLine(bill, row, record, isFocus ? focusLine : gcpLine);
  });
  return bill;
}

function readGcpJson(file: string, text: string): Bill {
  const bill: Bill = { file, format: 'gcp-json', rowsRead: 0, lines: [], problems: [] };
  let items: Value[];
  if (text.startsWith('[')) {
    try {
      items = JSON.parse(text) as Value[];
    } catch (error) {
      throw new NotABillError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
  } else {
    items = text.split(/\r?\n/).map((line) => {
      if (line.trim() === '') return undefined;
      try {
        return JSON.parse(line) as Value;
      } catch {
        return NOT_JSON;
      }
    });
  }
  items.forEach((item, index) => {
    if (item === undefined) return;
    bill.rowsRead++;
    if (item === null || typeof item !== 'object' || Array.isArray(item) || item === NOT_JSON) {
      bill.problems.push({ file, row: index + 1, column: '', message: 'is not a JSON object' });
      return;
    }
    addLine(bill, index + 1, item as Record_, gcpLine);
  });
  if (bill.rowsRead === 0) throw new NotABillError(`${file}: no billing rows`);
  return bill;
}

const NOT_JSON = Object.freeze({});

class CellError extends Error {
  constructor(readonly column: string, message: string) {
    super(message);
  }
}

function addLine(bill: Bill, row: number, record: Record_, read: (get: (c: string) => Value) => Omit<BillLine, 'row'>) {
  const get = (column: string) => field(record, column);
  try {
    bill.lines.push({ row, ...read(get) });
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    bill.problems.push({ file: bill.file, row, column: error.column, message: error.message });
  }
}

/** A flat column ("sku.description") or the same path through nested objects. */
function field(record: Record_, column: string): Value {
  if (column in record) return record[column];
  let value: Value = record;
  for (const part of column.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record_)[part];
  }
  return value;
}

function text(get: (c: string) => Value, column: string, required = false): string {
  const value = get(column);
  const s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value).trim();
  if (required && s === '') throw new CellError(column, 'is empty');
  return s;
}

/** Exact money from a bill cell ("0.134", "-1.2e-05", a JSON number); more than 12 decimals is refused. */
function money(value: Value, column: string): Pico {
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const negative = raw.startsWith('-');
  const plain = scaledDecimal(negative ? raw.slice(1) : raw);
  if (plain === null) throw new CellError(column, `"${raw}" is not a number`);
  try {
    return parseUsd(negative ? `-${plain}` : plain);
  } catch {
    throw new CellError(column, `"${raw}" has more than 12 decimal places`);
  }
}

function quantity(value: Value, column: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const raw = String(value).trim();
  const plain = scaledDecimal(raw);
  if (plain === null) throw new CellError(column, `"${raw}" is not a non-negative number`);
  return plain;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** A bill timestamp ("2026-07-01 07:00:00 UTC", ISO 8601 with Z or an offset) as epoch ms. */
function instant(value: string, column: string): number {
  const match = TIMESTAMP.exec(value);
  if (!match) throw new CellError(column, `"${value}" is not a date and time`);
  const [, date, time = '00:00:00', zone = 'Z'] = match;
  const offset = /^(z|utc)$/i.test(zone) ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  if (Number.isNaN(ms)) throw new CellError(column, `"${value}" is not a date and time`);
  return ms;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function jsonList(value: Value, column: string): Record_[] {
  if (value === null || value === undefined || value === '') return [];
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new CellError(column, 'is not a JSON array');
    }
  }
  if (!Array.isArray(parsed) || parsed.some((x) => x === null || typeof x !== 'object')) {
    throw new CellError(column, 'is not a JSON array of objects');
  }
  return parsed as Record_[];
}

function gcpLine(get: (c: string) => Value): Omit<BillLine, 'row'> {
  const startText = text(get, 'usage_start_time', true);
  const start = instant(startText, 'usage_start_time');
  const endText = text(get, 'usage_end_time');
  if (endText !== '' && instant(endText, 'usage_end_time') < start) {
    throw new CellError('usage_end_time', `"${endText}" is before usage_start_time`);
  }
  const currency = text(get, 'currency', true).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new CellError('currency', `"${currency}" is not an ISO 4217 code`);
  let credits = ZERO;
  jsonList(get('credits'), 'credits').forEach((c) => {
    credits = (credits + money(c.amount, 'credits')) as Pico;
  });
  const labels: Record<string, string> = {};
  for (const l of jsonList(get('labels'), 'labels')) labels[String(l.key)] = String(l.value ?? '');
  return {
    day: utcDay(start),
    service: text(get, 'service.description'),
    skuId: text(get, 'sku.id'),
    sku: text(get, 'sku.description', true),
    project: text(get, 'project.id'),
    currency,
    cost: money(get('cost'), 'cost'),
    credits,
    usageAmount: quantity(get('usage.amount'), 'usage.amount'),
    usageUnit: text(get, 'usage.unit'),
    labels,
  };
}

function focusLine(get: (c: string) => Value): Omit<BillLine, 'row'> {
  const start = instant(text(get, 'ChargePeriodStart', true), 'ChargePeriodStart');
  const end = instant(text(get, 'ChargePeriodEnd', true), 'ChargePeriodEnd');
  if (!(start < end)) throw new CellError('ChargePeriodEnd', 'is not after ChargePeriodStart');
  const currency = text(get, 'BillingCurrency', true).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new CellError('BillingCurrency', `"${currency}" is not an ISO 4217 code`);
  const billed = money(get('BilledCost'), 'BilledCost');
  const isCredit = text(get, 'ChargeCategory') === 'Credit';
  const tagsText = text(get, 'Tags');
  let labels: Record<string, string> = {};
  if (tagsText !== '') {
    let tags: unknown;
    try {
      tags = JSON.parse(tagsText);
    } catch {
      throw new CellError('Tags', 'is not a JSON object');
    }
    if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) throw new CellError('Tags', 'is not a JSON object');
    labels = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
  }
  const consumed = quantity(get('ConsumedQuantity'), 'ConsumedQuantity');
  return {
    day: utcDay(start),
    service: text(get, 'ServiceName'),
    skuId: text(get, 'SkuId'),
    sku: text(get, 'x_SkuDescription') || text(get, 'ChargeDescription'),
    project: text(get, 'SubAccountId'),
    currency,
    cost: isCredit ? ZERO : billed,
    credits: isCredit ? billed : ZERO,
    usageAmount: consumed ?? quantity(get('PricingQuantity'), 'PricingQuantity'),
    usageUnit: consumed !== null ? text(get, 'ConsumedUnit') : text(get, 'PricingUnit'),
    labels,
  };
}

/** One day × model × meter of bill vs logs. Money exact; `difference` = bill cost − logs' cost, USD only. */
export interface BillComparisonRow {
  day: string;
  model: string;
  meter: string;
  currency: string;
  billLines: number;
  billCost: Pico | null;
  billCredits: Pico | null;
  billUsage: number | null;
  logCost: Pico | null;
  logUsage: number | null;
  /** Null when the bill's currency is not USD: never set against USD figures. */
  difference: Pico | null;
}

export interface BillCurrencyTotal {
  currency: string;
  lines: number;
  cost: Pico;
  credits: Pico;
  net: Pico;
  unmappedCost: Pico;
}

export interface BillUnmapped {
  service: string;
  skuId: string;
  sku: string;
  currency: string;
  lines: number;
  cost: Pico;
  credits: Pico;
}

export interface BillComparison {
  file: string;
  format: BillFormat;
  rowsRead: number;
  problems: BillProblem[];
  /** The bill's first and last usage day: the logs are compared over these days. */
  from: string | null;
  to: string | null;
  providers: readonly string[];
  currencies: BillCurrencyTotal[];
  /** The logs' computed cost (priced requests of the bill's providers and days). */
  logCost: Pico;
  logRequests: number;
  logUnpricedRequests: number;
  rows: BillComparisonRow[];
  unmapped: BillUnmapped[];
}

const usd = (value: Pico | null) => (value === null ? null : toUsdNumber(value));

/** The report's `bill` section (docs/report-json.md): amounts as numbers in their row's currency. */
export function billToJson(c: BillComparison) {
  const usdTotal = c.currencies.find((t) => t.currency === 'USD');
  return {
    file: c.file,
    format: c.format,
    rows_read: c.rowsRead,
    problems: c.problems,
    from: c.from,
    to: c.to,
    providers: c.providers,
    currencies: c.currencies.map((t) => ({
      currency: t.currency, lines: t.lines, cost: usd(t.cost), credits: usd(t.credits), net: usd(t.net), unmapped_cost: usd(t.unmappedCost),
    })),
    logs: { cost: usd(c.logCost), requests: c.logRequests, unpriced_requests: c.logUnpricedRequests },
    difference: usdTotal ? usd((usdTotal.cost - c.logCost) as Pico) : null,
    by_day_model_meter: c.rows.map((r) => ({
      day: r.day, model: r.model, meter: r.meter, currency: r.currency, bill_lines: r.billLines, bill_cost: usd(r.billCost),
      bill_credits: usd(r.billCredits), bill_usage: r.billUsage, log_cost: usd(r.logCost), log_usage: r.logUsage, difference: usd(r.difference),
    })),
    unmapped: c.unmapped.map((u) => ({
      service: u.service, sku_id: u.skuId, sku: u.sku, currency: u.currency, lines: u.lines, cost: usd(u.cost), credits: usd(u.credits),
    })),
  };
}
