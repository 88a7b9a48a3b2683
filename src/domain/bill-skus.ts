import type { BillLine, BillMeter } from './bill';
import { BILL_METERS } from './bill';

/**
 * The SKU map (data/billing/gemini-skus.json): which model of the rate cards and which meter a
 * bill line charges. Kept as data because Google renames SKUs; a line it does not match is
 * listed as not mapped, never dropped.
 */
export interface SkuMapFile {
  format: 'pixelspend-sku-map';
  version: 1;
  name: string;
  providers: string[];
  sku_ids: Record<string, { model: string; meter: BillMeter; lane?: string }>;
  models: { match: string; model: string }[];
  meters: { match: string; meter: BillMeter }[];
  lanes: { match: string; lane: string }[];
}

export interface SkuMatch {
  model: string;
  meter: BillMeter;
  lane: string;
}

export interface SkuMap {
  /** Log providers the bill covers: only their requests are set against it. */
  providers: readonly string[];
  match(line: Pick<BillLine, 'skuId' | 'sku'>): SkuMatch | null;
}

/** Checks the map file and compiles its patterns; throws naming the bad entry. */
export function compileSkuMap(file: SkuMapFile): SkuMap {
  if (file.format !== 'pixelspend-sku-map' || file.version !== 1) throw new Error('not a pixelspend-sku-map version 1 file');
  const regex = (where: string, pattern: string) => {
    try {
      return new RegExp(pattern, 'i');
    } catch {
      throw new Error(`${where}: "${pattern}" is not a regular expression`);
    }
  };
  const meterOk = (where: string, meter: string) => {
    if (!(BILL_METERS as readonly string[]).includes(meter)) throw new Error(`${where}: unknown meter "${meter}"`);
  };
  const models = file.models.map((m, i) => ({ re: regex(`models[${i}]`, m.match), model: m.model }));
  const meters = file.meters.map((m, i) => (meterOk(`meters[${i}]`, m.meter), { re: regex(`meters[${i}]`, m.match), meter: m.meter }));
  const lanes = file.lanes.map((l, i) => ({ re: regex(`lanes[${i}]`, l.match), lane: l.lane }));
  for (const [id, m] of Object.entries(file.sku_ids)) meterOk(`sku_ids.${id}`, m.meter);
  return {
    providers: file.providers,
    match({ skuId, sku }) {
      const byId = file.sku_ids[skuId];
      if (byId) return { model: byId.model, meter: byId.meter, lane: byId.lane ?? 'standard' };
      const model = models.find((m) => m.re.test(sku))?.model;
      const meter = meters.find((m) => m.re.test(sku))?.meter;
      if (!model || !meter) return null;
      return { model, meter, lane: lanes.find((l) => l.re.test(sku))?.lane ?? 'standard' };
    },
  };
}
