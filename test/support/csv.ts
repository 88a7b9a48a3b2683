import { readFileSync } from 'node:fs';

/** Reads a simple CSV (no quoted fields, like the generated sample) into objects, independently of DuckDB. */
export function readSimpleCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}
