import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report';

describe('pixelspend-report tells a caller where a load is', () => {
  it('reading, checking, saving and pricing, the share done never going back', async () => {
    const stages: [string, number | undefined][] = [];
    const err: string[] = [];
    const code = await main(['--logs', 'test/fixtures/logs/tabs.tsv'], () => {}, (t) => err.push(t), {
      today: '2026-12-01',
      progress: (stage, fraction) => stages.push([stage, fraction]),
    });
    expect(code).toBe(0);
    const names = [...new Set(stages.map(([stage]) => stage))];
    expect(names).toEqual(['Reading tabs.tsv', 'Checking tabs.tsv', 'Saving tabs.tsv', 'Pricing']);
    const fractions = stages.map(([, fraction]) => fraction!);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(stages.at(-1)).toEqual(['Pricing', 0.9]);
    // The progress is the caller's: stderr carries only the diagnostics.
    expect(err.some((t) => /Checking|Pricing/.test(t))).toBe(false);
  });
});
