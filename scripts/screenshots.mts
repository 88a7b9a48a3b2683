/**
 * Regenerates docs/screenshots/: builds the app, serves it with `vite preview`, opens each view
 * in headless Chromium in four variants and saves a screenshot of each:
 * <view>.png (1280 px, light), <view>-dark.png (1280 px, dark), <view>-phone.png (390 px, light),
 * <view>-phone-dark.png (390 px, dark). Desktop dashboard views are full-page; phone shots are the first screen.
 * Usage: npx tsx scripts/screenshots.mts [--port 4433] [--out-dir /tmp/dist-shots] [--only overview,spend]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium, serveBuild } from './lib/preview';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4433' },
    'out-dir': { type: 'string', default: '/tmp/dist-shots' },
    dest: { type: 'string', default: 'docs/screenshots' },
    'skip-build': { type: 'boolean', default: false },
    query: { type: 'string', default: '' },
    only: { type: 'string', default: '' },
  },
});
const VIEWS = ['overview', 'spend', 'batch', 'retry', 'acceptance', 'duplicates', 'explorer'];
/** Views without a query-status marker: wait for their own content instead. */
const OTHER_VIEWS: Record<string, string> = {
  compare: '[data-testid="view-compare"][data-status="ready"] [data-testid="compare-table"]',
  rates: '[data-testid="rates-table"] tbody tr',
  plan: '[data-testid="scenario-lines"]',
  data: '[data-testid="view-data"]',
};
const VARIANTS = [
  { suffix: '', width: 1280, height: 900, colorScheme: 'light' as const },
  { suffix: '-dark', width: 1280, height: 900, colorScheme: 'dark' as const },
  { suffix: '-phone', width: 390, height: 844, colorScheme: 'light' as const },
  { suffix: '-phone-dark', width: 390, height: 844, colorScheme: 'dark' as const },
];
const only = values.only ? new Set(values.only.split(',')) : null;

const { url, stop } = await serveBuild({ port: values.port, outDir: values['out-dir'], build: !values['skip-build'] });
try {
  const browser = await launchChromium();
  mkdirSync(values.dest, { recursive: true });
  for (const variant of VARIANTS) {
    const page = await browser.newPage({ viewport: { width: variant.width, height: variant.height }, reducedMotion: 'reduce', colorScheme: variant.colorScheme });
    const phone = variant.width < 700;
    for (const view of [...VIEWS, ...Object.keys(OTHER_VIEWS)]) {
      if (only && !only.has(view)) continue;
      await page.goto(`${url}?view=${view}${values.query ? `&${values.query}` : ''}`);
      await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 120_000 });
      await page.waitForSelector(OTHER_VIEWS[view] ?? `[data-testid="view-${view}"][data-status="ready"]`, { timeout: 120_000 });
      await page.waitForTimeout(OTHER_VIEWS[view] ? 1500 : 300);
      const file = `${values.dest}/${view}${variant.suffix}.png`;
      await page.screenshot({ path: file, fullPage: !phone && !OTHER_VIEWS[view] });
      console.log(file);
    }
    await page.close();
  }
  await browser.close();
} finally {
  stop();
}
