/** The global filters: every view and the CLI report apply the same ones. */
export interface Filters {
  /** inclusive, YYYY-MM-DD (UTC) */
  from?: string;
  /** inclusive, YYYY-MM-DD (UTC) */
  to?: string;
  models?: string[];
  providers?: string[];
  lanes?: string[];
  jobTypes?: string[];
  sizes?: string[];
}

export const EMPTY_FILTERS: Filters = {};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(text: string): boolean {
  // Date.parse rolls 2026-02-30 over to March 2: require the date to survive a round trip.
  if (!DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** The day after a YYYY-MM-DD date: filters compare `ts < next day` to include the whole day. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
