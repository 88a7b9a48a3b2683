import { describe, expect, it } from 'vitest';
import type { RejectedRow } from '../../src/db/ingest/ingest';
import { rejectsPreview } from '../../src/features/load-data/rejects-preview';

const problem = (row: number, column: string): RejectedRow => ({ file: 'a.csv', row, column, value: 'x', reason: 'bad' });

describe('the Data view’s rejected-rows preview', () => {
  it('counts rows, not problems, when a row fails several columns', () => {
    const rejects = [problem(2, 'images'), problem(2, 'model'), problem(3, 'images'), problem(5, 'timestamp'), problem(5, 'images'), problem(5, 'lane'), problem(7, 'images'), problem(9, 'images')];
    const { problems, caption } = rejectsPreview(rejects, 5, 10);
    expect(problems).toHaveLength(8);
    expect(caption).toBe('All 5 rejected rows (8 problems)');
  });

  it('shows the first rows with every one of their problems', () => {
    const rejects = [problem(2, 'images'), problem(2, 'model'), problem(3, 'images'), problem(4, 'images')];
    const { problems, caption } = rejectsPreview(rejects, 1200, 2);
    expect(problems.map((p) => `${p.row}:${p.column}`)).toEqual(['2:images', '2:model', '3:images']);
    expect(caption).toBe('First 2 of 1,200 rejected rows (3 problems)');
  });

  it('says "The rejected row" for one', () => {
    expect(rejectsPreview([problem(4, 'images')], 1, 10).caption).toBe('The rejected row');
  });
});
