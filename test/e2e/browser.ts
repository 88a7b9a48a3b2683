import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from '../../scripts/lib/preview';

/** Debian's Chromium, headless, with the flags this network-less machine needs. */
export const launchBrowser = launchChromium;

export function baseUrl(): string {
  return inject('baseUrl');
}

const errorsByPage = new WeakMap<Page, string[]>();

/** Opens the app and waits for the engine and the first figure. */
export async function openApp(browser: Browser, path = '', options: { init?: () => void; bypassCSP?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: options.bypassCSP ?? false });
  if (options.init) await page.addInitScript(options.init);
  const errors: string[] = [];
  errorsByPage.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  // Nothing may leave the browser: fail on any request to another origin.
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
    errors.push(`blocked request to ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(`${baseUrl()}${path}`);
  await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 90_000 });
  await page.waitForSelector('[data-testid="total-cost"]', { timeout: 90_000 });
  return page;
}

export function pageErrors(page: Page): string[] {
  return errorsByPage.get(page) ?? [];
}
