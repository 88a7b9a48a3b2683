import type { ValidateFunction } from 'ajv';

/** The rate-card schema's validator, precompiled (rate-card-validator.js). */
declare const validate: ValidateFunction;
export default validate;
