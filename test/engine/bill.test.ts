import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report';
import { compareBill, loadBill } from '../../src/db/bill';
import { openNodeEngine } from '../../src/db/node-engine';
import type { Engine } from '../../src/db/engine';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import { readBill, type BillComparison } from '../../src/domain/bill';
import { compileSkuMap, type SkuMapFile } from '../../src/domain/bill-skus';
import { csvRecords } from '../support/csv';
import { addPico, formatPlain, mulPico, parseUsd, ZERO, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const DIR = 'test/fixtures/billing';
const skus = compileSkuMap(JSON.parse(readFileSync('data/billing/gemini-skus.json', 'utf8')) as SkuMapFile);
const expected = JSON.parse(readFileSync(`${DIR}/expected-gaps.json`, 'utf8')) as Record<
  string,
  {
    gaps: { day: string; model: string; meter: string; difference: string }[];
    credits: Record<string, string>;
    other_currencies: { currency: string; cost: string; day: string; model: string; meter: string }[];
    unmapped: { sku: string; cost: string }[];
    problems: { row: number; column: string }[];
  }
>;

let engine: Engine;

async function compare(file: string): Promise<BillComparison> {
  const bill = readBill(file, readFileSync(`${DIR}/${file}`, 'utf8'));
  await loadBill(engine, bill, skus);
  return compareBill(engine, bill, skus);
}

/** The log's cost on the bill's providers per day, priced row by row by the TypeScript engine. */
function independentLogCost(): { total: Pico; requests: number; unpriced: number } {
  const [header, ...records] = csvRecords(readFileSync(`${DIR}/requests.csv`, 'utf8'));
  const rates = bundledRates();
  let total = ZERO;
  let requests = 0;
  let unpriced = 0;
  for (const cells of records) {
    const r = Object.fromEntries(header!.map((h, i) => [h, cells[i]!]));
    if (!skus.providers.includes(r.provider!)) continue;
    requests++;
    const priced = priceRequest({
      timestamp: Date.parse(r.timestamp!), model: r.model!, provider: r.provider!, lane: r.lane!, imageSize: r.image_size!,
      images: Number(r.images), billedAttempts: Number(r.billed_attempts), inputTokens: Number(r.input_tokens),
      inputImages: Number(r.input_images), outputTextTokens: Number(r.output_text_tokens),
      outputThinkingTokens: Number(r.output_thinking_tokens), outputImageTokens: null, groundingQueries: Number(r.grounding_queries),
    }, rates);
    if (priced.priced) total = addPico(total, priced.cost);
    else unpriced++;
  }
  return { total, requests, unpriced };
}

/** A bill file's USD cost, credits and per-currency totals summed from its cells by a plain loop. */
function independentBillTotals(file: string, cost: string, currency: string, credits: string | undefined, skipRows: number[]) {
  const [header, ...records] = csvRecords(readFileSync(`${DIR}/${file}`, 'utf8'));
  const totals = new Map<string, Pico>();
  for (const [index, cells] of records.entries()) {
    if (skipRows.includes(index + 1)) continue;
    const r = Object.fromEntries(header!.map((h, i) => [h, cells[i]!]));
    const key = `${r[currency]}`;
    totals.set(key, addPico(totals.get(key) ?? ZERO, parseUsd(r[cost]!)));
    if (credits) for (const c of JSON.parse(r[credits]!) as { amount: string }[]) totals.set(`${key} credits`, addPico(totals.get(`${key} credits`) ?? ZERO, parseUsd(c.amount)));
  }
  return totals;
}

beforeAll(async () => {
  engine = await testEngine();
  await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(`${DIR}/requests.csv`) }], { mode: 'replace' });
  await applyRates(engine, bundledRates());
});

describe('a bill that matches the log', () => {
  it.each(['gcp-billing-export.csv', 'gcp-billing-export.jsonl', 'focus-export.csv'])('%s reconciles to the cent on every day × model × meter', async (file) => {
    const result = await compare(file);
    const log = independentLogCost();
    expect(result.problems).toEqual([]);
    expect(result.unmapped).toEqual([]);
    expect(result.rows.length).toBeGreaterThan(30);
    expect(result.rows.filter((r) => r.difference !== ZERO)).toEqual([]);
    expect(result.logCost).toBe(log.total);
    expect(result.logRequests).toBe(log.requests);
    expect(result.logUnpricedRequests).toBe(log.unpriced);
    expect(log.unpriced).toBeGreaterThan(0);
    expect(result.currencies).toHaveLength(1);
    expect(result.currencies[0]!.cost).toBe(log.total);
    expect(result.currencies[0]!.credits).toBe(ZERO);
    expect(result.from).toBe('2026-07-01');
    expect(result.to).toBe('2026-07-05');
    // every meter the Gemini bill charges is present on both sides
    expect(new Set(result.rows.map((r) => r.meter))).toEqual(new Set(['image_output_tokens', 'input_tokens', 'text_output_tokens']));
    expect(result.rows.every((r) => r.billUsage === r.logUsage)).toBe(true);
  });
});

describe('a bill with injected gaps', () => {
  it.each([
    ['gcp-billing-export-mismatched.csv', 'cost', 'currency', 'credits'],
    ['focus-export-mismatched.csv', 'BilledCost', 'BillingCurrency', undefined],
  ] as const)('%s shows exactly the injected gaps', async (file, costColumn, currencyColumn, creditsColumn) => {
    const want = expected[file]!;
    const result = await compare(file);
    const gaps = result.rows
      .filter((r) => r.currency === 'USD' && r.difference !== ZERO)
      .map((r) => ({ day: r.day, model: r.model, meter: r.meter, difference: formatPlain(r.difference!) }));
    expect(gaps).toEqual(
      [...want.gaps].sort((a, b) => Math.abs(Number(b.difference)) - Math.abs(Number(a.difference))),
    );
    expect(result.problems.map((p) => ({ row: p.row, column: p.column }))).toEqual(want.problems);
    expect(result.problems[0]!.file).toBe(file);
    expect(result.unmapped.map((u) => ({ sku: u.sku, cost: formatPlain(u.cost) }))).toEqual(want.unmapped);
    const others = result.rows.filter((r) => r.currency !== 'USD');
    expect(others.map((r) => ({ currency: r.currency, cost: formatPlain(r.billCost!), day: r.day, model: r.model, meter: r.meter }))).toEqual(
      want.other_currencies,
    );
    expect(others.every((r) => r.difference === null && r.logCost === null)).toBe(true);

    // totals per currency, from a plain loop over the file's cells; credits never mixed into cost
    const totals = independentBillTotals(file, costColumn, currencyColumn, creditsColumn, want.problems.map((p) => p.row));
    const usd = result.currencies.find((c) => c.currency === 'USD')!;
    expect(formatPlain(usd.credits)).toBe(want.credits.USD);
    if (creditsColumn) {
      expect(usd.cost).toBe(totals.get('USD'));
      expect(usd.credits).toBe(totals.get('USD credits'));
    } else {
      expect(usd.cost).toBe(addPico(totals.get('USD')!, mulPico(usd.credits, -1)));
    }
    expect(usd.net).toBe(addPico(usd.cost, usd.credits));
    expect(result.currencies.filter((c) => c.currency !== 'USD').map((c) => [c.currency, formatPlain(c.cost)])).toEqual(
      want.other_currencies.map((o) => [o.currency, o.cost]),
    );
    // the USD bill minus the logs is the injected gaps plus what no SKU maps
    const gapSum = want.gaps.reduce((s, g) => addPico(s, parseUsd(g.difference)), ZERO);
    const unmappedSum = want.unmapped.reduce((s, u) => addPico(s, parseUsd(u.cost)), ZERO);
    expect(usd.cost - result.logCost).toBe(gapSum + unmappedSum);
  });
});

describe('bad bill rows', () => {
  it('names file, row and column, and keeps every other row', () => {
    const text = 'sku.description,usage_start_time,cost,currency,credits\n' +
      'Gemini 3 Pro Image output image tokens,2026-07-01 00:00:00 UTC,0.5,USD,[]\n' +
      'Gemini 3 Pro Image output image tokens,yesterday,0.5,USD,[]\n' +
      'Gemini 3 Pro Image output image tokens,2026-07-01T00:00:00Z,0.0000000000001,USD,[]\n' +
      'Gemini 3 Pro Image output image tokens,2026-07-01T00:00:00Z,1,US,[]\n' +
      'Gemini 3 Pro Image output image tokens,2026-07-01T00:00:00Z,1,USD,{"amount":1}\n' +
      'short row\n';
    const bill = readBill('b.csv', text);
    expect(bill.rowsRead).toBe(6);
    expect(bill.lines.map((l) => l.row)).toEqual([1]);
    expect(bill.problems.map((p) => `${p.file} ${p.row} ${p.column}`)).toEqual([
      'b.csv 2 usage_start_time', 'b.csv 3 cost', 'b.csv 4 currency', 'b.csv 5 credits', 'b.csv 6 ',
    ]);
  });

  it('reads exponent and negative costs exactly', () => {
    const bill = readBill('b.jsonl', '{"sku":{"description":"x"},"usage_start_time":"2026-07-01T10:00:00-08:00","cost":1.2e-05,"currency":"usd","credits":[{"amount":-0.1}]}\n');
    expect(bill.lines[0]).toMatchObject({ day: '2026-07-01', cost: parseUsd('0.000012'), credits: parseUsd('-0.1'), currency: 'USD' });
  });
});

describe('the CLI', () => {
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (t) => out.push(t), (t) => err.push(t), { openEngine: openNodeEngine });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('--bill adds a bill section whose gaps are the injected ones, and names the bad row', async () => {
    const r = await cli('--logs', `${DIR}/requests.csv`, '--bill', `${DIR}/gcp-billing-export-mismatched.csv`);
    expect(r.code).toBe(0);
    const want = expected['gcp-billing-export-mismatched.csv']!;
    expect(r.err).toContain(`rejected row ${want.problems[0]!.row} cost: "n/a" is not a number`);
    const bill = (JSON.parse(r.out) as { bill: { by_day_model_meter: { currency: string; difference: number | null }[]; currencies: { currency: string }[] } }).bill;
    expect(bill.by_day_model_meter.filter((x) => x.currency === 'USD' && x.difference !== 0)).toHaveLength(want.gaps.length);
    expect(bill.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
  });

  it('--format focus writes FOCUS CSV alone on stdout; a bad grain is a usage error', async () => {
    const r = await cli('--logs', `${DIR}/requests.csv`, '--format', 'focus', '--focus-grain', 'day');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('BilledCost,BillingAccountId,')).toBe(true);
    expect(r.out.endsWith('\r')).toBe(true);
    expect(r.err).toMatch(/FOCUS: \d+ rows; \d+ unpriced requests left out/);
    expect((await cli('--logs', `${DIR}/requests.csv`, '--format', 'focus', '--focus-grain', 'week')).code).toBe(2);
  });
});
