import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine';
import { moneyFromTextSql, parseTimestampSql, trimmedSql } from '../../src/db/ingest/validate';
import { testEngine } from '../support/engine';

/*
 * The validation's fast paths must give exactly what the plain expressions give, on every
 * value: they are only allowed to be faster. Seeded, so each run tries the same values.
 */
const SEED = 20261202;
const SPACES = [' ', '\u00a0', '\u3000', '\u2009', '\u202f', '\t', '\n', '\r', '\u200b'];
const piece = fc.oneof(fc.constantFrom(...SPACES, 'a', 'é', '1', '.', '-', '$', '𝟘', ''), fc.string({ maxLength: 6 }), fc.stringMatching(/^-?\d{1,20}(\.\d{0,16})?$/));
const text = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const timestampText = fc.tuple(
  digits(4), fc.constantFrom('-', '/'), digits(2), fc.constantFrom('-'), digits(2),
  fc.constantFrom('T', ' ', 't', ''), digits(2), fc.constantFrom(':', ''), digits(2),
  fc.constantFrom('', ':00', ':59', ':7'), fc.constantFrom('', '.5', ',5', '.123456', ',999', '.', ',1234567'),
  fc.constantFrom('', 'Z', 'z', '+05:30', '-08:00', '+0200', '-03', 'Z ', ' Z', 'ZZ', '+-1', '\u00a0'),
).map((parts) => parts.join(''));

/** Every ISO form through the general branch: the offset parsed, whatever the zone says. */
const ISO = `'^(\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?)?)(Z|[+-]\\d{2}(?::?\\d{2})?)?$'`;
const PLAIN_TIMESTAMP = `(CASE
    WHEN NOT contains(x, '-') THEN (CASE
      WHEN regexp_full_match(x, '\\d{9,10}(\\.\\d+)?') THEN make_timestamp(CAST(x::DECIMAL(20,6) * 1000000 AS BIGINT))
      WHEN regexp_full_match(x, '\\d{12,13}') THEN epoch_ms(x::BIGINT) END)
    WHEN regexp_matches(x, ${ISO}) THEN
      try_cast(replace(regexp_extract(x, ${ISO}, 1), ',', '.') AS TIMESTAMP)
      - (CASE WHEN regexp_extract(x, ${ISO}, 2) IN ('', 'Z') THEN 0 ELSE
          (CASE WHEN left(regexp_extract(x, ${ISO}, 2), 1) = '-' THEN -1 ELSE 1 END)
          * (substr(replace(regexp_extract(x, ${ISO}, 2), ':', ''), 2, 2)::INTEGER * 60
             + CASE WHEN length(replace(regexp_extract(x, ${ISO}, 2), ':', '')) = 5 THEN substr(replace(regexp_extract(x, ${ISO}, 2), ':', ''), 4, 2)::INTEGER ELSE 0 END) END)
        * INTERVAL 1 MINUTE
  END)`;

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

  it('parseTimestampSql reads every text as the general ISO 8601 branch does: zones, commas, epochs and near misses', async () => {
    const listed = [
      '2026-06-01T00:00:06.914Z', '2026-06-01T00:00:06,914Z', '2026-06-01 00:00:06', '2026-06-01T00:00', '2026-06-01',
      '2026-06-01T23:30:00+05:30', '2026-06-01T23:30:00,5-0800', '2026-06-01T00:00:00Z ', '2026-06-01T00:00:00\u00a0Z',
      '２０２６-06-01T00:00:00Z', '2026-06-01T00:00:00zZ', 'Z', '-Z', '1780272006', '1780272006.5', '1780272006914', '2026-13-01T00:00:00Z',
    ];
    const random = fc.sample(fc.oneof(timestampText, text), { seed: SEED, numRuns: 600 });
    expect(await disagreements([...listed, ...random], parseTimestampSql('x'), PLAIN_TIMESTAMP)).toEqual([]);
    const [row] = await engine.query<{ z: string; comma: string; offset: string }>(`SELECT
      (${parseTimestampSql("'2026-06-01T00:00:06,25Z'")})::VARCHAR AS z,
      (${parseTimestampSql("'2026-06-01 10:00:00,5'")})::VARCHAR AS comma,
      (${parseTimestampSql("'2026-06-01T05:30:00+05:30'")})::VARCHAR AS offset`);
    expect(row).toEqual({ z: '2026-06-01 00:00:06.25', comma: '2026-06-01 10:00:00.5', offset: '2026-06-01 00:00:00' });
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
