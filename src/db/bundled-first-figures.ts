import figures from 'virtual:sample-first-figures';
import { parseTagged } from '../domain/tagged-json';
import type { FirstFigures } from './first-figures';

/** The Overview's first figures on the bundled sample, as the build computed them (null where it ships as its CSV). */
export const BUNDLED_FIRST_FIGURES = figures === null ? null : (parseTagged(figures) as FirstFigures);
