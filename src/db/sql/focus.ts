import type { FocusGrain } from '../../domain/focus';
import { andWhere, type Where } from './filters';
import type { Query } from './report';

const ISO = (day: string) => `strftime(${day}, '%Y-%m-%dT%H:%M:%SZ')`;
const MONTH_START = 'make_date(year(p.day), month(p.day), 1)';

/**
 * The priced log as FOCUS rows, before formatting (src/domain/focus.ts): per request, or summed
 * per UTC day × model × provider × lane × size × rate-card entry. Reads the row-level `priced`
 * view, because billed cost is per request (the log's own where it carries one, else computed)
 * and cannot be split from a cube cell exactly. Only priced requests: an unpriced one has no
 * list cost, and FOCUS costs must not be null; the caller counts and reports them.
 */
export function focusRowsQuery(grain: FocusGrain, where: Where): Query {
  const w = andWhere(where, 'p.unpriced_reason IS NULL');
  const common = `${ISO('p.day')} AS charge_start, ${ISO("p.day + INTERVAL '1 day'")} AS charge_end,
        ${ISO(MONTH_START)} AS billing_start, ${ISO(`${MONTH_START} + INTERVAL '1 month'`)} AS billing_end,
        p.model_key AS model, p.provider, p.lane, p.image_size, p.price_id, m.label AS model_label, m.vendor`;
  const sql =
    grain === 'request'
      ? `SELECT ${common}, p.job_type, p.request_id,
          COALESCE(p.cost_usd, p.cost)::VARCHAR AS billed_cost, p.cost::VARCHAR AS list_cost,
          (p.images * p.billed_attempts)::BIGINT AS quantity, p.attempt_count::BIGINT AS attempts,
          CASE WHEN p.accepted THEN 'true' WHEN NOT p.accepted THEN 'false' END AS accepted,
          1::BIGINT AS requests, map_keys(p.attributes) AS tag_keys, map_values(p.attributes) AS tag_values
        FROM priced p LEFT JOIN rate_models m ON m.model_id = p.model_key ${w.sql}
        ORDER BY p.ts, p.request_id, p.row_id`
      : `SELECT ${common}, NULL::VARCHAR AS job_type, NULL::VARCHAR AS request_id,
          sum(COALESCE(p.cost_usd, p.cost))::VARCHAR AS billed_cost, sum(p.cost)::VARCHAR AS list_cost,
          sum(p.images * p.billed_attempts)::BIGINT AS quantity, sum(p.attempt_count)::BIGINT AS attempts,
          count(*) FILTER (WHERE p.accepted)::VARCHAR AS accepted,
          count(*)::BIGINT AS requests, NULL::VARCHAR[] AS tag_keys, NULL::VARCHAR[] AS tag_values
        FROM priced p LEFT JOIN rate_models m ON m.model_id = p.model_key ${w.sql}
        GROUP BY ALL
        ORDER BY charge_start, model, provider, lane, image_size, price_id`;
  return { sql, params: w.params };
}

/** Requests the FOCUS export leaves out because no rate card prices them. */
export function focusUnpricedQuery(where: Where): Query {
  const w = andWhere(where, 'unpriced_reason IS NOT NULL');
  return { sql: `SELECT COALESCE(sum(requests), 0)::BIGINT AS requests FROM priced_cube ${w.sql}`, params: w.params };
}
