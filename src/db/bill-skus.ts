import skuMapJson from '../../data/billing/gemini-skus.json';
import { compileSkuMap, type SkuMapFile } from '../domain/bill-skus';

/** The bundled SKU map (data/billing/gemini-skus.json), the same in the app and the CLI. */
export const BUNDLED_SKU_MAP = compileSkuMap(skuMapJson as SkuMapFile);
