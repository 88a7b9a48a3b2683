import { describe, expect, it } from 'vitest';
import { inlineParams } from '../../src/db/engine';

describe('inlineParams', () => {
  it('writes each value as a literal in place of its placeholder', () => {
    expect(inlineParams('SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e', ['x', 3, 2.5, true, null]))
      .toBe("SELECT 'x' AS a, 3 AS b, CAST('2.5' AS DOUBLE) AS c, TRUE AS d, NULL AS e");
    expect(inlineParams('SELECT 1 LIMIT ? OFFSET ?', [50, 0])).toBe('SELECT 1 LIMIT 50 OFFSET 0');
  });

  it("doubles a value's quotes, so text never leaves its literal", () => {
    expect(inlineParams('SELECT * FROM t WHERE m IN (?, ?)', ["it's", "'); DROP TABLE t; --"]))
      .toBe("SELECT * FROM t WHERE m IN ('it''s', '''); DROP TABLE t; --')");
  });

  it('leaves question marks in strings, quoted names and comments alone', () => {
    const sql = `SELECT regexp_matches(a, '^x?(?:y)?$'), 'it''s ?' AS "why?", b -- what?\n /* who? */ FROM t WHERE c = ?`;
    expect(inlineParams(sql, ['v'])).toBe(sql.replace('c = ?', "c = 'v'"));
  });

  it('gives up where a literal cannot say the value exactly, or the placeholders and values do not pair up', () => {
    expect(inlineParams('SELECT ?', ['a\0b'])).toBeUndefined();
    expect(inlineParams('SELECT ?', [Number.NaN])).toBeUndefined();
    expect(inlineParams('SELECT ?', [Number.POSITIVE_INFINITY])).toBeUndefined();
    expect(inlineParams('SELECT ?, ?', ['a'])).toBeUndefined();
    expect(inlineParams('SELECT ?', ['a', 'b'])).toBeUndefined();
    expect(inlineParams("SELECT 'unclosed ?", ['a'])).toBeUndefined();
    expect(inlineParams('SELECT 1 /* unclosed ?', ['a'])).toBeUndefined();
  });

  it('writes large and fractional numbers so they read back the same', () => {
    expect(inlineParams('SELECT ?', [2 ** 53 + 2])).toBe(`SELECT CAST('${2 ** 53 + 2}' AS DOUBLE)`);
    expect(inlineParams('SELECT ?', [0.1])).toBe("SELECT CAST('0.1' AS DOUBLE)");
    expect(inlineParams('SELECT 1-?', [-7])).toBe('SELECT 1-(-7)');
  });
});
