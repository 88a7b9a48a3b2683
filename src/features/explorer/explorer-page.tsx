import { useEffect, useMemo, useState } from 'react';
import {
  columnFilteringFeature,
  createColumnHelper,
  filterFn_includesString,
  functionalUpdate,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import type { ColumnFiltersState, OnChangeFn, PaginationState, SortingState } from '@tanstack/react-table';
import { ExportCsvButton } from '../../components/export-csv-button';
import { count } from '../../components/format';
import { ViewFrame } from '../../components/view-frame';
import { ScrollBox } from '../../components/scroll-box';
import { loadExplorerExport, loadExplorerPage, type ExplorerRow } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { EXPLORER_COLUMNS, EXPORT_LIMIT, type ExplorerRequest } from '../../db/sql/explorer';
import { formatPlain, parseUsd } from '../../domain/money';
import { useViewActions } from '../../hooks/use-view-actions';
import { getSession, useSession } from '../../hooks/use-session';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { useAppStore } from '../../state/store';
import { pageRange, toExplorerRequest } from './explorer-request';

const features = tableFeatures({
  columnFilteringFeature,
  rowSortingFeature,
  rowPaginationFeature,
  filterFns: { includesString: filterFn_includesString },
});
const col = createColumnHelper<typeof features, ExplorerRow>();

function display(kind: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind === 'money') return `$${formatPlain(parseUsd(String(value)))}`;
  if (kind === 'bool') return value ? 'yes' : 'no';
  if (kind === 'number' && typeof value === 'number') return value.toLocaleString('en-US');
  return String(value);
}

const columns = col.columns(
  EXPLORER_COLUMNS.map((c) =>
    col.accessor((row) => row[c.id], {
      id: c.id,
      header: c.label,
      cell: (info) => display(c.kind, info.getValue()),
      sortDescFirst: c.kind === 'money' || c.kind === 'number',
      meta: undefined,
    }),
  ),
);
const NUMERIC = new Set<string>(EXPLORER_COLUMNS.filter((c) => c.kind === 'money' || c.kind === 'number').map((c) => c.id));
const EMPTY: ExplorerRow[] = [];
const PAGE_SIZES = [25, 50, 100];

/** Text that settles for `ms` before it is passed on, so typing does not query on every key. */
function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function ExplorerPage() {
  // A link from another view (Reconcile) opens the Explorer sorted and narrowed once.
  const [preset] = useState(() => useAppStore.getState().explorerPreset);
  useEffect(() => {
    if (preset) useAppStore.getState().setExplorerPreset(null);
  }, [preset]);
  const [attributes, setAttributes] = useState(preset?.attributes ?? []);
  const [sorting, setSorting] = useState<SortingState>(preset?.sort ?? []);
  const [filterDraft, setFilterDraft] = useState<ColumnFiltersState>([]);
  const [searchDraft, setSearchDraft] = useState('');
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: 25 });
  const columnFilters = useDebounced(filterDraft);
  const search = useDebounced(searchDraft);
  const request = useMemo(() => toExplorerRequest({ sorting, columnFilters, search, pagination, attributes }), [sorting, columnFilters, search, pagination, attributes]);
  const requestKey = JSON.stringify(request);
  const load = useMemo(() => (engine: Engine, { filters }: QueryInputs) => loadExplorerPage(engine, filters, JSON.parse(requestKey) as ExplorerRequest), [requestKey]);
  const page = useViewQuery(load);
  const { session } = useSession();
  const summary = session?.files.find((f) => f.format.startsWith('usage cube'));
  const actions = useViewActions();

  // New global filters start again at the first page (adjusted during render, not in an effect).
  const globalFilters = useAppStore((s) => s.filters);
  const [seenFilters, setSeenFilters] = useState(globalFilters);
  if (seenFilters !== globalFilters) {
    setSeenFilters(globalFilters);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  }

  const onSortingChange: OnChangeFn<SortingState> = (u) => {
    setSorting((old) => functionalUpdate(u, old));
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const onColumnFiltersChange: OnChangeFn<ColumnFiltersState> = (u) => {
    setFilterDraft((old) => functionalUpdate(u, old));
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const table = useTable({
    features,
    columns,
    data: page.data?.rows ?? EMPTY,
    getRowId: (r) => String(r.row_id),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    rowCount: page.data?.total ?? 0,
    state: { sorting, columnFilters: filterDraft, pagination },
    onSortingChange,
    onColumnFiltersChange,
    onPaginationChange: setPagination,
  });
  const total = page.data?.total ?? 0;
  const range = pageRange(pagination.pageIndex, pagination.pageSize, total);
  const noData = page.data && total === 0 && !actions.hasFilters && request.columnFilters.length === 0 && !request.search;
  const intro = 'Every request, priced or not (an unpriced one shows its reason and no cost), with its cost breakdown. Sorting, filters and paging run in DuckDB, so large logs stay fast. Filter numbers and money with comparisons like >= 2 or > 0.1.';
  // A cube holds sums, not requests: an empty table (or "no log loaded") would say the wrong thing.
  if (summary) {
    return (
      <ViewFrame id="explorer" title="Explorer" intro={intro} status={page.status} hasData error={page.error}>
        <p className="notice" data-testid="explorer-summary-only">
          {summary.file} is a usage cube: {summary.rowsRead.toLocaleString('en-US')} requests summed per day, model, provider,
          lane, size and job type. Every other view works on it; the requests themselves stayed where the cube was made.
        </p>
      </ViewFrame>
    );
  }
  return (
    <ViewFrame
      id="explorer"
      title="Explorer"
      intro={intro}
      status={page.status}
      hasData={Boolean(page.data)}
      error={page.error}
      empty={noData ? 'no-data' : null}
      {...actions}
    >
      {preset && attributes.length > 0 ? (
        <p className="notice" data-testid="explorer-preset">
          {preset.label}: only requests with {attributes.map((a) => `${a.name} = ${a.value === '' ? '(none)' : a.value}`).join(', ')}.{' '}
          <button type="button" onClick={() => setAttributes([])}>
            Show all requests
          </button>
        </p>
      ) : null}
      <div className="explorer-controls">
        <label>
          <span className="sr-only">Search request id, prompt hash, model or job type</span>
          <input
            type="search"
            placeholder="Search request id, prompt hash, model, job type…"
            value={searchDraft}
            onChange={(e) => {
              setSearchDraft(e.target.value);
              setPagination((p) => ({ ...p, pageIndex: 0 }));
            }}
            data-testid="explorer-search"
          />
        </label>
        <span className="muted" data-testid="explorer-total" data-total={total}>
          {count(total)} requests
        </span>
        <ExportCsvButton
          label="Export page CSV"
          fileName={`pixelspend-requests-page-${pagination.pageIndex + 1}.csv`}
          header={EXPLORER_COLUMNS.map((c) => c.id)}
          rows={() => (page.data?.rows ?? []).map((r) => EXPLORER_COLUMNS.map((c) => r[c.id]))}
          testId="explorer-export"
        />
        <ExportCsvButton
          label={total > EXPORT_LIMIT ? `Export first ${count(EXPORT_LIMIT)} CSV` : 'Export all matching CSV'}
          fileName="pixelspend-requests.csv"
          header={EXPLORER_COLUMNS.map((c) => c.id)}
          rows={async () => {
            const session = await getSession();
            return session.read((engine) => loadExplorerExport(engine, useAppStore.getState().filters, request));
          }}
          testId="explorer-export-all"
        />
      </div>
      <ScrollBox label="Requests" className="explorer-wrap">
        <table className="table explorer-table" data-testid="explorer-table" aria-rowcount={total + 1}>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} scope="col" className={NUMERIC.has(h.column.id) ? 'num' : undefined} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                      <button type="button" onClick={h.column.getToggleSortingHandler()} data-testid={`sort-${h.column.id}`}>
                        <table.FlexRender header={h} />
                        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                      </button>
                      <input
                        aria-label={`Filter ${String(h.column.columnDef.header)}`}
                        value={(h.column.getFilterValue() as string | undefined) ?? ''}
                        onChange={(e) => h.column.setFilterValue(e.target.value || undefined)}
                        data-testid={`filter-col-${h.column.id}`}
                      />
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={NUMERIC.has(cell.column.id) ? 'num' : undefined} data-col={cell.column.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {page.data && total === 0 ? (
              <tr>
                <td colSpan={EXPLORER_COLUMNS.length} className="muted">
                  No request matches these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollBox>
      <div className="pager">
        <button type="button" onClick={() => table.firstPage()} disabled={!table.getCanPreviousPage()} aria-label="First page">
          «
        </button>
        <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()} data-testid="explorer-prev">
          Previous
        </button>
        <span data-testid="explorer-range">
          Rows {count(range.first)}–{count(range.last)} of {count(total)} · page {count(pagination.pageIndex + 1)} of {count(Math.max(1, table.getPageCount()))}
        </span>
        <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()} data-testid="explorer-next">
          Next
        </button>
        <button type="button" onClick={() => table.lastPage()} disabled={!table.getCanNextPage()} aria-label="Last page">
          »
        </button>
        <label>
          Rows per page{' '}
          <select value={pagination.pageSize} onChange={(e) => table.setPageSize(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </ViewFrame>
  );
}
