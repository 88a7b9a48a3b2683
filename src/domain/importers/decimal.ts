const NUMBER = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * The exact decimal text of a price as a source wrote it (a JSON number's shortest form, or a
 * string such as "0.000002"), scaled by 10^shift, without trailing zeros: "1.2e-05" × 10^6 →
 * "12". Null when it is not a plain non-negative number.
 */
export function scaledDecimal(value: unknown, shift = 0): string | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  const match = NUMBER.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const [, whole = '', frac = '', exp = '0'] = match;
  const digits = `${whole}${frac}`;
  const point = whole.length + Number(exp) + shift;
  let intPart: string;
  let fracPart: string;
  if (point <= 0) {
    intPart = '0';
    fracPart = `${'0'.repeat(-point)}${digits}`;
  } else if (point >= digits.length) {
    intPart = `${digits}${'0'.repeat(point - digits.length)}`;
    fracPart = '';
  } else {
    intPart = digits.slice(0, point);
    fracPart = digits.slice(point);
  }
  intPart = intPart.replace(/^0+(?=\d)/, '');
  fracPart = fracPart.replace(/0+$/, '');
  return fracPart ? `${intPart}.${fracPart}` : intPart;
}

/** Decimal places of a plain decimal string. */
export function decimals(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}

/** "0", "0.0", 0: no charge. */
export function isZero(text: string): boolean {
  return /^0+(\.0*)?$/.test(text);
}
