import type { ExplorerRequest } from '../../db/sql/explorer';

/** TanStack Table's controlled state, as the explorer's SQL request (pure, for the query key). */
export function toExplorerRequest(state: {
  sorting: readonly { id: string; desc: boolean }[];
  columnFilters: readonly { id: string; value: unknown }[];
  search: string;
  pagination: { pageIndex: number; pageSize: number };
  attributes?: readonly { name: string; value: string }[];
}): ExplorerRequest {
  return {
    ...(state.attributes?.length ? { attributes: state.attributes.map((a) => ({ name: a.name, value: a.value })) } : {}),
    sort: state.sorting.map((s) => ({ id: s.id, desc: s.desc })),
    columnFilters: state.columnFilters
      .map((f) => ({ id: f.id, value: typeof f.value === 'string' ? f.value : '' }))
      .filter((f) => f.value.trim() !== ''),
    search: state.search,
    pageIndex: state.pagination.pageIndex,
    pageSize: state.pagination.pageSize,
  };
}

/** "Rows 26–50 of 1,000,000" for the pager. */
export function pageRange(pageIndex: number, pageSize: number, total: number): { first: number; last: number } {
  if (total === 0) return { first: 0, last: 0 };
  const first = pageIndex * pageSize + 1;
  return { first: Math.min(first, total), last: Math.min(first + pageSize - 1, total) };
}
