import sampleUrl from '../../data/sample/requests.csv?url';
import gateways from '../../data/rate-cards/gateways-resellers.json';
import google from '../../data/rate-cards/google-gemini.json';
import others from '../../data/rate-cards/other-vendors.json';

/** The rate cards and sample log that ship with the app, served from its own origin. */
export const BUNDLED_RATE_CARDS: { name: string; json: unknown }[] = [
  { name: 'gateways-resellers.json', json: gateways },
  { name: 'google-gemini.json', json: google },
  { name: 'other-vendors.json', json: others },
];

export const SAMPLE_LOG = { name: 'sample-requests.csv', url: sampleUrl };
