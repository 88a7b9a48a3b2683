import type { Session } from '../db/session';

const LIMIT = 32;
const entries = new Map<string, { session: Session; result: Promise<unknown> }>();
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
 */
export function cachedQuery<T>(session: Session, key: string, run: () => Promise<T>): Promise<T> {
  const fullKey = `${session.version}|${key}`;
  const hit = entries.get(fullKey);
  if (hit && hit.session === session) {
    entries.delete(fullKey);
    entries.set(fullKey, hit);
    return hit.result as Promise<T>;
  }
  const result = run();
  entries.set(fullKey, { session, result });
  result.catch(() => {
    if (entries.get(fullKey)?.result === result) entries.delete(fullKey);
  });
  while (entries.size > LIMIT) entries.delete(entries.keys().next().value!);
  return result;
}
