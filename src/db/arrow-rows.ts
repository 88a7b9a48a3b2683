import { DataType, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import type { Row, TextRow } from './engine';

/**
 * Text rows as an Arrow IPC stream of Utf8 columns, for the wasm builds' `insertText` (which
 * creates every column VARCHAR). Serialised here: the blocking Node build's own CommonJS copy of
 * Arrow does not recognise tables made by this ESM copy and would insert nothing (duckdb-wasm#1761).
 */
export function textIpc(columns: readonly string[], rows: readonly TextRow[]): Uint8Array {
  const vectors: Record<string, Vector<Utf8>> = {};
  columns.forEach((name, c) => {
    vectors[name] = vectorFromArray(
      rows.map((r) => r[c] ?? null),
      new Utf8(),
    );
  });
  return tableToIPC(new Table(vectors), 'stream');
}

/**
 * Converts an Arrow result to plain objects. BIGINT becomes a number when it is safe and
 * a string otherwise; DECIMAL is refused, because a builder must cast money deliberately
 * (VARCHAR when exact, DOUBLE for display) rather than receive Arrow's unscaled integers.
 */
export function arrowToRows<T = Row>(table: Table): T[] {
  for (const field of table.schema.fields) {
    if (DataType.isDecimal(field.type)) {
      throw new Error(
        `column "${field.name}" is DECIMAL: cast it to VARCHAR (exact) or DOUBLE (display) in the SQL`,
      );
    }
  }
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i));
  const rows: T[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) {
      row[names[c]!] = toPlain(columns[c]?.get(r));
    }
    rows[r] = row as T;
  }
  return rows;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') {
    return value.toJSON();
  }
  return value ?? null;
}
