import { checkAbort, yieldToEventLoop } from './errors';
import type { Delimiter } from './formats';
import type { JsonRecord, LineReject } from './shapes';

/**
 * Reads a delimited export of a recognised source (LiteLLM, OpenRouter, Langfuse, Helicone,
 * BigQuery exports of Vertex batch output) into records, so its rows go through the same
 * presets as the JSON forms. Cells holding JSON objects or lists (metadata, tags) are parsed.
 * Quoted fields may span lines; CRLF and LF line ends may be mixed.
 */
export async function readPresetCsv(text: string, delimiter: Delimiter, signal?: AbortSignal): Promise<{ records: { row: number; value: JsonRecord }[]; rejects: LineReject[] }> {
  const records: { row: number; value: JsonRecord }[] = [];
  const rejects: LineReject[] = [];
  let header: string[] | null = null;
  let row = 0;
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    fields.push(field);
    field = '';
    const line = fields;
    fields = [];
    if (line.length === 1 && line[0]!.trim() === '') return;
    if (!header) {
      header = line.map((h, j) => (j === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      return;
    }
    row++;
    if (line.length !== header.length) {
      rejects.push({ row, column: null, value: line.join(delimiter).slice(0, 200), reason: `malformed line: ${line.length} fields, the header has ${header.length}` });
      return;
    }
    const value: JsonRecord = {};
    header.forEach((h, j) => {
      const cell = line[j]!;
      if (cell === '') return;
      const t = cell.trim();
      if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
        try {
          value[h] = JSON.parse(t);
          return;
        } catch {
          // not JSON after all: kept as text
        }
      }
      value[h] = cell;
    });
    records.push({ row, value });
  };
  let sinceYield = 0;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      if (++sinceYield >= 20_000) {
        sinceYield = 0;
        checkAbort(signal);
        await yieldToEventLoop();
      }
    } else field += ch;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records, rejects };
}
