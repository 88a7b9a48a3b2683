import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { moneyFromTextSql, trimmedSql } from '../../src/db/ingest/validate';
import { testEngine } from '../support/engine';

/*
 * The validation's fast paths must give exactly what the plain expressions give, on every
 * value: they are only allowed to be faster. Seeded, so each run tries the same values.
 */
const SEED = 20261202;
const SPACES = [' ', '\u00a0', '\u3000', '\u2009', '\u202f', '\t', '\n', '\r', '\u200b'];
const piece = fc.oneof(fc.constantFrom(...SPACES, 'a', 'é', '1', '.', '-', '$', '𝟘', ''), fc.string({ maxLength: 6 }), fc.stringMatching(/^-?\d{1,20}(\.\d{0,16})?$/));
const text = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));

describe('validation fast paths agree with the plain expressions', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine();
  });

  async function disagreements(values: string[], fast: string, plain: string) {
    await engine.exec('CREATE OR REPLACE TEMP TABLE fp (x VARCHAR)');
    for (const v of values) await engine.query('INSERT INTO fp VALUES (?)', [v]);
    return engine.query<{ x: string; fast: string | null; plain: string | null }>(
      `SELECT x, (${fast})::VARCHAR AS fast, (${plain})::VARCHAR AS plain FROM fp WHERE (${fast}) IS DISTINCT FROM (${plain})`,
    );
  }

  it('trimmedSql is nullif(trim(x), \'\') for ASCII, Unicode spaces, tabs and empty text', async () => {
    const listed = ['', ' ', 'a', ' a', 'a ', '\u00a0a', 'a\u3000', 'é', ' é ', '\ta\t', 'a b', '\u2009'];
    const random = fc.sample(text, { seed: SEED, numRuns: 400 });
    expect(await disagreements([...listed, ...random], trimmedSql('x'), "nullif(trim(x), '')")).toEqual([]);
  });

  it('moneyFromTextSql is try_cast(x AS DECIMAL(38,12)) for small, huge, over-precise and malformed amounts', async () => {
    const listed = ['0', '0.134', '999999.999999999999', '1000000', '1000000.000000000001', '-5.5', '0.1234567890125', '1e3', '12345678901234567890.5', 'abc', '', ' 1', '$1'];
    const random = fc.sample(fc.oneof(fc.stringMatching(/^-?\d{1,26}(\.\d{0,15})?$/), text), { seed: SEED, numRuns: 400 });
    expect(await disagreements([...listed, ...random], moneyFromTextSql('x'), 'try_cast(x AS DECIMAL(38,12))')).toEqual([]);
    // A value from each side of the fast type's limit, as exact text.
    const [row] = await engine.query<{ small: string; big: string }>(`SELECT (${moneyFromTextSql("'0.134'")})::VARCHAR AS small, (${moneyFromTextSql("'12345678.5'")})::VARCHAR AS big`);
    expect(row).toEqual({ small: '0.134000000000', big: '12345678.500000000000' });
  });
});
