import type { SqlParam } from '../engine';
import { andWhere, type Where } from './filters';
import { MONEY_TYPE, pricedRowsSql } from './pricing';
import type { Query } from './report';

export type ExplorerKind = 'text' | 'number' | 'money' | 'time' | 'bool';

/**
 * Every column the request explorer shows: the log's columns and the computed cost with
 * its breakdown. The ids are the only names a sort or a filter can use.
 */
export const EXPLORER_COLUMNS = [
  { id: 'request_id', label: 'Request id', kind: 'text' },
  { id: 'ts', label: 'Time (UTC)', kind: 'time' },
  { id: 'model_raw', label: 'Model (as logged)', kind: 'text' },
  { id: 'model_key', label: 'Model', kind: 'text' },
  { id: 'provider', label: 'Provider', kind: 'text' },
  { id: 'lane', label: 'Lane', kind: 'text' },
  { id: 'image_size', label: 'Size', kind: 'text' },
  { id: 'images', label: 'Images', kind: 'number' },
  { id: 'job_type', label: 'Job type', kind: 'text' },
  { id: 'attempt_count', label: 'Attempts', kind: 'number' },
  { id: 'billed_attempts', label: 'Billed attempts', kind: 'number' },
  { id: 'prompt_hash', label: 'Prompt hash', kind: 'text' },
  { id: 'accepted', label: 'Accepted', kind: 'bool' },
  { id: 'input_tokens', label: 'Input tokens', kind: 'number' },
  { id: 'input_images', label: 'Input images', kind: 'number' },
  { id: 'output_text_tokens', label: 'Text out tokens', kind: 'number' },
  { id: 'output_image_tokens', label: 'Image out tokens', kind: 'number' },
  { id: 'grounding_queries', label: 'Grounding queries', kind: 'number' },
  { id: 'status', label: 'Status', kind: 'text' },
  { id: 'latency_ms', label: 'Latency ms', kind: 'number' },
  { id: 'cost_usd', label: 'Billed (logged)', kind: 'money' },
  { id: 'cost', label: 'Computed cost', kind: 'money' },
  { id: 'variance', label: 'Variance (billed − computed)', kind: 'money' },
  { id: 'abs_variance', label: '|Variance|', kind: 'money' },
  { id: 'image_cost', label: 'Image cost / attempt', kind: 'money' },
  { id: 'input_cost', label: 'Input cost / attempt', kind: 'money' },
  { id: 'text_cost', label: 'Text cost / attempt', kind: 'money' },
  { id: 'grounding_cost', label: 'Grounding / attempt', kind: 'money' },
  { id: 'request_cost', label: 'Per-request fee', kind: 'money' },
  { id: 'attempt_cost', label: 'Cost / attempt', kind: 'money' },
  { id: 'retry_cost', label: 'Retry cost', kind: 'money' },
  { id: 'cost_standard', label: 'On standard', kind: 'money' },
  { id: 'cost_batch', label: 'On batch', kind: 'money' },
  { id: 'unpriced_reason', label: 'Unpriced reason', kind: 'text' },
  { id: 'source_file', label: 'Source file', kind: 'text' },
  { id: 'source_row', label: 'Source row', kind: 'number' },
] as const satisfies readonly { id: string; label: string; kind: ExplorerKind }[];

export type ExplorerColumnId = (typeof EXPLORER_COLUMNS)[number]['id'];
const BY_ID = new Map<string, (typeof EXPLORER_COLUMNS)[number]>(EXPLORER_COLUMNS.map((c) => [c.id, c]));

export interface ExplorerRequest {
  sort: { id: string; desc: boolean }[];
  /** Per-column filter text: substring for text, `>= 2`-style comparisons for numbers and money. */
  columnFilters: { id: string; value: string }[];
  /** Substring searched in request id, prompt hash, logged model and job type. */
  search: string;
  /** Requests whose attribute has this value ('' = the attribute is missing), e.g. from a Reconcile group. */
  attributes?: { name: string; value: string }[];
  pageIndex: number;
  pageSize: number;
}

const COMPARISON = /^(>=|<=|<>|!=|>|<|=)?\s*(-?\d+(?:\.\d+)?)$/;

function selectSql(): string {
  return EXPLORER_COLUMNS.map((c) =>
    c.kind === 'money' ? `${c.id}::VARCHAR AS ${c.id}`
    : c.kind === 'time' ? `strftime(${c.id}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c.id}`
    : c.id,
  ).join(', ');
}

/** The explorer's WHERE: global filters, then column filters and search as bound parameters. */
export function explorerWhere(where: Where, request: Pick<ExplorerRequest, 'columnFilters' | 'search' | 'attributes'>): Where {
  let w: Where = { sql: where.sql, params: [...where.params] };
  const add = (condition: string, ...params: SqlParam[]) => {
    w = andWhere(w, condition);
    w.params = [...w.params, ...params];
  };
  for (const filter of request.columnFilters) {
    const column = BY_ID.get(filter.id);
    const text = filter.value.trim();
    if (!column || text === '') continue;
    const comparison = COMPARISON.exec(text);
    if ((column.kind === 'number' || column.kind === 'money') && comparison) {
      const op = comparison[1] === '!=' ? '<>' : (comparison[1] ?? '=');
      const cast = column.kind === 'money' ? `CAST(? AS ${MONEY_TYPE})` : 'CAST(? AS DOUBLE)';
      add(`${column.id} ${op} ${cast}`, comparison[2]!);
    } else {
      add(`contains(lower(CAST(${column.id} AS VARCHAR)), lower(?))`, text);
    }
  }
  for (const a of request.attributes ?? []) add(`COALESCE(attributes[?], '') = ?`, a.name, a.value);
  const search = request.search.trim();
  if (search) {
    add(
      `(contains(lower(request_id), lower(?)) OR contains(lower(prompt_hash), lower(?))
        OR contains(lower(model_raw), lower(?)) OR contains(lower(job_type), lower(?)))`,
      search, search, search, search,
    );
  }
  return w;
}

/**
 * Qualified by the relation's alias: a bare name would bind to the select list's text form of a
 * money column and sort "9.5" after "10.0".
 */
function orderSql(sort: ExplorerRequest['sort'], alias: string): string {
  const order = sort.filter((s) => BY_ID.has(s.id)).map((s) => `${alias}.${s.id} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  order.push(`${alias}.row_id ASC`);
  return order.join(', ');
}

/** Rows with each request's variance: billed (the log's cost_usd) − computed; NULL when either is missing. */
const withVariance = (rows: string) => `(SELECT *, cost_usd - cost AS variance, abs(cost_usd - cost) AS abs_variance FROM (${rows}))`;

/** Columns a request has only once it is priced: sorting or filtering on one prices every matching request. */
const PRICED_ONLY = new Set<string>(EXPLORER_COLUMNS.filter((c) => (c.kind === 'money' && c.id !== 'cost_usd') || c.id === 'unpriced_reason').map((c) => c.id));

type Shape = Pick<ExplorerRequest, 'sort' | 'columnFilters'>;
const needsPrices = (request: Shape) => request.sort.some((s) => PRICED_ONLY.has(s.id)) || request.columnFilters.some((f) => PRICED_ONLY.has(f.id) && f.value.trim() !== '');

/** Each logged request with its canonical model and day: enough to filter and sort on without pricing. */
const UNPRICED = '(SELECT r.*, m.model_key, CAST(r.ts AS DATE) AS day FROM requests r LEFT JOIN model_keys m ON m.model_raw = r.model_raw)';

/**
 * Matching requests in the explorer's order, `LIMIT ? OFFSET ?` at the end of the params. Unless
 * the order or a filter needs a price, the rows are chosen first and only they are priced.
 */
function rowsQuery(where: Where, request: Shape & Pick<ExplorerRequest, 'search' | 'attributes'>, columns: string): Where {
  const w = explorerWhere(where, request);
  const order = orderSql(request.sort, 'x');
  if (needsPrices(request)) return { sql: `SELECT ${columns} FROM ${withVariance('SELECT * FROM priced')} x ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, params: w.params };
  const chosen = `SELECT * EXCLUDE (model_key, day) FROM ${UNPRICED} x ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return { sql: `SELECT ${columns} FROM ${withVariance(pricedRowsSql(`(${chosen})`))} x ORDER BY ${order}`, params: w.params };
}

/** One page of priced requests, sorted by whitelisted columns (unknown ids are ignored). */
export function explorerPageQuery(where: Where, request: ExplorerRequest): Query {
  const pageSize = Math.min(Math.max(1, Math.floor(request.pageSize)), 1000);
  const offset = Math.max(0, Math.floor(request.pageIndex)) * pageSize;
  const q = rowsQuery(where, request, `row_id, ${selectSql()}`);
  return { sql: q.sql, params: [...q.params, pageSize, offset] };
}

export const EXPORT_LIMIT = 100_000;

/** Every matching request in the explorer's order, up to EXPORT_LIMIT rows, for CSV export. */
export function explorerExportQuery(where: Where, request: Omit<ExplorerRequest, 'pageIndex' | 'pageSize'>): Query {
  const q = rowsQuery(where, request, selectSql());
  return { sql: q.sql, params: [...q.params, EXPORT_LIMIT, 0] };
}

/** How many requests match the explorer's filters (for the page count). */
export function explorerCountQuery(where: Where, request: Pick<ExplorerRequest, 'columnFilters' | 'search' | 'attributes'>): Query {
  // The global filters alone are on `priced_days`' keys and day: their requests are summed there, not counted row by row.
  const rowLevel = request.columnFilters.some((f) => f.value.trim() !== '') || (request.attributes?.length ?? 0) > 0 || request.search.trim() !== '';
  if (!rowLevel) return { sql: `SELECT COALESCE(sum(m_all_requests), 0)::BIGINT AS total FROM priced_days ${where.sql}`, params: where.params };
  const w = explorerWhere(where, request);
  // The order never changes the count: only a filter on an amount needs the prices.
  const source = needsPrices({ sort: [], columnFilters: request.columnFilters }) ? withVariance('SELECT * FROM priced') : UNPRICED;
  return { sql: `SELECT count(*) AS total FROM ${source} ${w.sql}`, params: w.params };
}
