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

/**
 * Reads a CSV document (RFC 4180: quoted fields may hold commas, quotes and line breaks) into
 * records of fields. A leading byte-order mark is dropped; a trailing empty line is not a record.
 * Throws on a quote left open, naming the record where it started (1 = the first line).
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  const endField = () => {
    record.push(field);
    field = '';
    started = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && !started) {
      quoted = true;
      started = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      records.push(record);
      record = [];
    } else {
      field += ch;
      started = true;
    }
  }
  if (quoted) throw new RangeError(`a quoted field opened in record ${records.length + 1} is never closed`);
  if (started || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}
