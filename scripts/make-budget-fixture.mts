/**
 * Writes test/fixtures/budgets/requests.csv: a seeded log in the canonical CSV format
 * (docs/log-format.md) over three months (May to 20 July 2026, so July is the month in
 * progress) with attribute `team` (design, ads, or none), a high-cardinality attribute `key`
 * (300 values: kept row-level, not a cube dimension) and requests no rate card prices. Run:
 *   npx tsx scripts/make-budget-fixture.mts [--out PATH]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/domain/random';

const rng = createRng(12);
const MODELS = ['gemini-3.1-flash-image-preview', 'gemini-3-pro-image-preview', 'mystery-image-model'];
const TEAMS = ['design', 'ads', ''];
const start = Date.parse('2026-05-01T00:00:00Z');
const days = 31 + 30 + 20;

const header = 'request_id,timestamp,model,provider,lane,image_size,images,job_type,attempt_count,billed_attempts,input_tokens,output_text_tokens,grounding_queries,status,team,key';
const rows: { ts: string; line: string }[] = [];
for (let i = 0; i < 1500; i++) {
  const ts = new Date(start + Math.floor(rng() * days * 86_400_000)).toISOString();
  const team = TEAMS[Math.floor(rng() * 3)]!;
  // ads spends more per request: mostly Pro at 2K
  const model = rng() < 0.03 ? MODELS[2]! : team === 'ads' ? MODELS[rng() < 0.7 ? 1 : 0]! : MODELS[rng() < 0.2 ? 1 : 0]!;
  const size = rng() < (team === 'ads' ? 0.6 : 0.2) ? '2K' : '1K';
  const lane = rng() < 0.25 ? 'batch' : 'standard';
  const retries = rng() < 0.1 ? 1 : 0;
  const key = `k${String(Math.floor(rng() * 300)).padStart(3, '0')}`;
  rows.push({ ts, line: [`bud-${String(i + 1).padStart(5, '0')}`, ts, model, 'google', lane, size, 1 + (rng() < 0.2 ? 1 : 0), 'draft', 1 + retries, 1 + retries, 120, 0, 0, 'ok', team, key].join(',') });
}
rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? process.argv[outAt + 1]! : fileURLToPath(new URL('../test/fixtures/budgets/requests.csv', import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${header}\n${rows.map((r) => r.line).join('\n')}\n`);
