import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, SqlParam } from '../../src/db/engine';
import { openNodeEngine } from '../../src/db/node-engine';
import { openNativeEngine } from '../../src/node/native-engine';

/** Text a log may carry into a filter, and that SQL must hold as data. */
const HOSTILE = [
  "it's", "'); DROP TABLE t; --", "''", '"quoted"', '?', 'a ? b', '-- not a comment', '/* nor this */', 'back\\slash',
  'tab\there', 'new\nline', 'ünïcödé 画像', '😀', ' ', '', 'NULL', 'a\0b',
];

describe.each([
  ['DuckDB-WASM', openNodeEngine],
  ['native DuckDB', () => openNativeEngine({ threads: 1 })],
])('values for placeholders on %s', (_name, open) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
    await engine.exec('CREATE TEMP TABLE t AS SELECT unnest([1, 2, 3]) AS n');
  });
  afterAll(() => engine.close());

  it('come back exactly as given, whatever text they hold', async () => {
    for (const value of HOSTILE) {
      const [row] = await engine.query<{ v: string; n: number }>('SELECT ? AS v, length(?) AS n', [value, value]);
      expect(row).toEqual({ v: value, n: [...value].length });
    }
    expect((await engine.query('SELECT count(*)::INTEGER AS n FROM t'))).toEqual([{ n: 3 }]);
  });

  it('match the rows holding them, and nothing else', async () => {
    await engine.exec('CREATE OR REPLACE TEMP TABLE h (v VARCHAR)');
    for (const value of HOSTILE) await engine.query('INSERT INTO h VALUES (?)', [value]);
    for (const value of HOSTILE) {
      const rows = await engine.query<{ v: string }>("SELECT v FROM h WHERE v IN (?, 'none?') AND v = ?", [value, value]);
      expect(rows).toEqual([{ v: value }]);
    }
  });

  it('numbers, booleans and NULL keep their values; a minus sign opens no comment', async () => {
    const values: SqlParam[] = [3, -7, 2.5, 0.1, 2 ** 53 + 2, true, false, null];
    const [row] = await engine.query<Record<string, unknown>>(
      'SELECT ?::BIGINT AS a, 1-?::BIGINT AS b, ?::DOUBLE AS c, ?::DOUBLE AS d, ?::DOUBLE AS e, ? AS f, ? AS g, ? IS NULL AS h',
      values,
    );
    expect(row).toEqual({ a: 3, b: 8, c: 2.5, d: 0.1, e: 2 ** 53 + 2, f: true, g: false, h: true });
    expect(await engine.query('SELECT n FROM t ORDER BY n LIMIT ? OFFSET ?', [2, 1])).toEqual([{ n: 2 }, { n: 3 }]);
  });
});
