import type { SqlParam } from '../engine';
import { andWhere, type Where } from './filters';
import { MONEY_TYPE } from './pricing';
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

function orderSql(sort: ExplorerRequest['sort']): string {
  const order = sort.filter((s) => BY_ID.has(s.id)).map((s) => `${s.id} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  order.push('row_id ASC');
  return order.join(', ');
}

/** `priced` with each request's variance: billed (the log's cost_usd) − computed; NULL when either is missing. */
const SOURCE = '(SELECT *, cost_usd - cost AS variance, abs(cost_usd - cost) AS abs_variance FROM priced)';

/** One page of priced requests, sorted by whitelisted columns (unknown ids are ignored). */
export function explorerPageQuery(where: Where, request: ExplorerRequest): Query {
  const w = explorerWhere(where, request);
  const pageSize = Math.min(Math.max(1, Math.floor(request.pageSize)), 1000);
  const offset = Math.max(0, Math.floor(request.pageIndex)) * pageSize;
  return {
    sql: `SELECT row_id, ${selectSql()} FROM ${SOURCE} ${w.sql} ORDER BY ${orderSql(request.sort)} LIMIT ? OFFSET ?`,
    params: [...w.params, pageSize, offset],
  };
}

export const EXPORT_LIMIT = 100_000;

/** Every matching request in the explorer's order, up to EXPORT_LIMIT rows, for CSV export. */
export function explorerExportQuery(where: Where, request: Omit<ExplorerRequest, 'pageIndex' | 'pageSize'>): Query {
  const w = explorerWhere(where, request);
  return {
    sql: `SELECT ${selectSql()} FROM ${SOURCE} ${w.sql} ORDER BY ${orderSql(request.sort)} LIMIT ?`,
    params: [...w.params, EXPORT_LIMIT],
  };
}

/** How many requests match the explorer's filters (for the page count). */
export function explorerCountQuery(where: Where, request: Pick<ExplorerRequest, 'columnFilters' | 'search' | 'attributes'>): Query {
  const w = explorerWhere(where, request);
  return { sql: `SELECT count(*) AS total FROM ${SOURCE} ${w.sql}`, params: w.params };
}
