import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report';
import { ingestFiles } from '../../src/db/ingest/ingest';
import { buildReport } from '../../src/db/report';
import { applyRates } from '../../src/db/workspace';
import { formatUsd, mulPico, parseUsd, type Pico } from '../../src/domain/money';
import { openNativeEngine } from '../../src/node/native-engine';
import { SAMPLE_PATH, testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';
import { dropFile, launchBrowser, openApp, pageErrors } from './browser';

const FIXTURES = 'test/fixtures/logs';

/** The Overview total the Node engine computes for the given files (in `dir`, the fixtures' by default). */
async function expectedTotal(names: string[], dir = `${FIXTURES}/`) {
  const engine = await testEngine();
  await ingestFiles(engine, names.map((name) => ({ name, bytes: readFileSync(`${dir}${name}`) })), { mode: 'replace' });
  await applyRates(engine, bundledRates());
  const report = await buildReport(engine);
  return { total: formatUsd(report.totalCost), requests: report.requests.toLocaleString('en-US') };
}

async function overviewFigures(page: Page) {
  await page.click('[data-testid="nav-overview"]');
  await page.waitForSelector('[data-testid="view-overview"][data-status="ready"]');
  return { total: await page.textContent('[data-testid="total-cost"]'), requests: await page.textContent('[data-testid="requests"]') };
}

describe('loading logs in the app (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openApp(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a chosen file replaces the sample: its diagnostics list the rejected rows, the Overview shows its figures', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.setInputFiles('[data-testid="file-input"]', `${FIXTURES}/hostile.csv`);
    const card = page.locator('[data-testid="file-diagnostics-0"][data-file="hostile.csv"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid^="file-diagnostics-"]').count()).toBe(1);
    expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe('8');
    expect(await card.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe('3');
    expect(await card.locator('[data-testid="diag-rows-rejected"]').textContent()).toBe('5');
    const rejects = await card.locator('[data-testid="rejects-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rejects).toEqual([
      ['4', 'timestamp', 'not-a-date', 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)'],
      ['5', 'images', '-1', 'negative'],
      ['6', 'billed_attempts', '3', 'more than attempt_count (2)'],
      ['7', 'images', 'one', 'not a whole number'],
      ['8', 'accepted_by_user', 'maybe', 'not true/false, yes/no or 1/0'],
    ]);
    expect(await card.locator('[data-testid="diag-warnings"]').textContent()).toContain('“1k” → “1K” in 1 rows');
    expect(await card.locator('[data-testid="diag-ignored"]').textContent()).toContain('note');

    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-testid="download-rejects"]').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('file,row,column,value,reason');
    expect(csv).toHaveLength(6);
    expect(csv[3]).toBe('hostile.csv,6,billed_attempts,3,more than attempt_count (2)');

    expect(await overviewFigures(page)).toEqual(await expectedTotal(['hostile.csv']));
  });

  it('append adds a second file; a file that is not a log is refused and the data stays', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.check('[data-testid="mode-append"]');
    await page.setInputFiles('[data-testid="file-input"]', `${FIXTURES}/flat.ndjson`);
    await page.locator('[data-testid="file-diagnostics-1"][data-file="flat.ndjson"]').waitFor({ timeout: 60_000 });
    expect(await page.textContent('[data-testid="data-rows-read"]')).toBe('13');
    await page.setInputFiles('[data-testid="file-input"]', `${FIXTURES}/not-a-log.json`);
    const error = await page.waitForSelector('[data-testid="load-error"]', { timeout: 60_000 });
    expect(await error.textContent()).toContain('not-a-log.json: a JSON object, not a request log');
    expect(await page.locator('[data-testid^="file-diagnostics-"]').count()).toBe(2);
    expect(await overviewFigures(page)).toEqual(await expectedTotal(['hostile.csv', 'flat.ndjson']));
  });

  it('a file dropped on any view is loaded and the Data view opens on its diagnostics', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.check('[data-testid="mode-replace"]');
    await page.click('[data-testid="nav-overview"]');
    await dropFile(page, 'main', { name: 'gemini-batch.jsonl', text: readFileSync(`${FIXTURES}/gemini-batch.jsonl`, 'utf8'), type: 'application/jsonl' });
    const card = page.locator('[data-testid="file-diagnostics-0"][data-file="gemini-batch.jsonl"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid^="file-diagnostics-"]').count()).toBe(1);
    expect(await card.locator('[data-testid="rejects-table"] tbody').textContent()).toContain('batch request failed, not billed: Request contains an invalid argument.');
    expect(await overviewFigures(page)).toEqual(await expectedTotal(['gemini-batch.jsonl']));
  });

  it('a large load shows its progress and can be cancelled, leaving the data as it was', async () => {
    await page.click('[data-testid="nav-data"]');
    const lines = Array.from({ length: 400_000 }, (_, i) => `{"timestamp":${1772355600 + i},"model":"gemini-3-pro-image","image_size":"1K"}`).join('\n');
    await page.setInputFiles('[data-testid="file-input"]', { name: 'big.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
    const progress = page.locator('[data-testid="load-progress"]');
    await progress.waitFor({ timeout: 60_000 });
    // "Loading big.ndjson" comes first, until the reader reports (a busy machine can show it for a while).
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(/Reading big\.ndjson|Parsing big\.ndjson · \d+%/);
    await page.click('[data-testid="load-cancel"]');
    await page.waitForSelector('[data-testid="load-cancelled"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="file-diagnostics-0"][data-file="gemini-batch.jsonl"]').count()).toBe(1);
    expect(await overviewFigures(page)).toEqual(await expectedTotal(['gemini-batch.jsonl']));
  });

  it('a log larger than a tab is known to hold asks first, showing the CLI command that summarises it; declined, the data stays; loaded anyway, it is read', async () => {
    await page.click('[data-testid="nav-data"]');
    // 13-byte rows in the first 64 KiB and 280 MB in all (sparse: the rest is never read), so about 21.5 million rows.
    const dir = mkdtempSync(join(tmpdir(), 'pixelspend-large-'));
    try {
      // A name with a space, which the command shown quotes as one shell word.
      const path = join(dir, 'huge log.csv');
      writeFileSync(path, `timestamp,model\n${'1772355600,m\n'.repeat(6000)}`);
      truncateSync(path, 280_000_000);
      await page.setInputFiles('[data-testid="file-input"]', path);
      const ask = page.locator('[data-testid="ask-large"]');
      await ask.waitFor({ timeout: 30_000 });
      expect(await ask.textContent()).toMatch(/huge log\.csv holds about 21\.\d million requests, more than the 20,000,000 PixelSpend loads in a browser tab without asking\. In a tab on a two-core machine, 30 million/);
      expect(await page.textContent('[data-testid="ask-large-command"]')).toBe("npm run -s report -- --logs 'huge log.csv' --cube-out 'huge log.cube.parquet' > report.json");
      expect(await page.locator('[data-testid="load-progress"]').count()).toBe(0);
      await page.click('[data-testid="ask-large-decline"]');
      await page.waitForSelector('[data-testid="load-cancelled"]');
      expect(await page.locator('[data-testid="ask-large"]').count()).toBe(0);
      expect(await page.locator('[data-testid="file-diagnostics-0"][data-file="gemini-batch.jsonl"]').count()).toBe(1);
      expect(await overviewFigures(page)).toEqual(await expectedTotal(['gemini-batch.jsonl']));
      // Loaded anyway, it is read: past its first rows the file is one 266 MiB line of zeros, refused as such.
      await page.click('[data-testid="nav-data"]');
      await page.setInputFiles('[data-testid="file-input"]', path);
      await page.click('[data-testid="ask-large-load"]');
      await expect.poll(() => page.locator('[data-testid="load-error"]').textContent(), { timeout: 60_000 })
        .toMatch(/^huge log\.csv: data row 6001 is 266 MiB long; one row may be at most 8 MiB .* The data loaded before is unchanged\.$/);
      expect(await page.locator('[data-testid="file-diagnostics-0"][data-file="gemini-batch.jsonl"]').count()).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a CSV past its first 64 KiB is read where it lies (the File handed to the engine) with the figures worked out by hand', async () => {
    await page.click('[data-testid="nav-data"]');
    // 1,000 requests each of 1K and 2K ($0.1344) and 4K ($0.24) on Pro's standard rate; the last line has too many fields.
    const rows = Array.from({ length: 3000 }, (_, i) =>
      `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z,gemini-3-pro-image,${['1K', '2K', '4K'][i % 3]},${i % 500 === 7 ? '"a note, quoted"' : 'plain'}`);
    const csv = `timestamp,model,image_size,note\n${rows.join('\n')}\n2026-03-01T00:00:00Z,gemini-3-pro-image,1K,too,many\n`;
    expect(csv.length).toBeGreaterThan(65_536);
    await page.setInputFiles('[data-testid="file-input"]', { name: 'in-place.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const card = page.locator('[data-testid="file-diagnostics-0"][data-file="in-place.csv"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe('3,001');
    expect(await card.locator('[data-testid="diag-rows-rejected"]').textContent()).toBe('1');
    expect(await overviewFigures(page)).toEqual({ total: '$508.80', requests: '3,000' });
  });

  it('"Use the sample data" brings the sample back', async () => {
    await page.click('[data-testid="nav-data"]');
    await page.click('[data-testid="use-sample"]');
    await page.locator('[data-testid="file-diagnostics-0"][data-file="sample-requests.csv"]').waitFor({ timeout: 90_000 });
    expect(await page.textContent('[data-testid="data-rows-read"]')).toBe('50,000');
    // The unpriced list is its own read, after the load: the last log's list is not shown meanwhile.
    await page.locator('[data-testid="unpriced-loading"]').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.locator('[data-testid="unpriced-by-reason"] [data-reason="model_not_priced"]').count()).toBe(1);
  });

  it('Parquet (its reader loaded on first use) and gzip load in the browser too', async () => {
    await page.check('[data-testid="mode-append"]');
    await page.setInputFiles('[data-testid="file-input"]', [`${FIXTURES}/requests.parquet`, `${FIXTURES}/array.json.gz`]);
    const parquet = page.locator('[data-testid="file-diagnostics-1"][data-file="requests.parquet"]');
    await parquet.waitFor({ timeout: 60_000 });
    expect(await parquet.locator('[data-testid="diag-rows-read"]').textContent()).toBe('3');
    expect(await parquet.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe('2');
    const gz = page.locator('[data-testid="file-diagnostics-2"][data-file="array.json.gz"]');
    expect(await gz.locator('[data-testid="diag-rows-accepted"]').textContent()).toBe('2');
    expect(await page.textContent('[data-testid="data-rows-read"]')).toBe('50,006');
    expect(pageErrors(page)).toEqual([]);
  });

  it('a Parquet log of more than a million rows is decoded a chunk of row groups at a time, its rows numbered across chunks', async () => {
    // 1,100,000 rows in row groups of 122,880, written by native DuckDB: a chunk per group, nine in
    // all. Row 1,050,001, in the ninth, has no date.
    const dir = mkdtempSync(join(tmpdir(), 'chunks-e2e-'));
    const path = join(dir, 'million.parquet');
    const native = await openNativeEngine({ threads: 1 });
    try {
      await native.exec(`COPY (SELECT CASE WHEN i = 1050000 THEN 'not a date' ELSE '2026-03-' || lpad(((i % 28) + 1)::VARCHAR, 2, '0') || 'T00:00:00Z' END AS timestamp,
          'gemini-3-pro-image' AS model, ['1K', '2K', '4K'][i % 3 + 1] AS image_size FROM range(1100000) t(i))
        TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
    } finally {
      await native.close();
    }
    try {
      await page.click('[data-testid="nav-data"]');
      await page.check('[data-testid="mode-replace"]');
      await page.setInputFiles('[data-testid="file-input"]', path);
      const card = page.locator('[data-testid="file-diagnostics-0"][data-file="million.parquet"]');
      await card.waitFor({ timeout: 120_000 });
      expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe('1,100,000');
      expect(await card.locator('[data-testid="diag-rows-rejected"]').textContent()).toBe('1');
      const rejects = await card.locator('[data-testid="rejects-table"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(rejects).toEqual([['1050001', 'timestamp', 'not a date', 'not a timestamp (ISO 8601 or Unix epoch seconds/milliseconds)']]);
      // The rejected row was a 1K: 366,666 at 1K and 366,667 at 2K ($0.1344 each), 366,666 at 4K ($0.24).
      const total = (mulPico(parseUsd('0.1344'), 366_666 + 366_667) + mulPico(parseUsd('0.24'), 366_666)) as Pico;
      expect(await overviewFigures(page)).toEqual({ total: formatUsd(total), requests: '1,099,999' });
      expect(pageErrors(page)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a usage cube written by the CLI, opened in the app (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let cubeDir: string;
  let cubePath: string;

  beforeAll(async () => {
    // The CLI summarises the bundled sample on native DuckDB, as a user would a log too large for a tab.
    cubeDir = mkdtempSync(join(tmpdir(), 'cube-e2e-'));
    cubePath = join(cubeDir, 'sample-cube.parquet');
    const err: string[] = [];
    expect(await main(['--logs', SAMPLE_PATH, '--cube-out', cubePath], () => {}, (t) => err.push(t), { today: '2026-12-01' })).toBe(0);
    expect(err.join('\n')).toContain(`usage cube written to ${cubePath}`);
    browser = await launchBrowser();
    page = await openApp(browser);
  });

  afterAll(async () => {
    await browser?.close();
    if (cubeDir) rmSync(cubeDir, { recursive: true, force: true });
  });

  it('shows the Overview figures of the log it came from; the Explorer says the requests stayed behind', async () => {
    const fromLog = await overviewFigures(page);
    expect(fromLog).toEqual(await expectedTotal([SAMPLE_PATH], ''));
    await page.click('[data-testid="nav-data"]');
    await page.check('[data-testid="mode-replace"]');
    await page.setInputFiles('[data-testid="file-input"]', cubePath);
    const card = page.locator('[data-testid="file-diagnostics-0"][data-file="sample-cube.parquet"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toMatch(/usage cube \(parquet\): [\d,]+ cells/);
    expect(await card.locator('[data-testid="diag-rows-read"]').textContent()).toBe('50,000');
    expect(await overviewFigures(page)).toEqual(fromLog);
    await page.click('[data-testid="nav-explorer"]');
    expect(await page.textContent('[data-testid="explorer-summary-only"]', { timeout: 60_000 })).toContain('sample-cube.parquet is a usage cube: 50,000 requests');
    expect(pageErrors(page)).toEqual([]);
  });
});
