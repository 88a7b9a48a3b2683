import type { Query } from './report';

/**
 * The planning cube: `priced` summed per canonical model × size × lane × provider × job type
 * × UTC day. A few thousand rows stand in for millions of requests, so scenario, policy and
 * budget figures recompute in the pure domain without rescanning the log. Cost is the exact
 * billed cost of priced requests (unpriced ones are counted, never guessed).
 */
export function cubeQuery(): Query {
  return {
    sql: `SELECT model_key AS model,
        COALESCE(image_size, '') AS image_size,
        COALESCE(lane, '') AS lane,
        COALESCE(provider, '') AS provider,
        COALESCE(job_type, '') AS job_type,
        strftime(ts, '%Y-%m-%d') AS day,
        count(*)::BIGINT AS requests,
        COALESCE(sum(images), 0)::BIGINT AS images,
        COALESCE(sum(attempt_count), 0)::BIGINT AS attempts,
        COALESCE(sum(billed_attempts), 0)::BIGINT AS billed_attempts,
        COALESCE(sum(images * billed_attempts), 0)::BIGINT AS billed_images,
        count(accepted)::BIGINT AS with_feedback,
        count(*) FILTER (WHERE accepted)::BIGINT AS accepted,
        count(*) FILTER (WHERE unpriced_reason IS NOT NULL)::BIGINT AS unpriced_requests,
        COALESCE(sum(cost), 0)::VARCHAR AS cost
      FROM priced
      WHERE ts IS NOT NULL AND model_key IS NOT NULL
      GROUP BY ALL
      ORDER BY day, model, image_size, lane, provider, job_type`,
    params: [],
  };
}
