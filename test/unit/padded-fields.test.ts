import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHavePaddedFields, type Delimiter } from '../../src/db/ingest/formats';

/*
 * Validation trims a field only when the file's scan says some field may need it, so the scan
 * must never miss one: a field that starts or ends with an ASCII space, or text outside ASCII
 * (DuckDB's trim also strips Unicode spaces). Seeded, so each run tries the same files.
 */
const SEED = 20261207;
const fieldText = fc.array(fc.constantFrom('a', '7', ' ', '-', '.', ':', 'é', '\u00a0', '\u3000', 'Z'), { maxLength: 6 }).map((c) => c.join(''));
const file = (delimiter: Delimiter) => fc.array(fc.array(fieldText, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 })
  .map((rows) => ({ rows, text: `a${delimiter}b\n${rows.map((fields) => fields.join(delimiter)).join('\n')}\n` }));
const encode = (text: string) => new TextEncoder().encode(text);
const needsTrim = (field: string) => field.startsWith(' ') || field.endsWith(' ') || [...field].some((c) => c.charCodeAt(0) > 0x7f);

describe('mayHavePaddedFields', () => {
  it('is true exactly when some field starts or ends with a space or holds text outside ASCII', () => {
    for (const delimiter of [',', '\t', ';', '|'] as const) {
      for (const { rows, text } of fc.sample(file(delimiter), { seed: SEED, numRuns: 600 })) {
        expect(mayHavePaddedFields(encode(text), delimiter), JSON.stringify(text)).toBe(rows.flat().some(needsTrim));
      }
    }
  });

  it('gives the whole file’s answer however the file is cut into chunks, each told its neighbouring bytes, at any alignment', () => {
    const cases = fc.sample(fc.tuple(file(','), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(3)), { seed: SEED, numRuns: 600 });
    for (const [{ rows, text }, cutAt, offset] of cases) {
      const bytes = encode(text);
      // Each chunk a view into a larger buffer at `offset`, as a stream's chunks may be.
      const buffer = new Uint8Array(bytes.length + offset);
      buffer.set(bytes, offset);
      const cuts = [...new Set(cutAt.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const bounds = [...new Set([0, ...cuts, bytes.length])];
      const chunks = bounds.slice(1).map((end, i) => ({ from: bounds[i]!, end }));
      const found = chunks.some(({ from, end }) => mayHavePaddedFields(buffer.subarray(offset + from, offset + end), ',', { before: bytes[from - 1], after: bytes[end] }));
      expect(found, JSON.stringify({ text, cuts })).toBe(rows.flat().some(needsTrim));
    }
  });

  it('reads interior spaces cut at a chunk’s edge as interior', () => {
    const bigQuery = encode('ts,model\n2026-03-02 09:00:00 UTC,gemini-3-pro-image\n');
    const at = bigQuery.indexOf(0x20);
    expect(mayHavePaddedFields(bigQuery.subarray(0, at + 1), ',', { after: bigQuery[at + 1] })).toBe(false);
    expect(mayHavePaddedFields(bigQuery.subarray(at + 1), ',', { before: bigQuery[at] })).toBe(false);
    expect(mayHavePaddedFields(bigQuery.subarray(0, at + 1), ',')).toBe(true);
  });

  it('counts a space beside a quote or a CR as an edge, and an interior space as no padding', () => {
    expect(mayHavePaddedFields(encode('a,b\n"x ",y\n'), ',')).toBe(true);
    expect(mayHavePaddedFields(encode('a,b\r\nx,y \r\n'), ',')).toBe(true);
    expect(mayHavePaddedFields(encode('a,b\n2026-03-02 09:00:00,two words\n'), ',')).toBe(false);
    expect(mayHavePaddedFields(encode('a\tb\nx y\tz\n'), '\t')).toBe(false);
    expect(mayHavePaddedFields(encode('a\tb\nx \tz\n'), '\t')).toBe(true);
  });
});
