import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('budget fixture log', () => {
  it('is exactly what the seeded generator writes (no hand edits, no drift)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelspend-budget-fixture-'));
    try {
      const out = join(dir, 'requests.csv');
      execFileSync('npx', ['tsx', 'scripts/make-budget-fixture.mts', '--out', out], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('test/fixtures/budgets/requests.csv', 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
