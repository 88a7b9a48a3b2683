import type { Filters } from '../domain/filters';
import { parseUsd, type Pico } from '../domain/money';
import type { Engine } from './engine';
import * as d from './sql/dashboard';
import { EXPLORER_COLUMNS, explorerCountQuery, explorerExportQuery, explorerPageQuery, type ExplorerRequest } from './sql/explorer';
import { filterWhere } from './sql/filters';
import type { Query } from './sql/report';

/** The dashboard's figures beyond the report: each runs its builder and parses money exactly. */

function run<T>(engine: Engine, query: Query): Promise<T[]> {
  return engine.query<T>(query.sql, query.params);
}

export interface FilterOption {
  value: string;
  requests: number;
}
export type FilterOptions = Record<d.FilterDimension, FilterOption[]> & { firstDay: string | null; lastDay: string | null };

export async function loadFilterOptions(engine: Engine): Promise<FilterOptions> {
  const [options, [range]] = await Promise.all([
    run<FilterOption & { dimension: d.FilterDimension }>(engine, d.filterOptionsQuery()),
    run<{ first_day: string | null; last_day: string | null }>(engine, d.dateRangeQuery()),
  ]);
  const of = (dimension: d.FilterDimension) => options.filter((o) => o.dimension === dimension).map(({ value, requests }) => ({ value, requests }));
  return {
    ...(Object.fromEntries(Object.keys(d.FILTER_COLUMNS).map((dimension) => [dimension, of(dimension as d.FilterDimension)])) as Record<d.FilterDimension, FilterOption[]>),
    firstDay: range?.first_day ?? null,
    lastDay: range?.last_day ?? null,
  };
}

export interface TimeBucket {
  bucket: string;
  requests: number;
  images: number;
  cost: Pico;
  retryCost: Pico;
}

export async function loadSpendOverTime(engine: Engine, filters: Filters, grain: d.TimeGrain): Promise<TimeBucket[]> {
  const rows = await run<{ bucket: string; requests: number; images: number; cost: string; retry_cost: string }>(
    engine,
    d.spendOverTimeQuery(filterWhere(filters), grain),
  );
  return rows.map((r) => ({ bucket: r.bucket, requests: r.requests, images: r.images, cost: parseUsd(r.cost), retryCost: parseUsd(r.retry_cost) }));
}

export interface RetryGroup {
  key: string;
  requests: number;
  retried: number;
  attempts: number;
  billedAttempts: number;
  cost: Pico;
  retryCost: Pico;
}
export interface AttemptBucket {
  attempts: number;
  requests: number;
  cost: Pico;
  retryCost: Pico;
}
export interface RetryBreakdown {
  byModel: RetryGroup[];
  byResolution: RetryGroup[];
  byJobType: RetryGroup[];
  attempts: AttemptBucket[];
}

export async function loadRetryBreakdown(engine: Engine, filters: Filters): Promise<RetryBreakdown> {
  const where = filterWhere(filters);
  const groups = await run<{ dimension: d.RetryDimension; key: string; requests: number; retried: number; attempts: number; billed_attempts: number; cost: string; retry_cost: string }>(
    engine,
    d.retryByQuery(where),
  );
  const by = (dimension: d.RetryDimension): RetryGroup[] =>
    groups.filter((r) => r.dimension === dimension).map((r) => ({
      key: r.key,
      requests: r.requests,
      retried: r.retried,
      attempts: r.attempts,
      billedAttempts: r.billed_attempts,
      cost: parseUsd(r.cost),
      retryCost: parseUsd(r.retry_cost),
    }));
  const attempts = (await run<{ attempts: number; requests: number; cost: string; retry_cost: string }>(engine, d.attemptDistributionQuery(where))).map(
    (r) => ({ attempts: r.attempts, requests: r.requests, cost: parseUsd(r.cost), retryCost: parseUsd(r.retry_cost) }),
  );
  return { byModel: by('model'), byResolution: by('image_size'), byJobType: by('job_type'), attempts };
}

export interface BatchJobType {
  jobType: string;
  standardRequests: number;
  batchableRequests: number;
  standardCost: Pico;
  potentialSavings: Pico;
  batchRequests: number;
  batchCost: Pico;
  realizedSavings: Pico;
}

/** Per job type: what batch saved, and what the standard requests would have saved on batch. */
export async function loadBatchByJobType(engine: Engine, filters: Filters): Promise<BatchJobType[]> {
  const rows = await run<{
    job_type: string; standard_requests: number; batchable_requests: number; standard_cost: string; potential_savings: string;
    batch_requests: number; batch_cost: string; realized_savings: string;
  }>(engine, d.batchByJobTypeQuery(filterWhere(filters)));
  return rows
    .map((r) => ({
      jobType: r.job_type,
      standardRequests: r.standard_requests,
      batchableRequests: r.batchable_requests,
      standardCost: parseUsd(r.standard_cost),
      potentialSavings: parseUsd(r.potential_savings),
      batchRequests: r.batch_requests,
      batchCost: parseUsd(r.batch_cost),
      realizedSavings: parseUsd(r.realized_savings),
    }))
    .sort((a, b) => a.jobType.localeCompare(b.jobType));
}

export interface DuplicateHash {
  promptHash: string;
  requests: number;
  models: string;
  jobTypes: string;
  firstDay: string;
  lastDay: string;
  cost: Pico;
  regenCost: Pico;
}
export interface Duplicates {
  repeatedHashes: number;
  requestsInRepeats: number;
  distinctHashes: number;
  top: DuplicateHash[];
}

export async function loadDuplicates(engine: Engine, filters: Filters, limit = 50): Promise<Duplicates> {
  const where = filterWhere(filters);
  const [summary] = await run<{ repeated_hashes: number; requests_in_repeats: number; distinct_hashes: number }>(engine, d.duplicateSummaryQuery(where));
  const top = await run<{ prompt_hash: string; requests: number; models: string; job_types: string; first_day: string; last_day: string; cost: string; regen_cost: string }>(
    engine,
    d.topDuplicatesQuery(where, limit),
  );
  return {
    repeatedHashes: summary?.repeated_hashes ?? 0,
    requestsInRepeats: summary?.requests_in_repeats ?? 0,
    distinctHashes: summary?.distinct_hashes ?? 0,
    top: top.map((t) => ({
      promptHash: t.prompt_hash,
      requests: t.requests,
      models: t.models,
      jobTypes: t.job_types,
      firstDay: t.first_day,
      lastDay: t.last_day,
      cost: parseUsd(t.cost),
      regenCost: parseUsd(t.regen_cost),
    })),
  };
}

/** One explorer row: money columns stay exact decimal strings (display formats them). */
export type ExplorerRow = { row_id: number } & Record<(typeof EXPLORER_COLUMNS)[number]['id'], string | number | boolean | null>;

export async function loadExplorerPage(engine: Engine, filters: Filters, request: ExplorerRequest): Promise<{ rows: ExplorerRow[]; total: number }> {
  const where = filterWhere(filters);
  const [count] = await run<{ total: number }>(engine, explorerCountQuery(where, request));
  const rows = await run<ExplorerRow>(engine, explorerPageQuery(where, request));
  return { rows, total: count?.total ?? 0 };
}

/** The explorer's matching rows (up to EXPORT_LIMIT) as CSV cells in EXPLORER_COLUMNS order. */
export async function loadExplorerExport(engine: Engine, filters: Filters, request: ExplorerRequest): Promise<(string | number | boolean | null)[][]> {
  const rows = await run<ExplorerRow>(engine, explorerExportQuery(filterWhere(filters), request));
  return rows.map((r) => EXPLORER_COLUMNS.map((c) => r[c.id]));
}
