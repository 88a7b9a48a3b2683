import { andWhere, type Where } from './filters';
import type { Query } from './report';

/**
 * Per-cluster sums of rated, priced requests for the Pro-vs-Flash decisions, at two levels:
 * model × job type × size, and model × job type (image_size NULL). The trial is the request
 * (acceptance is one mark per request, whatever its image count); requests sharing a
 * non-empty prompt hash in a group form one cluster, a request without a hash is its own.
 * Per group: clusters k, Σ N_k, Σ A_k, Σ N_k², Σ A_k², Σ N_k·A_k, exact Σ cost, and the
 * cost moments Σ C_k², Σ C_k·A_k as DOUBLE (they feed a variance, never a bill).
 * Reads `priced`: model_key, job_type, image_size, accepted, prompt_hash, prompt_requests,
 * unpriced_reason, cost (plus the filter columns ts, provider, lane).
 */
export function decisionClustersQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NULL AND accepted IS NOT NULL AND model_key IS NOT NULL');
  // A prompt the whole log holds once is a cluster of one under any filter, so its requests are
  // summed per group (cluster NULL) rather than grouped one by one: the hash table holds the
  // shared prompts and a row per group, not a row per request (that ran a 5M-row log out of memory).
  // For a row of singles, Σ N² = Σ N, Σ A² = Σ N·A = Σ A, and the cost moments were summed per request.
  const moments = (size: string, from: string, groupBy: string) => `
      SELECT model, job_type, ${size} AS image_size,
        sum(CASE WHEN cluster IS NULL THEN n ELSE 1 END)::BIGINT AS clusters,
        sum(n)::BIGINT AS n,
        sum(a)::BIGINT AS accepted,
        sum(CASE WHEN cluster IS NULL THEN n ELSE n * n END)::BIGINT AS sum_n2,
        sum(CASE WHEN cluster IS NULL THEN a ELSE a * a END)::BIGINT AS sum_a2,
        sum(CASE WHEN cluster IS NULL THEN a ELSE n * a END)::BIGINT AS sum_na,
        COALESCE(sum(c), 0)::VARCHAR AS cost,
        sum(CASE WHEN cluster IS NULL THEN c2 ELSE c::DOUBLE * c::DOUBLE END) AS sum_c2,
        sum(CASE WHEN cluster IS NULL THEN ca ELSE c::DOUBLE * a END) AS sum_ca
      FROM ${from} GROUP BY ${groupBy}`;
  return {
    sql: `WITH fine AS (
        SELECT model_key AS model, COALESCE(job_type, '') AS job_type, COALESCE(image_size, '') AS image_size,
          CASE WHEN prompt_requests > 1 THEN prompt_hash END AS cluster,
          count(*) AS n, sum(accepted::INTEGER) AS a, sum(cost) AS c,
          sum(cost::DOUBLE * cost::DOUBLE) AS c2, sum(cost::DOUBLE * accepted::INTEGER) AS ca
        FROM priced ${w.sql}
        GROUP BY ALL),
      per_job AS (
        SELECT model, job_type, cluster, sum(n) AS n, sum(a) AS a, sum(c) AS c, sum(c2) AS c2, sum(ca) AS ca
        FROM fine GROUP BY model, job_type, cluster)
      ${moments('image_size', 'fine', 'model, job_type, image_size')}
      UNION ALL
      ${moments('NULL', 'per_job', 'model, job_type')}
      ORDER BY model, job_type, image_size NULLS FIRST`,
    params: w.params,
  };
}
