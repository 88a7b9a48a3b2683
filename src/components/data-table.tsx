import type { ReactNode } from 'react';
import { csvFileName, type CsvCell } from '../domain/csv';
import { ExportCsvButton } from './export-csv-button';
import { ScrollBox } from './scroll-box';

export interface DataColumn<T> {
  key: string;
  header: string;
  /** The exported value (and the shown one when `cell` is absent): exact, unformatted. */
  value: (row: T) => CsvCell;
  cell?: (row: T) => ReactNode;
  numeric?: boolean;
}

/**
 * A static table with a caption and a CSV export of exactly its rows; beside a chart it is
 * the chart's text alternative.
 */
export function DataTable<T>(props: {
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  caption: string;
  testId: string;
  rowKey: (row: T) => string;
  emptyText?: string;
}) {
  const { rows, columns } = props;
  return (
    <div className="table-wrap">
      <div className="table-toolbar">
        <span className="table-toolbar__caption" id={`${props.testId}-caption`}>{props.caption}</span>
        <ExportCsvButton
          fileName={csvFileName(props.caption)}
          header={columns.map((c) => c.header)}
          rows={() => rows.map((r) => columns.map((c) => c.value(r)))}
          testId={`${props.testId}-export`}
        />
      </div>
      <ScrollBox label={props.caption}>
        <table className="table" data-testid={props.testId} aria-labelledby={`${props.testId}-caption`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="muted">{props.emptyText ?? 'No rows for these filters.'}</td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={props.rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined} data-col={c.key}>
                      {c.cell ? c.cell(row) : String(c.value(row) ?? '')}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollBox>
    </div>
  );
}
