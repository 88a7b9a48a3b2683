/** Writes the precompiled rate-card validator (a unit test fails when it is stale). */
import { writeFileSync } from 'node:fs';
import { rateCardValidatorSource, VALIDATOR_PATH } from './lib/rate-card-validator';

writeFileSync(VALIDATOR_PATH, rateCardValidatorSource());
console.log(`wrote ${VALIDATOR_PATH}`);
