import { Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

/**
 * An all-text Arrow table: rows cross into DuckDB as strings and SQL casts them, so no
 * value's type is guessed on the way in and nothing user-supplied is spliced into SQL.
 */
export function textTable(columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Table {
  const vectors: Record<string, Vector<Utf8>> = {};
  columns.forEach((name, c) => {
    vectors[name] = vectorFromArray(
      rows.map((r) => r[c] ?? null),
      new Utf8(),
    );
  });
  return new Table(vectors);
}
