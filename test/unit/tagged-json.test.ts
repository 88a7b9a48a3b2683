import { describe, expect, it } from 'vitest';
import { parseTagged, stringifyTagged } from '../../src/domain/tagged-json';

describe('tagged JSON keeps picodollar bigints exact', () => {
  it('round-trips bigints past 2^53, negative and nested, and leaves everything else as JSON has it', () => {
    const value = { total: 5_022_483_058_750_000n, rows: [{ cost: -1n, share: 0.25, name: '$bigint' }], none: null, list: [123456789012345678901234567890n] };
    const text = stringifyTagged(value);
    expect(text).toBe('{"total":{"$bigint":"5022483058750000"},"rows":[{"cost":{"$bigint":"-1"},"share":0.25,"name":"$bigint"}],"none":null,"list":[{"$bigint":"123456789012345678901234567890"}]}');
    expect(parseTagged(text)).toEqual(value);
  });

  it('reads an object that only looks like a tag as an object', () => {
    expect(parseTagged('{"a":{"$bigint":"12x"},"b":{"$bigint":"1","c":2},"d":{"$bigint":3}}')).toEqual({ a: { $bigint: '12x' }, b: { $bigint: '1', c: 2 }, d: { $bigint: 3 } });
  });
});
