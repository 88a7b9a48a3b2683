import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, percent, usd, usdUnit } from '../../src/components/format';
import { loadCube } from '../../src/db/cube';
import { loadDecisionCells } from '../../src/db/decisions';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { applyRates } from '../../src/db/workspace';
import { addDays, collapseDays, lastDay, type CubeCell } from '../../src/domain/cube';
import { buildComparisons, decideAll, decisionSentence, DEFAULT_DECISION_SETTINGS, type Decision } from '../../src/domain/decision';
import { analyseFrontier, windowDays, type FrontierPoint } from '../../src/domain/frontier';
import { presetPolicies, replayPolicy } from '../../src/domain/policy';
import { DEFAULT_BATCH_ELIGIBLE } from '../../src/domain/report';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { launchBrowser, openApp, pageErrors } from './browser';

const FIXTURE = 'test/fixtures/decisions/requests.csv';
const rates = bundledRates();
const familyOf = (m: string) => rates.models.get(m)?.family;
const money = (x: number) => (x < 0 ? `−${usdUnit(-x)}` : usdUnit(x));
const text = (page: Page, testId: string) => page.textContent(`[data-testid="${testId}"]`);

describe('decisions on a fixture with every verdict (headless Chromium against the Node engine)', () => {
  let browser: Browser;
  let page: Page;
  let cellsByMargin: (margin: number) => Decision[];
  let cells: CubeCell[];
  let at: number;
  let days: number;

  beforeAll(async () => {
    const engine = await testEngine();
    await ingestFiles(engine, [{ name: 'requests.csv', bytes: readFileSync(FIXTURE) }], { mode: 'replace' });
    await applyRates(engine, rates);
    const decisionCells = await loadDecisionCells(engine);
    cellsByMargin = (margin) => decideAll(buildComparisons(decisionCells, familyOf), { ...DEFAULT_DECISION_SETTINGS, margin });
    const cube = await loadCube(engine);
    const last = lastDay(cube)!;
    const from = addDays(last, -29);
    cells = collapseDays(cube, from, last);
    at = Date.parse(`${last}T00:00:00Z`);
    days = windowDays(cube.reduce((min, r) => (r.day >= from && r.day < min ? r.day : min), last), last);

    browser = await launchBrowser();
    page = await openApp(browser);
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', FIXTURE);
    await page.locator('[data-testid="file-diagnostics-0"][data-file="requests.csv"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the Acceptance view shows all three outcomes, the N-more figure and the money sentences the engine computes', async () => {
    const expected = cellsByMargin(0.05);
    const jobs = expected.filter((d) => d.size === null);
    expect(new Set(jobs.map((d) => d.outcome))).toEqual(new Set(['pro-better', 'flash-not-worse', 'not-enough']));
    expect(jobs.some((d) => d.outcome === 'not-enough' && d.refused === null && d.moreNeeded! > 0)).toBe(true);

    await page.click('[data-testid="nav-acceptance"]');
    await page.waitForSelector('[data-testid="view-acceptance"][data-status="ready"]');
    // The fixture's rows, not the sample's: wait until the table holds exactly the engine's keys.
    await page.waitForFunction(
      (keys) => [...document.querySelectorAll('[data-testid^="decision-row-"]')].map((tr) => tr.getAttribute('data-testid')).join(',') === keys,
      expected.map((d) => `decision-row-${d.key}`).join(','),
      { timeout: 60_000 },
    );
    for (const d of jobs) {
      expect(await page.getAttribute(`[data-testid="verdict-${d.jobType}"]`, 'data-outcome')).toBe(d.outcome);
      expect(await text(page, `decision-sentence-${d.jobType}`)).toBe(decisionSentence(d, money));
    }
    const rows = await page.$$eval('[data-testid^="decision-row-"]', (trs) => trs.map((tr) => [tr.getAttribute('data-testid'), tr.getAttribute('data-outcome')]));
    expect(rows).toEqual(expected.map((d) => [`decision-row-${d.key}`, d.outcome]));
    for (const d of expected) expect(await text(page, `decision-more-${d.key}`)).toBe(d.moreNeeded === null ? '—' : count(d.moreNeeded));
    expect(await text(page, 'bh-note')).toContain(`Across the ${expected.filter((d) => d.refused === null).length} rows`);
    expect(await text(page, 'bayes-p')).toBe(percent(jobs[0]!.bayes.pProBetter));

    // A 1-point margin is too tight for the "not worse" job type: the verdict follows the setting.
    await page.fill('[data-testid="decision-margin"]', '1');
    const tight = cellsByMargin(0.01).filter((d) => d.size === null);
    for (const d of tight) expect(await page.getAttribute(`[data-testid="verdict-${d.jobType}"]`, 'data-outcome')).toBe(d.outcome);
    expect(tight.map((d) => d.outcome)).not.toEqual(jobs.map((d) => d.outcome));
    await page.fill('[data-testid="decision-margin"]', '5');
    expect(pageErrors(page)).toEqual([]);
  });

  it('the frontier and the willingness-to-pay policy equal the Node engine', async () => {
    const custom = { ...presetPolicies(DEFAULT_BATCH_ELIGIBLE).find((p) => p.id === 'guide-split')!, id: 'custom', label: 'Custom' };
    const policies = [...presetPolicies(DEFAULT_BATCH_ELIGIBLE), custom];
    const cost = (p: FrontierPoint) => (p.costPerMonth.low === p.costPerMonth.high ? usd(p.costPerMonth.mid) : `${usd(p.costPerMonth.mid)} (${usd(p.costPerMonth.low)} – ${usd(p.costPerMonth.high)})`);
    const accepted = (p: FrontierPoint) => `${count(Math.round(p.acceptedPerMonth.mid))} (${count(Math.round(p.acceptedPerMonth.low))} – ${count(Math.round(p.acceptedPerMonth.high))})`;

    await page.click('[data-testid="nav-plan"]');
    await page.click('[data-testid="plan-tab-policies"]');
    await page.waitForSelector('[data-testid="frontier-table"]');
    const check = async (wtp: number) => {
      const a = analyseFrontier(cells, policies, rates, at, days, wtp, DEFAULT_BATCH_ELIGIBLE);
      expect(a.likeForLike.excludedRequests).toBeGreaterThan(0); // the unpriced model's requests
      expect(await text(page, 'frontier-like-for-like')).toContain(`${count(a.likeForLike.excludedRequests)} requests are left out of every row`);
      const shown = await page.$$eval('[data-testid^="frontier-row-"]', (trs) => trs.map((tr) => [tr.getAttribute('data-testid'), tr.getAttribute('data-frontier')]));
      expect(shown).toEqual(a.points.map((p) => [`frontier-row-${p.policyId}`, String(p.onFrontier)]));
      expect(a.points.some((p) => !p.onFrontier)).toBe(true);
      for (const p of a.points) {
        expect(await text(page, `frontier-cost-${p.policyId}`)).toBe(cost(p));
        expect(await text(page, `frontier-accepted-${p.policyId}`)).toBe(accepted(p));
      }
      const choices = await page.$$eval('[data-testid^="wtp-choice-"]', (trs) => trs.map((tr) => [tr.getAttribute('data-testid'), tr.getAttribute('data-option')]));
      expect(choices).toEqual(a.wtp.choices.map((c) => [`wtp-choice-${c.jobType}`, c.option.id]));
      return a;
    };
    await check(0.2);
    await page.fill('[data-testid="wtp-input"]', '0.05');
    const cheap = await check(0.05);

    // Saved as the custom policy, it is replayed in the policy table with the engine's figure.
    await page.click('[data-testid="wtp-use"]');
    const replay = replayPolicy({ ...cheap.wtp.policy, id: 'custom', label: 'Custom' }, cells, rates, at);
    const r = replay.cost;
    expect(await text(page, 'policy-cost-custom')).toBe(r.low === r.high ? usd(r.mid) : `${usd(r.mid)} (${usd(r.low)} – ${usd(r.high)})`);
    expect(pageErrors(page)).toEqual([]);
  });
});
