import type { Filters } from '../domain/filters';
import type { ActiveRates } from '../domain/rate-card';
import { DEFAULT_BATCH_ELIGIBLE, type Report } from '../domain/report';
import { loadFilterOptions, loadSpendOverTime, type FilterOptions, type TimeBucket } from './dashboard';
import type { Engine } from './engine';
import { buildReport } from './report';
import { pricingFingerprint } from './workspace';

/**
 * What the Overview first shows on the bundled sample, for a first visit's inputs: the sample priced
 * with `pricing` (a `pricingFingerprint`), no filter, the default batch-eligible job types. The build
 * computes it with the same queries the Overview runs, so the figures can be drawn while the engine
 * starts; the app uses them only while its inputs are exactly these (`useFirstFigures`).
 */
export interface FirstFigures {
  pricing: string;
  filters: Filters;
  batchEligibleJobTypes: string[];
  report: Report;
  spendByDay: TimeBucket[];
  filterOptions: FilterOptions;
}

/** The Overview's queries for a first visit's inputs, on what `engine` has loaded and priced with `rates`. */
export async function computeFirstFigures(engine: Engine, rates: ActiveRates): Promise<FirstFigures> {
  const filters: Filters = {};
  const batchEligibleJobTypes = [...DEFAULT_BATCH_ELIGIBLE];
  return {
    pricing: pricingFingerprint(rates),
    filters,
    batchEligibleJobTypes,
    report: await buildReport(engine, { filters, batchEligibleJobTypes, reconcileDetail: false }),
    spendByDay: await loadSpendOverTime(engine, filters, 'day'),
    filterOptions: await loadFilterOptions(engine),
  };
}
