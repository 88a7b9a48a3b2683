import { UnpricedLoadError } from '../../db/session';

/**
 * `cleared`: the log was stored but could not be priced, so nothing is loaded now (else the data
 * before is unchanged); `tooLarge`: the tab ran out of memory, and the CLI's way is shown for `file`.
 */
export interface LoadFailure {
  message: string;
  cleared: boolean;
  tooLarge?: { file: string };
}

/**
 * A failed load as the user reads it. DuckDB-WASM's out-of-memory error names the engine's limit
 * and then suggests settings a user cannot change here: only its first line is kept, with the way
 * that works at any size.
 */
export function describeLoadFailure(error: unknown, names: readonly string[]): LoadFailure {
  const cleared = error instanceof UnpricedLoadError;
  const text = (e: unknown) => String(e instanceof Error ? e.message : e);
  const inner = cleared && error.cause !== undefined ? text(error.cause) : text(error);
  if (/Out of Memory Error|Maximum memory size exceeded|Aborted\(OOM\)/i.test(inner)) {
    const detail = /Out of Memory Error: ([^\n]*)/i.exec(inner)?.[1] ?? inner.split('\n')[0]!;
    return {
      cleared, tooLarge: { file: names[0]! },
      message: `${names.join(', ')}: the browser tab ran out of memory ${cleared ? 'summing and pricing' : 'reading'} ${names.length > 1 ? 'them' : 'it'} (${detail}).`,
    };
  }
  return { cleared, message: cleared ? `${names.join(', ')}: ${text(error)}.` : text(error) };
}
