import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusCase } from '../../scripts/make-bad-corpus.mts';
import { launchBrowser, openApp, pageErrors } from './browser';

const DIR = 'test/fixtures/bad';
const { cases } = JSON.parse(readFileSync(`${DIR}/manifest.json`, 'utf8')) as { cases: CorpusCase[] };
const logs = cases.filter((c) => c.kind === 'log');

/** A stack frame, an engine's SQL excerpt, or an internal table name: none may reach the user. */
const LEAK = /\n\s*at |\bat [\w.<>]+ \(|LINE \d+:|\braw_\d+\b|Error: /;

describe('the Data view shows every bad-input corpus file as a clear outcome, never a stack trace (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openApp(browser);
    await page.click('[data-testid="nav-data"]');
    await page.check('[data-testid="mode-replace"]');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each(logs.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    await page.setInputFiles('[data-testid="file-input"]', `${DIR}/${file}`);
    const e = c.expect;
    if (e.outcome === 'refused') {
      // The CLI refuses a file with no model column; the app offers to map its columns instead.
      const banner = page.locator('[data-testid="load-error"]', { hasText: `${file}: ` });
      const asked = page.locator('[data-testid="ask-mapping"]', { hasText: `Map the columns of ${file}` });
      const shown = [banner.waitFor({ timeout: 60_000 }), asked.waitFor({ timeout: 60_000 })];
      shown.forEach((p) => p.catch(() => {}));
      await Promise.any(shown);
      if (await asked.isVisible()) {
        expect(e.message).toContain('not a request log');
        expect(await asked.textContent()).not.toMatch(LEAK);
        return;
      }
      const text = (await banner.textContent())!;
      expect(text).toContain(e.message);
      expect(text).not.toMatch(LEAK);
    } else {
      const card = page.locator(`[data-testid="file-diagnostics-0"][data-file="${file}"]`);
      await card.waitFor({ timeout: 60_000 });
      expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe(e.read.toLocaleString('en-US'));
      expect(await card.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe(e.accepted.toLocaleString('en-US'));
      expect(await card.locator('[data-testid="diag-rows-rejected"]').textContent()).toBe((e.read - e.accepted).toLocaleString('en-US'));
      expect(await card.textContent()).not.toMatch(LEAK);
    }
    expect(await page.locator('main').textContent()).not.toMatch(/\n\s*at |\bat [\w.<>]+ \(/);
    expect(pageErrors(page)).toEqual([]);
  });
});
