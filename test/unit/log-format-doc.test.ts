import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_COLUMNS } from '../../src/domain/log-schema';

const doc = readFileSync('docs/log-format.md', 'utf8');
const rows = new Map(
  doc
    .split('\n')
    .filter((line) => /^\| `[a-z_]+` \| (yes|no) \|/.test(line))
    .map((line) => [line.split('|')[1]!.trim().replaceAll('`', ''), line]),
);

describe('docs/log-format.md lists every canonical column with its default and every synonym', () => {
  it('one row per column, no more', () => {
    expect([...rows.keys()]).toEqual(LOG_COLUMNS.map((c) => c.name));
  });

  it.each(LOG_COLUMNS.map((c) => [c.name, c] as const))('%s', (name, column) => {
    const cells = rows.get(name)!.split('|').map((c) => c.trim());
    expect(cells[2]).toBe(column.required ? 'yes' : 'no');
    expect(cells[3]).toBe(column.defaultText || '–');
    const listed = cells[4]!.split(',').map((s) => s.trim().replaceAll('`', '')).filter(Boolean);
    expect(listed).toEqual(column.synonyms);
  });
});
