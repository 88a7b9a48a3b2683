import sample from 'virtual:sample-snapshot';
import gateways from '../../data/rate-cards/gateways-resellers.json';
import google from '../../data/rate-cards/google-gemini.json';
import others from '../../data/rate-cards/other-vendors.json';
import type { LoadOptions, Session } from './session';

/** The rate cards and sample log that ship with the app, served from its own origin. */
export const BUNDLED_RATE_CARDS: { name: string; json: unknown }[] = [
  { name: 'gateways-resellers.json', json: gateways },
  { name: 'google-gemini.json', json: google },
  { name: 'other-vendors.json', json: others },
];

/** data/sample/requests.csv, shipped read and checked: a snapshot made with the app (`openSample` opens it). */
export const SAMPLE_LOG = { name: 'sample-requests.csv', url: sample.url };

/** Opens the sample's bytes, replacing the data: as a snapshot, or as the CSV where the build could make none. */
export function openSample(session: Session, bytes: Uint8Array, options: Omit<LoadOptions, 'mode'> = {}) {
  const file = { name: SAMPLE_LOG.name, bytes };
  return sample.snapshot ? session.openSnapshot(file, options) : session.loadFiles([file], { ...options, mode: 'replace' });
}
