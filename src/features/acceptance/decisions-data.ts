import { loadDecisionCells, type DecisionCell } from '../../db/decisions';
import type { Engine } from '../../db/engine';
import { buildComparisons, decideAll, type Decision, type DecisionSettings } from '../../domain/decision';
import type { QueryInputs } from '../../hooks/use-view-query';

/** The decision cells under the global filters (a stable loader for useViewQuery). */
export function loadDecisionsQuery(engine: Engine, inputs: QueryInputs): Promise<DecisionCell[]> {
  return loadDecisionCells(engine, inputs.filters);
}

/** The store's decision inputs as settings (margin in points → a proportion; prior as whole pseudo-counts). */
export function decisionSettings(input: { marginPoints: number; priorAccepted: number; priorRejected: number }): DecisionSettings {
  const whole = (v: number) => (Number.isFinite(v) && v >= 1 ? Math.round(v) : 1);
  const margin = Number.isFinite(input.marginPoints) && input.marginPoints > 0 ? Math.min(input.marginPoints, 50) / 100 : 0.05;
  return { margin, alpha: 0.05, prior: { a: whole(input.priorAccepted), b: whole(input.priorRejected) } };
}

/** Job-type rows (size null) first, then their sizes, one BH family across all of them. */
export function decisionsFor(cells: readonly DecisionCell[], familyOf: (model: string) => string | undefined, settings: DecisionSettings): Decision[] {
  return decideAll(buildComparisons(cells, familyOf), settings);
}

export const OUTCOME_LABEL: Record<Decision['outcome'], string> = {
  'pro-better': 'Pro better',
  'flash-not-worse': 'Flash not worse',
  'not-enough': 'Not enough data',
};
