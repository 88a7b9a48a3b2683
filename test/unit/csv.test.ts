import { describe, expect, it } from 'vitest';
import { csvField, csvFileName, toCsv } from '../../src/domain/csv';

describe('CSV export', () => {
  it('escapes cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+2')).toBe("'+1+2");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
  });

  it('leaves plain numbers and ordinary text alone', () => {
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('0.134')).toBe('0.134');
    expect(csvField('gemini-3-pro-image')).toBe('gemini-3-pro-image');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('quotes commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('builds a document with a header and CRLF line ends', () => {
    expect(toCsv(['model', 'cost'], [['pro', '1.5'], ['=bad', null]])).toBe("model,cost\r\npro,1.5\r\n'=bad,\r\n");
    expect(csvFileName('Spend by model × size')).toBe('pixelspend-spend-by-model-size.csv');
  });
});
