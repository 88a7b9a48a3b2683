/**
 * A large seeded log for scale tests, written by native DuckDB from the seeded generator's
 * output: every row repeated COPIES times (request ids and prompt hashes made distinct), as
 * Parquet or CSV:
 *   npx tsx scripts/generate-sample.mts --rows 1000000 --out /tmp/requests-1m.csv
 *   npx tsx scripts/generate-large.mts --from /tmp/requests-1m.csv --copies 100 --out /tmp/requests-100m.parquet
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openNativeEngine } from '../src/node/native-engine';

const { values } = parseArgs({ options: { from: { type: 'string' }, copies: { type: 'string', default: '10' }, out: { type: 'string' } } });
if (!values.from || !values.out) throw new Error('usage: --from FILE.csv --copies N --out FILE.parquet|FILE.csv');
const engine = await openNativeEngine();
const literal = (path: string) => `'${resolve(path).replace(/'/g, "''")}'`;
const format = values.out.endsWith('.csv') ? 'csv' : 'parquet';
const t = performance.now();
await engine.exec(`COPY (
    SELECT * EXCLUDE (k) REPLACE (request_id || '-' || k AS request_id, CASE WHEN prompt_hash IS NULL THEN NULL ELSE prompt_hash || k END AS prompt_hash)
    FROM read_csv(${literal(values.from)}, all_varchar = true), range(${Number(values.copies)}) AS copies(k)
  ) TO ${literal(values.out)} (FORMAT ${format})`);
const [{ rows }] = (await engine.query<{ rows: number }>(`SELECT count(*) AS rows FROM ${format === 'csv' ? 'read_csv' : 'read_parquet'}(${literal(values.out)})`)) as [{ rows: number }];
console.log(`${values.out}: ${rows} rows in ${Math.round(performance.now() - t)} ms`);
await engine.close();
