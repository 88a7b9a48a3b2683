import { describe, expect, it } from 'vitest';
import { progressLines } from '../../src/cli/progress';

describe('the CLI’s progress on a terminal', () => {
  it('writes a line when the stage changes or the share done moves five points, never one per step', () => {
    const lines: string[] = [];
    const progress = progressLines((line) => lines.push(line));
    progress('Loading big.csv');
    progress('Reading big.csv', 0);
    for (let at = 0.001; at < 0.1; at += 0.001) progress('Reading big.csv', at);
    progress('Checking big.csv', 0.1);
    progress('Checking big.csv: 4,194,304 rows', 0.16);
    progress('Checking big.csv: 4,194,304 rows', 0.17);
    progress('Saving big.csv', 0.85);
    progress('Pricing', 0.9);
    expect(lines).toEqual([
      'Loading big.csv …',
      'Reading big.csv · 0%',
      'Reading big.csv · 5%',
      'Checking big.csv · 10%',
      'Checking big.csv: 4,194,304 rows · 16%',
      'Saving big.csv · 85%',
      'Pricing · 90%',
    ]);
  });
});
