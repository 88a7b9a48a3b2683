/**
 * Regenerates docs/screenshots/<view>.png: builds the app, serves it with `vite preview`,
 * opens each view at 1280 px in headless Chromium and saves a full-page screenshot.
 * Usage: npx tsx scripts/screenshots.mts [--port 4433] [--out-dir /tmp/dist-shots] [--width 1280]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium, serveBuild } from './lib/preview';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4433' },
    'out-dir': { type: 'string', default: '/tmp/dist-shots' },
    width: { type: 'string', default: '1280' },
    dest: { type: 'string', default: 'docs/screenshots' },
    'skip-build': { type: 'boolean', default: false },
    query: { type: 'string', default: '' },
  },
});
const VIEWS = ['overview', 'spend', 'batch', 'retry', 'acceptance', 'duplicates', 'explorer'];
/** Views without a query-status marker: wait for their own content instead. */
const OTHER_VIEWS: Record<string, string> = {
  rates: '[data-testid="rates-table"] tbody tr',
  plan: '[data-testid="view-plan"]',
  data: '[data-testid="view-data"]',
};

const { url, stop } = await serveBuild({ port: values.port, outDir: values['out-dir'], build: !values['skip-build'] });
try {
  const browser = await launchChromium();
  mkdirSync(values.dest, { recursive: true });
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: 900 }, reducedMotion: 'reduce' });
  for (const view of VIEWS) {
    await page.goto(`${url}?view=${view}${values.query ? `&${values.query}` : ''}`);
    await page.waitForSelector(`[data-testid="view-${view}"][data-status="ready"]`, { timeout: 120_000 });
    await page.waitForTimeout(300);
    const file = `${values.dest}/${view}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  for (const [view, selector] of Object.entries(OTHER_VIEWS)) {
    await page.goto(`${url}?view=${view}`);
    await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 120_000 });
    await page.waitForSelector(selector, { timeout: 120_000 });
    await page.waitForTimeout(1500);
    const file = `${values.dest}/${view}.png`;
    await page.screenshot({ path: file, fullPage: false });
    console.log(file);
  }
  await browser.close();
} finally {
  stop();
}
