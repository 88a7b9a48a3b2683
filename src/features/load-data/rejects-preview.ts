import type { RejectedRow } from '../../db/ingest/ingest';

/**
 * The first `maxRows` rejected rows with every problem each has, and a caption that counts
 * rows as rows: a row can fail several columns, so problems and rows differ.
 */
export function rejectsPreview(rejects: readonly RejectedRow[], rowsRejected: number, maxRows: number): { problems: RejectedRow[]; caption: string } {
  const rows = new Set<number>();
  const problems: RejectedRow[] = [];
  for (const r of rejects) {
    if (!rows.has(r.row)) {
      if (rows.size === maxRows) break;
      rows.add(r.row);
    }
    problems.push(r);
  }
  const shown = rows.size;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const what = shown === rowsRejected ? `${rowsRejected === 1 ? 'The' : `All ${fmt(rowsRejected)}`} rejected ${rowsRejected === 1 ? 'row' : 'rows'}` : `First ${fmt(shown)} of ${fmt(rowsRejected)} rejected rows`;
  return { problems, caption: problems.length > shown ? `${what} (${fmt(problems.length)} problems)` : what };
}
