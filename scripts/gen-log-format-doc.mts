/**
 * Regenerates the column table in docs/log-format.md from LOG_COLUMNS (between the
 * `columns:start` / `columns:end` markers). Run: npx tsx scripts/gen-log-format-doc.mts
 * test/unit/log-format-doc.test.ts fails when the doc and the schema drift apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LOG_COLUMNS } from '../src/domain/log-schema';

const DOC = new URL('../docs/log-format.md', import.meta.url);

export function columnTable(): string {
  const lines = ['| column | required | default | synonyms (any case; `_ - .` and spaces ignored) | meaning |', '|---|---|---|---|---|'];
  for (const c of LOG_COLUMNS) {
    const synonyms = c.synonyms.map((s) => `\`${s}\``).join(', ');
    lines.push(`| \`${c.name}\` | ${c.required ? 'yes' : 'no'} | ${c.defaultText || '–'} | ${synonyms} | ${c.description} |`);
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('gen-log-format-doc.mts')) {
  const doc = readFileSync(DOC, 'utf8');
  const next = doc.replace(/(<!-- columns:start -->)[\s\S]*?(<!-- columns:end -->)/, (_, start: string, end: string) => `${start}\n${columnTable()}\n${end}`);
  writeFileSync(DOC, next);
}
