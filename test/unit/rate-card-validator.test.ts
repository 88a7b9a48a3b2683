import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rateCardValidatorSource, VALIDATOR_PATH } from '../../scripts/lib/rate-card-validator';

describe('the precompiled rate-card validator', () => {
  it('is what Ajv compiles from the schema today (run `npm run generate:validator` after a schema change)', () => {
    expect(readFileSync(VALIDATOR_PATH, 'utf8')).toBe(rateCardValidatorSource());
  });
});
