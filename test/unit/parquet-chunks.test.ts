import { describe, expect, it } from 'vitest';
import { parquetChunks } from '../../src/db/parquet-read';

describe('Parquet chunks: whole row groups, about a chunk of rows each', () => {
  it('takes row groups until the next would pass the limit, numbering the rows before each chunk', () => {
    expect(parquetChunks([400, 400, 400, 100, 900, 50], 1000)).toEqual([
      { groups: [0, 1], rowsBefore: 0 },
      { groups: [2, 3], rowsBefore: 800 },
      { groups: [4, 5], rowsBefore: 1300 },
    ]);
  });

  it('a row group larger than a chunk is a chunk of its own; a file of one chunk or none is read whole', () => {
    expect(parquetChunks([300, 5000, 300], 1000)).toEqual([
      { groups: [0], rowsBefore: 0 },
      { groups: [1], rowsBefore: 300 },
      { groups: [2], rowsBefore: 5300 },
    ]);
    // The 1M-row log DuckDB writes (groups of 122,880) is a chunk per group at the default size.
    expect(parquetChunks([...Array(8).fill(122_880), 16_960])).toEqual(
      Array.from({ length: 9 }, (_, g) => ({ groups: [g], rowsBefore: g * 122_880 })));
    expect(parquetChunks([])).toEqual([{ groups: [], rowsBefore: 0 }]);
  });
});
