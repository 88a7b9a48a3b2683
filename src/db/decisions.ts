import type { Filters } from '../domain/filters';
import { parseUsd, type Pico } from '../domain/money';
import type { ClusterSums } from '../domain/stats';
import type { Engine } from './engine';
import { decisionClustersQuery } from './sql/decisions';
import { filterWhere } from './sql/filters';

/** One model's rated requests in a job type (size null) or a job type × size, as cluster sums. */
export interface DecisionCell extends ClusterSums {
  model: string;
  jobType: string;
  size: string | null;
  /** exact Σ cost of the rated priced requests */
  costExact: Pico;
}

interface Row {
  model: string;
  job_type: string;
  image_size: string | null;
  clusters: number | bigint;
  n: number | bigint;
  accepted: number | bigint;
  sum_n2: number | bigint;
  sum_a2: number | bigint;
  sum_na: number | bigint;
  cost: string;
  sum_c2: number;
  sum_ca: number;
}

/** Reads the decision cells (see `decisionClustersQuery`) under the global filters. */
export async function loadDecisionCells(engine: Engine, filters: Filters = {}): Promise<DecisionCell[]> {
  const { sql, params } = decisionClustersQuery(filterWhere(filters));
  const rows = await engine.query<Row>(sql, params);
  return rows.map((r) => {
    const costExact = parseUsd(r.cost);
    return {
      model: r.model,
      jobType: r.job_type,
      size: r.image_size,
      clusters: Number(r.clusters),
      n: Number(r.n),
      accepted: Number(r.accepted),
      sumN2: Number(r.sum_n2),
      sumA2: Number(r.sum_a2),
      sumNA: Number(r.sum_na),
      cost: Number(r.cost),
      sumC2: Number(r.sum_c2),
      sumCA: Number(r.sum_ca),
      costExact,
    };
  });
}
