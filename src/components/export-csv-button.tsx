import { useState } from 'react';
import { toCsv, type CsvCell } from '../domain/csv';

type Rows = readonly (readonly CsvCell[])[];

/** Downloads a table as CSV (formula-injection safe, see domain/csv.ts). Rows are built (or fetched) on click. */
export function ExportCsvButton(props: { fileName: string; header: readonly string[]; rows: () => Rows | Promise<Rows>; testId?: string; label?: string }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();
  const download = async () => {
    setBusy(true);
    setFailed(undefined);
    let rows: Rows;
    try {
      rows = await props.rows();
    } catch (error) {
      setFailed(error instanceof Error ? error.message : String(error));
      return;
    } finally {
      setBusy(false);
    }
    const blob = new Blob([toCsv(props.header, rows)], { type: 'text/csv;charset=utf-8' });
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
    <>
      <button type="button" className="export-button" onClick={() => void download()} disabled={busy} data-testid={props.testId}>
        {busy ? 'Preparing…' : (props.label ?? 'Export CSV')}
      </button>
      {failed ? <span role="alert" className="export-error">Export failed: {failed}</span> : null}
    </>
  );
}
