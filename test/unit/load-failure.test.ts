import { describe, expect, it } from 'vitest';
import { NotALogError } from '../../src/db/ingest/ingest';
import { UnpricedLoadError } from '../../src/db/session';
import { describeLoadFailure } from '../../src/features/load-data/load-failure';

// DuckDB-WASM's message, as a 40M-row CSV ran a Chromium tab out of memory while it was priced (docs/scale.md).
const OOM = `Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)
Database is launched in in-memory mode and no temporary directory is specified.
Unused blocks cannot be offloaded to disk.

Possible solutions:
* Reducing the number of threads (SET threads=X)`;

describe('a failed load, as the Data view words it', () => {
  it('out of memory while pricing: nothing is loaded now, the engine’s advice is dropped, the CLI is offered', () => {
    expect(describeLoadFailure(new UnpricedLoadError(new Error(OOM)), ['requests-40m.csv'])).toEqual({
      cleared: true,
      tooLarge: { file: 'requests-40m.csv' },
      message: 'requests-40m.csv: the browser tab ran out of memory summing and pricing it (could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)).',
    });
  });

  it('out of memory while reading: the data before is unchanged', () => {
    const error = new NotALogError('big.csv', `could not be read as CSV: ${OOM}`);
    expect(describeLoadFailure(error, ['big.csv', 'more.csv'])).toEqual({
      cleared: false,
      tooLarge: { file: 'big.csv' },
      message: 'big.csv, more.csv: the browser tab ran out of memory reading them (could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)).',
    });
  });

  it('any other failure keeps its message; one after the log was stored says so (the banner adds that nothing is loaded)', () => {
    expect(describeLoadFailure(new NotALogError('x.bin', 'a binary file'), ['x.bin'])).toEqual({ cleared: false, message: 'x.bin: a binary file' });
    expect(describeLoadFailure(new UnpricedLoadError(new Error('Binder Error: boom')), ['a.csv'])).toEqual({
      cleared: true,
      message: 'a.csv: read, but it could not be summed and priced (Binder Error: boom).',
    });
  });
});
