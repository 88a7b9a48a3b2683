import type { ReactNode } from 'react';
import { ScrollBox } from './scroll-box';

export interface SimpleColumn<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A small static table: the text alternative beside every chart. */
export function SimpleTable<T>(props: { rows: readonly T[]; columns: readonly SimpleColumn<T>[]; caption: string; testId: string; rowKey: (row: T) => string }) {
  return (
    <ScrollBox label={props.caption}>
      <table className="table" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined} data-col={c.key}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
