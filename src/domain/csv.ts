/** A cell as tables hand it to CSV export: text, a number, or nothing. */
export type CsvCell = string | number | boolean | null | undefined;

/** A plain number ("-12.5") is data, not a formula, and stays as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: text that a spreadsheet would read as a formula is prefixed with `'`,
 * then quoted when it holds a comma, quote, line break or edge space (RFC 4180).
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: header line, then one line per row, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a title: lower-case words joined by dashes, `.csv` appended. */
export function csvFileName(title: string): string {
  const stem = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `pixelspend-${stem || 'table'}.csv`;
}
