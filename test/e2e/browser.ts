import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from '../../scripts/lib/preview';

/**
 * Debian's Chromium, headless, with the flags this network-less machine needs, and WebAssembly on
 * V8's baseline compiler alone: tests check what the app does, not how fast, and the optimising
 * tier's compiles were a third of a page open's CPU (9 → 6 CPU-seconds), time that two test files
 * side by side on two cores wait on. Benchmarks run the browser as users have it.
 */
export const launchBrowser = () => launchChromium(['--js-flags=--liftoff-only']);

export function baseUrl(): string {
  return inject('baseUrl');
}

const errorsByPage = new WeakMap<Page, string[]>();

/** Opens the app and waits for the engine, the sample loaded in it and the first figure. */
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
  // The first figures are drawn before the engine has the sample: tests start from the sample loaded
  // and the Overview showing the engine's own answers.
  await page.waitForSelector('main[data-load="ready"]', { timeout: 90_000 });
  await page.waitForSelector('[data-testid="view-overview"]:not([data-first-figures]) [data-testid="total-cost"]', { timeout: 90_000 });
  return page;
}

export function pageErrors(page: Page): string[] {
  return errorsByPage.get(page) ?? [];
}

/** Drags a file onto the element `selector` and drops it there, as a user would from the desktop. */
export async function dropFile(page: Page, selector: string, file: { name: string; text: string; type: string }): Promise<void> {
  await page.evaluate(({ selector, file }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([file.text], file.name, { type: file.type }));
    const target = document.querySelector(selector)!;
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { selector, file });
}
