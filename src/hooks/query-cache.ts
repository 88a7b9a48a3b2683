import type { Session } from '../db/session';

const LIMIT = 32;
interface Entry {
  session: Session;
  result: Promise<unknown>;
  /** The signals of the callers waiting for it; a caller without one waits for good. */
  waiting: (AbortSignal | undefined)[];
}

const entries = new Map<string, Entry>();
const ids = new WeakMap<object, number>();
let nextId = 0;

/** A stable id for a function or object, for use in cache keys. */
export function identity(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

/**
 * Results of read-only queries, shared between views and kept while the session's data
 * version is the same, so switching views does not re-run a report that is already known.
 * `key` must name every input of `run` (the version is added here); failures are not kept.
 * Each caller passes the signal that says it stopped waiting; `run` is told, through `wanted`,
 * whether any caller still waits, and a read skipped because none did is not kept.
 */
export function cachedQuery<T>(session: Session, key: string, run: (wanted: () => boolean) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const fullKey = `${session.version}|${key}`;
  const hit = entries.get(fullKey);
  if (hit && hit.session === session) {
    entries.delete(fullKey);
    entries.set(fullKey, hit);
    hit.waiting = [...hit.waiting.filter((s) => !s?.aborted), signal];
    return hit.result as Promise<T>;
  }
  const entry: Entry = { session, result: Promise.resolve(), waiting: [signal] };
  const wanted = () => {
    if (entry.waiting.some((s) => !s?.aborted)) return true;
    // Dropped at once, before the skipped read fails: a caller that comes later runs it again.
    if (entries.get(fullKey) === entry) entries.delete(fullKey);
    return false;
  };
  const result = run(wanted);
  entry.result = result;
  entries.set(fullKey, entry);
  result.catch(() => {
    if (entries.get(fullKey) === entry) entries.delete(fullKey);
  });
  while (entries.size > LIMIT) entries.delete(entries.keys().next().value!);
  return result;
}
