import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rules are only worth having if a wrong-way import actually fails lint. */
describe('import boundaries', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const rulesHit = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.map((m) => m.ruleId);
  };

  it('domain may not import the database layer', async () => {
    expect(await rulesHit('src/domain/probe.ts', "import { openBrowserEngine } from '../db/browser-engine';\nexport const x = openBrowserEngine;\n")).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('domain may not import React or DuckDB', async () => {
    expect(await rulesHit('src/domain/probe.ts', "import { useState } from 'react';\nexport const x = useState;\n")).toContain('no-restricted-imports');
  });

  it('the database layer may not import the store or the UI', async () => {
    expect(await rulesHit('src/db/probe.ts', "import { useAppStore } from '../state/store';\nexport const x = useAppStore;\n")).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('a feature may not import another feature', async () => {
    const hits = await rulesHit('src/features/other/x.ts', "import { OverviewView } from '../overview/overview-view';\nexport const x = OverviewView;\n");
    expect(hits).toContain('import-x/no-restricted-paths');
  });

  it('the right way round is clean', async () => {
    expect(await rulesHit('src/db/probe.ts', "import { parseUsd } from '../domain/money';\nexport const x = parseUsd;\n")).toEqual([]);
  });
});
