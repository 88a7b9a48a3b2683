import type { Filters } from '../domain/filters';
import type { CsvCell } from '../domain/csv';
import { focusCells, type FocusGrain, type FocusSourceRow } from '../domain/focus';
import type { Engine } from './engine';
import { filterWhere } from './sql/filters';
import { focusRowsQuery, focusUnpricedQuery } from './sql/focus';

export interface FocusExport {
  /** Cells in `FOCUS_COLUMNS` order: write them with `toCsv(FOCUS_COLUMNS, cells)`. */
  cells: CsvCell[][];
  /** Requests left out because no rate card prices them (FOCUS costs cannot be null). */
  unpricedRequests: number;
}

/** The filtered, priced log as FOCUS 1.2 rows at the chosen grain. */
export async function exportFocus(engine: Engine, grain: FocusGrain, filters: Filters = {}): Promise<FocusExport> {
  const where = filterWhere(filters);
  const query = focusRowsQuery(grain, where);
  const rows = await engine.query<FocusSourceRow>(query.sql, query.params);
  const unpriced = focusUnpricedQuery(where);
  const [u] = await engine.query<{ requests: number }>(unpriced.sql, unpriced.params);
  return { cells: rows.map((r) => focusCells(r, grain)), unpricedRequests: u!.requests };
}
