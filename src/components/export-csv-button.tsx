import { toCsv, type CsvCell } from '../domain/csv';

/** Downloads a table as CSV (formula-injection safe, see domain/csv.ts). Rows are built on click. */
export function ExportCsvButton(props: { fileName: string; header: readonly string[]; rows: () => readonly (readonly CsvCell[])[]; testId?: string; label?: string }) {
  const download = () => {
    const blob = new Blob([toCsv(props.header, props.rows())], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = props.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <button type="button" className="export-button" onClick={download} data-testid={props.testId}>
      {props.label ?? 'Export CSV'}
    </button>
  );
}
