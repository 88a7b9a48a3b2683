import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotABillError, readBill } from '../../src/domain/bill';
import { compileSkuMap, type SkuMapFile } from '../../src/domain/bill-skus';
import { parseCsv } from '../../src/domain/csv';

const skus = compileSkuMap(JSON.parse(readFileSync('data/billing/gemini-skus.json', 'utf8')) as SkuMapFile);

describe('parseCsv', () => {
  it('reads quoted commas, quotes and line breaks, CRLF, a BOM and no final newline', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x,1","say ""hi""\nthere"\r\n,\n3,4').rows).toEqual([
      { line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x,1', 'say "hi"\nthere'] }, { line: 4, fields: ['', ''] }, { line: 5, fields: ['3', '4'] },
    ]);
  });
  it('refuses a quote left open', () => {
    expect(parseCsv('a\n"b\n').error).toBe('line 2: a quoted field is not closed');
  });
});

describe('the Gemini SKU map', () => {
  it.each([
    ['Gemini 3 Pro Image output image tokens', 'gemini-3-pro-image', 'image_output_tokens', 'standard'],
    ['Gemini 3 Pro Image batch input tokens', 'gemini-3-pro-image', 'input_tokens', 'batch'],
    ['Gemini 3.1 Flash Image text output tokens', 'gemini-3.1-flash-image', 'text_output_tokens', 'standard'],
    ['Gemini 3.1 Flash Lite Image output image tokens', 'gemini-3.1-flash-lite-image', 'image_output_tokens', 'standard'],
    ['Gemini 2.5 Flash Image batch output image tokens', 'gemini-2.5-flash-image', 'image_output_tokens', 'batch'],
    ['Gemini 3 Pro Image grounding with Google Search', 'gemini-3-pro-image', 'grounding', 'standard'],
  ])('%s → %s %s %s', (sku, model, meter, lane) => {
    expect(skus.match({ skuId: '', sku })).toEqual({ model, meter, lane });
  });
  it('leaves other SKUs unmapped', () => {
    expect(skus.match({ skuId: '', sku: 'Standard Storage US Multi-region' })).toBeNull();
  });
});

describe('readBill', () => {
  it('tells a file that is not a bill by its missing columns', () => {
    expect(() => readBill('x.csv', 'timestamp,model\n2026-07-01,x\n')).toThrow(NotABillError);
    expect(() => readBill('x.csv', 'timestamp,model\n')).toThrow(/missing columns "sku.description", "usage_start_time", "cost", "currency"/);
  });
  it('reads a FOCUS credit row as credits, not cost', () => {
    const bill = readBill('f.csv', 'BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeDescription\n-2,USD,2026-07-01T00:00:00Z,2026-07-02T00:00:00Z,Credit,promo\n');
    expect(bill.format).toBe('focus-csv');
    expect(bill.lines[0]).toMatchObject({ cost: 0n, credits: -2_000_000_000_000n });
  });
});

describe('the SKU map on SKUs as a real Vertex bill names them', () => {
  it('maps the publicly seen image-output SKUs by id and by description', () => {
    expect(skus.match({ skuId: '47A8-A5A1-B26C', sku: 'Gemini 3.0 Pro Image Output' })).toEqual({ model: 'gemini-3-pro-image', meter: 'image_output_tokens', lane: 'standard' });
    expect(skus.match({ skuId: 'unknown', sku: 'Gemini 3.1 Flash Image Output' })).toEqual({ model: 'gemini-3.1-flash-image', meter: 'image_output_tokens', lane: 'standard' });
    expect(skus.match({ skuId: 'unknown', sku: 'Cloud Storage Standard' })).toBeNull();
  });
});
