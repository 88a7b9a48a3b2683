import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatorSource } from '../../scripts/gen-rate-card-validator.mts';

describe('the precompiled rate-card validator (no eval, so the CSP holds)', () => {
  it('is what the schema compiles to today: run scripts/gen-rate-card-validator.mts after editing the schema', () => {
    expect(readFileSync('src/domain/rate-card-validator.ts', 'utf8')).toBe(validatorSource());
  });
  it('has no CommonJS require and no runtime code generation', () => {
    const source = readFileSync('src/domain/rate-card-validator.ts', 'utf8');
    expect(source).not.toMatch(/\brequire\(|new Function|\beval\(/);
  });
});
