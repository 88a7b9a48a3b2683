/**
 * Writes the derived log fixtures under test/fixtures/logs/ (gzip copies, a Parquet file,
 * seeded binary garbage) from the hand-written text ones. Run: npx tsx scripts/make-log-fixtures.mts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createRng } from '../src/domain/random';

const dir = new URL('../test/fixtures/logs/', import.meta.url);
const at = (name: string) => new URL(name, dir);

for (const name of ['array.json', 'tabs.tsv', 'flat.ndjson', 'hostile.csv']) {
  writeFileSync(at(`${name}.gz`), gzipSync(readFileSync(at(name)), { mtime: 0 }));
}

const parquet = parquetWriteBuffer({
  columnData: [
    { name: 'request_id', data: ['p1', 'p2', 'p3'], type: 'STRING' },
    { name: 'timestamp', data: [new Date('2026-03-07T00:00:00Z'), new Date('2026-03-07T01:00:00Z'), new Date('2026-03-07T02:00:00Z')], type: 'TIMESTAMP' },
    { name: 'model', data: ['gemini-3-pro-image', 'gemini-3-pro-image', 'gemini-3-pro-image'], type: 'STRING' },
    { name: 'image_size', data: ['4K', '1K', '1K'], type: 'STRING' },
    { name: 'images', data: [1, 2, -1], type: 'INT32' },
    { name: 'input_tokens', data: [100n, 0n, 0n], type: 'INT64' },
  ],
});
writeFileSync(at('requests.parquet'), new Uint8Array(parquet));

const rng = createRng(4);
const garbage = new Uint8Array(2048);
for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rng() * 256);
writeFileSync(at('garbage.bin'), garbage);
