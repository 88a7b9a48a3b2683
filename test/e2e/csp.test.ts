import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER, cspValue } from '../../scripts/lib/csp';
import { baseUrl, launchBrowser, openApp, pageErrors } from './browser';

interface Violation {
  directive: string;
  blocked: string;
}

describe('a strict Content-Security-Policy: the page itself refuses other origins', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the built index.html carries the policy as a meta tag and vite preview sends it as a header', async () => {
    const response = await fetch(baseUrl());
    expect(response.headers.get('content-security-policy')).toBe(CSP_HEADER);
    const html = await response.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(meta?.[1]?.replaceAll('&#39;', "'")).toBe(cspValue());
    for (const directive of ["default-src 'self'", "connect-src 'self'", "worker-src 'self' blob:", "script-src 'self' 'wasm-unsafe-eval'"]) {
      expect(CSP_HEADER).toContain(directive);
    }
    expect(CSP_HEADER).not.toContain('unsafe-inline');
    // No inline script: every script has a src.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src=/.test(tag))).toBe(true);
  });

  it('the engine starts under the policy, no view breaks it, and a fetch to another origin is refused before it leaves', async () => {
    const page = await openApp(browser, '?view=overview', {
      init: () => {
        const seen: Violation[] = [];
        (window as unknown as { cspViolations: Violation[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
      },
    });
    for (const view of ['spend', 'retry', 'explorer', 'rates', 'plan', 'data']) {
      await page.click(`[data-testid="nav-${view}"]`);
      await page.waitForTimeout(400);
    }
    expect(await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations)).toEqual([]);

    const outcome = await page.evaluate(async () => {
      try {
        await fetch('https://example.com/collect', { method: 'POST', body: 'logs' });
        return 'sent';
      } catch (error) {
        return `refused: ${(error as Error).name}`;
      }
    });
    expect(outcome).toBe('refused: TypeError');
    // Reported once per policy in force (the meta tag and the header carry the same one).
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);
    expect(violations.length).toBeGreaterThanOrEqual(1);
    expect(new Set(violations.map((v) => JSON.stringify(v)))).toEqual(new Set([JSON.stringify({ directive: 'connect-src', blocked: 'https://example.com/collect' })]));
    // The test's own network guard never saw the request: the browser refused it under the policy.
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
