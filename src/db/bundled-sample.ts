import sample from 'virtual:sample-snapshot';
import type { LoadOptions, Session } from './session';

/** data/sample/requests.csv, shipped read and checked: a snapshot made with the app (`openSample` opens it). */
export const SAMPLE_LOG = { name: 'sample-requests.csv', url: sample.url };

/** Opens the sample's bytes, replacing the data: as a snapshot, or as the CSV where the build could make none. */
export function openSample(session: Session, bytes: Uint8Array, options: Omit<LoadOptions, 'mode'> = {}) {
  const file = { name: SAMPLE_LOG.name, bytes };
  return sample.snapshot ? session.openSnapshot(file, options) : session.loadFiles([file], { ...options, mode: 'replace' });
}
