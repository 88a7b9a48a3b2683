import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('bundled sample log', () => {
  it('is exactly what the seeded generator writes (no hand edits, no drift)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelspend-sample-'));
    try {
      const out = join(dir, 'requests.csv');
      execFileSync('npx', ['tsx', 'scripts/generate-sample.mts', '--out', out], { stdio: 'pipe' });
      expect(sha(out)).toBe(sha('data/sample/requests.csv'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
