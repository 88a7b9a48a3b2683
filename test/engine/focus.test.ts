import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { exportFocus } from '../../src/db/focus';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { openNodeEngine } from '../../src/db/node-engine';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { toCsv } from '../../src/domain/csv';
import { csvRecords } from '../support/csv';
import { FOCUS_COLUMNS, FOCUS_GRAINS } from '../../src/domain/focus';
import { addPico, parseUsd, ZERO, type Pico } from '../../src/domain/money';
import { priceRequest } from '../../src/domain/pricing';
import { openNativeEngine } from '../../src/node/native-engine';
import { bundledRates } from '../support/rates';

/*
 * FOCUS 1.2 column rules (https://focus.finops.org/focus-specification/v1-2/), encoded here
 * from the spec's column definitions, independently of the exporter.
 */
const MANDATORY = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost',
  'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName',
];
/** Columns that must not be null on a Usage row that is not a correction. */
const NOT_NULL_ON_USAGE = [
  'BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory',
  'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName',
  'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
  'SkuId', 'SkuPriceId', 'ConsumedQuantity', 'ConsumedUnit', 'ChargeFrequency', 'PricingCategory',
];
const DECIMALS = ['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost', 'PricingQuantity', 'ConsumedQuantity', 'ListUnitPrice', 'ContractedUnitPrice'];
const DATETIMES = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'];
const ALLOWED: Record<string, readonly string[]> = {
  ChargeCategory: ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'],
  ChargeClass: ['', 'Correction'],
  ChargeFrequency: ['One-Time', 'Recurring', 'Usage-Based'],
  PricingCategory: ['Standard', 'Dynamic', 'Committed', 'Other'],
  ServiceCategory: [
    'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud',
    'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking',
    'Security', 'Storage', 'Web', 'Other',
  ],
};
const DECIMAL = /^-?\d+(\.\d+)?$/;
const UTC_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Every rule above over a parsed FOCUS CSV; returns the broken ones as "row N column: why". */
function focusViolations(csv: string): string[] {
  const [header, ...rows] = csvRecords(csv);
  const out: string[] = [];
  for (const c of MANDATORY) if (!header!.includes(c)) out.push(`missing column ${c}`);
  for (const c of header!) {
    if (c.startsWith('x_')) {
      if (!/^x_[A-Za-z0-9]+$/.test(c)) out.push(`custom column ${c} is not x_ + alphanumerics`);
    } else if (!/^[A-Z][A-Za-z0-9]*$/.test(c)) out.push(`column ${c} is neither PascalCase FOCUS nor x_ custom`);
  }
  rows.forEach((cells, i) => {
    const r = Object.fromEntries(header!.map((h, j) => [h, cells[j]!]));
    const bad = (column: string, why: string) => out.push(`row ${i + 1} ${column}: ${why}`);
    if (cells.length !== header!.length) bad('', 'wrong field count');
    if (r.ChargeCategory === 'Usage' && r.ChargeClass !== 'Correction') for (const c of NOT_NULL_ON_USAGE) if (!r[c]) bad(c, 'null');
    for (const c of DECIMALS) if (r[c] && !DECIMAL.test(r[c])) bad(c, `"${r[c]}" is not a decimal`);
    for (const c of DATETIMES) if (!UTC_DATETIME.test(r[c]!)) bad(c, `"${r[c]}" is not ISO 8601 UTC`);
    for (const [c, allowed] of Object.entries(ALLOWED)) if (!allowed.includes(r[c]!)) bad(c, `"${r[c]}" is not allowed`);
    if (!/^[A-Z]{3}$/.test(r.BillingCurrency!)) bad('BillingCurrency', 'not ISO 4217');
    if (!(r.ChargePeriodStart! < r.ChargePeriodEnd!)) bad('ChargePeriodEnd', 'not after ChargePeriodStart');
    if (!(r.BillingPeriodStart! < r.BillingPeriodEnd!)) bad('BillingPeriodEnd', 'not after BillingPeriodStart');
    if (r.ChargePeriodStart! < r.BillingPeriodStart! || r.ChargePeriodEnd! > r.BillingPeriodEnd!) bad('ChargePeriodStart', 'outside the billing period');
    if (r.ListUnitPrice && parseUsd(r.ListUnitPrice) * BigInt(r.PricingQuantity!) !== parseUsd(r.ListCost!)) bad('ListUnitPrice', '× PricingQuantity ≠ ListCost');
    if (r.Tags) {
      let tags: unknown;
      try {
        tags = JSON.parse(r.Tags);
      } catch {
        bad('Tags', 'not JSON');
      }
      if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) bad('Tags', 'not a JSON object');
      else for (const [k, v] of Object.entries(tags)) if (k === '' || typeof v !== 'string') bad('Tags', `bad tag ${k}`);
    }
  });
  return out;
}

const LOG = 'test/fixtures/billing/requests.csv';

/** The billing fixture log with a billed cost on every fifth request and a formula-looking request id. */
function logWithBilledCost(): { bytes: Uint8Array; billed: Pico; listed: Pico; priced: number; formulaId: string } {
  const [header, ...rows] = csvRecords(readFileSync(LOG, 'utf8'));
  const rates = bundledRates();
  let billed = ZERO;
  let listed = ZERO;
  let priced = 0;
  let formulaId = '';
  const out = rows.map((cells, i) => {
    const r = Object.fromEntries(header!.map((h, j) => [h, cells[j]!]));
    const cost = i % 5 === 0 ? `0.0${(i % 7) + 1}` : '';
    const p = priceRequest({
      timestamp: Date.parse(r.timestamp!), model: r.model!, provider: r.provider!, lane: r.lane!, imageSize: r.image_size!,
      images: Number(r.images), billedAttempts: Number(r.billed_attempts), inputTokens: Number(r.input_tokens),
      inputImages: Number(r.input_images), outputTextTokens: Number(r.output_text_tokens),
      outputThinkingTokens: Number(r.output_thinking_tokens), outputImageTokens: null, groundingQueries: 0,
    }, rates);
    if (p.priced) {
      if (priced === 3) formulaId = `=${r.request_id}`;
      priced++;
      listed = addPico(listed, p.cost);
      billed = addPico(billed, cost ? parseUsd(cost) : p.cost);
    }
    return [formulaId === `=${r.request_id}` ? formulaId : r.request_id!, ...cells.slice(1), cost];
  });
  return { bytes: new TextEncoder().encode(toCsv([...header!, 'cost_usd'], out)), billed, listed, priced, formulaId };
}

describe('FOCUS export', () => {
  const log = logWithBilledCost();
  let wasm: Engine;
  let native: Engine;

  beforeAll(async () => {
    wasm = await openNodeEngine();
    native = await openNativeEngine({ threads: 1 });
    for (const engine of [wasm, native]) {
      await ingestFiles(engine, [{ name: 'requests.csv', bytes: log.bytes }], { mode: 'replace' });
      await applyRates(engine, bundledRates());
    }
  });
  afterAll(async () => {
    await wasm.close();
    await native.close();
  });

  it.each(FOCUS_GRAINS)('per %s: passes the FOCUS column rules; totals equal the report to the picodollar', async (grain) => {
    const exported = await exportFocus(wasm, grain);
    const csv = toCsv(FOCUS_COLUMNS, exported.cells);
    expect(focusViolations(csv)).toEqual([]);
    const [header, ...rows] = csvRecords(csv);
    const col = (name: string) => rows.map((r) => r[header!.indexOf(name)]!);
    const total = (name: string) => col(name).reduce((s, v) => addPico(s, parseUsd(v)), ZERO);
    const report = await buildReport(wasm);
    expect(total('ListCost')).toBe(report.totalCost);
    expect(total('ListCost')).toBe(log.listed);
    expect(total('BilledCost')).toBe(log.billed);
    expect(total('EffectiveCost')).toBe(log.billed);
    expect(log.billed).not.toBe(log.listed);
    expect(col('x_Requests').reduce((s, v) => s + Number(v), 0)).toBe(log.priced);
    expect(exported.unpricedRequests).toBe(report.unpricedRequests);
    expect(exported.unpricedRequests).toBeGreaterThan(0);
    if (grain === 'request') {
      expect(rows).toHaveLength(log.priced);
      expect(col('x_RequestId')).toContain(`'${log.formulaId}`);
      expect(col('Tags').every((t) => Object.keys(JSON.parse(t) as object).includes('team'))).toBe(true);
    } else {
      expect(rows.length).toBeLessThan(log.priced);
    }
    expect(await exportFocus(native, grain)).toEqual(exported);
  });

  it('a broken row is caught by the rules (the test can fail)', () => {
    const csv = 'BilledCost,ChargePeriodStart,ChargePeriodEnd,x-bad\r\n1e3,2026-07-02T00:00:00Z,2026-07-01,1\r\n';
    expect(focusViolations(csv)).toEqual(expect.arrayContaining([
      'missing column ListCost', 'column x-bad is neither PascalCase FOCUS nor x_ custom', 'row 1 BilledCost: "1e3" is not a decimal',
      'row 1 ChargePeriodEnd: "2026-07-01" is not ISO 8601 UTC', 'row 1 ChargePeriodEnd: not after ChargePeriodStart',
    ]));
  });
});
