import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, pageErrors } from './browser';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** What shows that a view (or Plan tab) has finished drawing its figures. */
const READY: Record<string, string> = {
  overview: '[data-testid="view-overview"][data-status="ready"]',
  spend: '[data-testid="view-spend"][data-status="ready"]',
  batch: '[data-testid="view-batch"][data-status="ready"]',
  retry: '[data-testid="view-retry"][data-status="ready"]',
  acceptance: '[data-testid="view-acceptance"][data-status="ready"]',
  duplicates: '[data-testid="view-duplicates"][data-status="ready"]',
  explorer: '[data-testid="view-explorer"][data-status="ready"] [data-testid="explorer-table"] tbody tr',
  compare: '[data-testid="view-compare"][data-status="ready"]',
  rates: '[data-testid="rates-table"] tbody tr',
  plan: '[data-testid="view-plan"]',
  data: '[data-testid="view-data"] [data-testid="data-rows-read"]',
};
const PLAN_TABS: Record<string, string> = {
  calculator: '[data-testid="scenario-lines"]',
  scenarios: '[data-testid="no-saved-scenarios"], [data-testid="saved-scenarios"]',
  policies: '[data-testid="policy-table"] tbody tr',
  budget: '[data-testid="budget-mtd"]',
};
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

interface AxeResult {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeResult[] }> } }).axe.run;
    return (await run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * What a reader cannot see: the page scrolls sideways, or a money cell lies outside its scroll
 * box while the box shows no cue that it scrolls.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      // Name the outermost elements that stick out, so a failure says where to look.
      const culprits = [...document.body.querySelectorAll<HTMLElement>('*')]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= root.clientWidth + 1)
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
      problems.push(`page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport (${culprits.join(', ')})`);
    }
    for (const cell of document.querySelectorAll<HTMLElement>('td.num, th.num')) {
      if (cell.closest('.print-only, [hidden]')) continue;
      const box = cell.closest<HTMLElement>('[data-scroll-box]');
      const r = cell.getBoundingClientRect();
      if (r.width === 0) continue;
      if (!box) {
        if (r.right > root.clientWidth + 0.5) problems.push(`${cell.closest('table')?.dataset.testid ?? 'table'}: money cell off-screen and not in a scroll box`);
        continue;
      }
      const b = box.getBoundingClientRect();
      const outside = r.right > b.right + 0.5 || r.left < b.left - 0.5;
      if (!outside) continue;
      const cue = box.parentElement?.querySelector<HTMLElement>(':scope > [data-scroll-cue]');
      const shown = cue && getComputedStyle(cue).display !== 'none' && cue.getBoundingClientRect().width > 0;
      if (!shown) problems.push(`${cell.closest('table')?.dataset.testid ?? 'table'}: money cell outside its scroll box with no scroll cue`);
    }
    return [...new Set(problems)];
  });
}

async function go(page: Page, view: string) {
  const nav = page.locator(`[data-testid="nav-${view}"]`);
  await nav.scrollIntoViewIfNeeded();
  await nav.click();
  await page.waitForSelector(READY[view]!, { timeout: 90_000 });
  await page.waitForTimeout(150);
}

describe('every screen at 1280 and 390 px: accessible, and nothing clipped or sideways', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of WIDTHS) {
    it(`axe-core finds no serious or critical violation and nothing overflows at ${size.width} px`, async () => {
      // axe-core is injected as a script tag, which the app's CSP refuses (test/e2e/csp.test.ts checks the policy).
      const page = await openApp(browser, '?view=overview', { bypassCSP: true });
      await page.setViewportSize(size);
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        const problems = [...(await axe(page)), ...(await layoutProblems(page))];
        if (problems.length) found[name] = problems;
      };
      for (const view of Object.keys(READY)) {
        if ((await page.locator(`[data-testid="nav-${view}"]`).count()) === 0) {
          found[view] = ['no such view'];
          continue;
        }
        await go(page, view);
        if (view === 'plan') {
          for (const [tab, ready] of Object.entries(PLAN_TABS)) {
            await page.click(`[data-testid="plan-tab-${tab}"]`);
            await page.waitForSelector(ready, { timeout: 90_000 });
            await check(`plan/${tab}`);
            if (tab === 'calculator') {
              await page.click('[data-testid="start-from-data"]');
              await page.waitForSelector('[data-testid="from-data-note"]');
              await check('plan/calculator from my data');
            }
          }
        } else {
          await check(view);
        }
      }
      expect(found).toEqual({});
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });
  }

  it('the filter buttons are named by what they show, and the page has a skip link to the main content', async () => {
    const page = await openApp(browser, '?view=overview');
    // A fresh load of another view: keyboard focus starts at the top of the page.
    await page.goto(page.url().replace('view=overview', 'view=spend'));
    await page.waitForSelector(READY.spend!, { timeout: 90_000 });
    const names = await page.$$eval('[data-testid="filter-bar"] summary', (els) => els.map((e) => [e.getAttribute('aria-label'), e.textContent]));
    expect(names).toHaveLength(5);
    for (const [label, text] of names) expect(label === null || label!.replace(/\W/g, '').includes((text ?? '').replace(/\W/g, ''))).toBe(true);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => [document.activeElement?.textContent, document.activeElement?.getAttribute('href')]);
    expect(skip).toEqual(['Skip to content', '#main']);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });

  it('Plan tabs are a real tab list: each controls a panel, arrow keys move between them, all fit at 390 px', async () => {
    const page = await openApp(browser, '?view=overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await go(page, 'plan');
    await page.waitForSelector(PLAN_TABS.calculator!);
    const tabs = page.locator('[role="tablist"] [role="tab"]');
    expect(await tabs.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const tab = tabs.nth(i);
      const box = await tab.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    const selected = tabs.nth(0);
    const panelId = await selected.getAttribute('aria-controls');
    expect(await page.getAttribute(`#${panelId}`, 'role')).toBe('tabpanel');
    await selected.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-tab-scenarios');
    expect(await tabs.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await tabs.nth(3).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await tabs.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.close();
  });
});

describe('navigation behaves like a web page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Back and Forward walk through three views and two filter changes, restoring each', async () => {
    const page = await openApp(browser, '?view=overview');
    const state = () => {
      const u = new URL(page.url());
      return `${u.searchParams.get('view')}|${u.searchParams.get('lane') ?? ''}|${u.searchParams.get('size') ?? ''}`;
    };
    const shown = async () => {
      const view = await page.locator('[aria-current="page"]').getAttribute('data-testid');
      const lane = await page.locator('[data-testid="filter-lane"] .multi-select__value').textContent().catch(() => '');
      return `${view}|${lane}`;
    };
    await go(page, 'spend');
    await page.click('[data-testid="filter-lane"] summary');
    await page.check('[data-testid="filter-lane"] input[value="batch"]');
    await page.waitForSelector(READY.spend!);
    await page.click('[data-testid="filter-size"] summary');
    await page.check('[data-testid="filter-size"] input[value="4K"]');
    await page.waitForSelector(READY.spend!);
    await go(page, 'batch');
    const walk = ['batch|batch|4K', 'spend|batch|4K', 'spend|batch|', 'spend||', 'overview||'];
    expect(state()).toBe(walk[0]);
    for (const want of walk.slice(1)) {
      await page.goBack();
      await expect.poll(state).toBe(want);
      await expect.poll(shown).toBe(`nav-${want.split('|')[0]}|${want.split('|')[1] === '' ? 'All' : 'batch'}`);
    }
    // Still in the app: Back did not leave it.
    expect(await page.isVisible('[data-testid="nav-overview"]')).toBe(true);
    for (const want of [...walk].reverse().slice(1)) {
      await page.goForward();
      await expect.poll(state).toBe(want);
    }
    await page.waitForSelector(READY.batch!);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
