import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'test/fixtures/bad';
const digests = (dir: string) =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));

describe('bad-input corpus', () => {
  it('is exactly what the seeded script writes (no hand edits, no drift)', () => {
    const out = mkdtempSync(join(tmpdir(), 'pixelspend-bad-'));
    try {
      execFileSync('npx', ['tsx', 'scripts/make-bad-corpus.mts', '--out', out], { stdio: 'pipe' });
      expect(digests(out)).toEqual(digests(DIR));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
