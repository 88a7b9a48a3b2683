import { andWhere, type Where } from './filters';
import type { Query } from './report';

/**
 * Per-cluster sums of rated, priced requests for the Pro-vs-Flash decisions, at two levels:
 * model × job type × size, and model × job type (image_size NULL). The trial is the request
 * (acceptance is one mark per request, whatever its image count); requests sharing a
 * non-empty prompt hash in a group form one cluster, a request without a hash is its own.
 * Per group: clusters k, Σ N_k, Σ A_k, Σ N_k², Σ A_k², Σ N_k·A_k, exact Σ cost, and the
 * cost moments Σ C_k², Σ C_k·A_k as DOUBLE (they feed a variance, never a bill).
 * Reads `priced`: model_key, job_type, image_size, accepted, prompt_hash, row_id,
 * unpriced_reason, cost (plus the filter columns ts, provider, lane).
 */
export function decisionClustersQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL AND accepted IS NOT NULL AND model_key IS NOT NULL');
  return {
    sql: `WITH base AS (
        SELECT model_key AS model, COALESCE(job_type, '') AS job_type, COALESCE(image_size, '') AS image_size,
          COALESCE(NULLIF(prompt_hash, ''), 'row:' || row_id::VARCHAR) AS cluster, accepted, cost
        FROM priced ${w.sql}),
      clustered AS (
        SELECT model, job_type, image_size, cluster, count(*) AS n, count(*) FILTER (WHERE accepted) AS a, sum(cost) AS c
        FROM base GROUP BY model, job_type, image_size, cluster
        UNION ALL
        SELECT model, job_type, NULL AS image_size, cluster, count(*) AS n, count(*) FILTER (WHERE accepted) AS a, sum(cost) AS c
        FROM base GROUP BY model, job_type, cluster)
      SELECT model, job_type, image_size,
        count(*)::BIGINT AS clusters,
        sum(n)::BIGINT AS n,
        sum(a)::BIGINT AS accepted,
        sum(n * n)::BIGINT AS sum_n2,
        sum(a * a)::BIGINT AS sum_a2,
        sum(n * a)::BIGINT AS sum_na,
        COALESCE(sum(c), 0)::VARCHAR AS cost,
        sum(c::DOUBLE * c::DOUBLE) AS sum_c2,
        sum(c::DOUBLE * a) AS sum_ca
      FROM clustered
      GROUP BY model, job_type, image_size
      ORDER BY model, job_type, image_size NULLS FIRST`,
    params: w.params,
  };
}
