import { describe, expect, it } from 'vitest';
import { divideRounded, formatExact, formatPlain, mulPico, parseUsd, roundToCents, sumPico, toUsdNumber } from '../../src/domain/money';

describe('money', () => {
  it('parses decimal strings exactly into picodollars', () => {
    expect(parseUsd('0.134')).toBe(134_000_000_000n);
    expect(parseUsd('120')).toBe(120_000_000_000_000n);
    expect(parseUsd('0.000000000001')).toBe(1n);
    expect(() => parseUsd('0.0000000000001')).toThrow(/12 decimal places/);
    expect(() => parseUsd('1e-3')).toThrow(/not a decimal/);
  });

  it('keeps sums exact where floating point drifts', () => {
    const tenth = parseUsd('0.1');
    const total = sumPico(Array.from({ length: 10 }, () => tenth));
    expect(formatExact(total)).toBe('1.000000000000');
    expect(Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b, 0)).not.toBe(1);
  });

  it('formats and converts at the edge', () => {
    const v = mulPico(parseUsd('0.00012'), 1120);
    expect(formatPlain(v)).toBe('0.1344');
    expect(toUsdNumber(v)).toBe(0.1344);
    expect(formatExact(parseUsd('-2.5'))).toBe('-2.500000000000');
    expect(formatPlain(roundToCents(parseUsd('2016.005')))).toBe('2016.01');
    expect(divideRounded(parseUsd('1'), 3)).toBe(333_333_333_333n);
    expect(divideRounded(parseUsd('2'), 3)).toBe(666_666_666_667n);
  });
});
