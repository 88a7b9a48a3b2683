/**
 * JSON that keeps bigints (picodollar amounts) exact: each is written as `{"$bigint": "<digits>"}`
 * and read back as a bigint. Nothing else changes, so any JSON reads as it would with `JSON.parse`.
 */
export function stringifyTagged(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

export function parseTagged(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const digits = (v as { $bigint?: unknown }).$bigint;
      if (keys.length === 1 && typeof digits === 'string' && /^-?\d+$/.test(digits)) return BigInt(digits);
    }
    return v;
  });
}
