import gateways from '../../data/rate-cards/gateways-resellers.json';
import google from '../../data/rate-cards/google-gemini.json';
import others from '../../data/rate-cards/other-vendors.json';

/** The rate cards that ship with the app, served from its own origin (the sample log: bundled-sample.ts). */
export const BUNDLED_RATE_CARDS: { name: string; json: unknown }[] = [
  { name: 'gateways-resellers.json', json: gateways },
  { name: 'google-gemini.json', json: google },
  { name: 'other-vendors.json', json: others },
];
