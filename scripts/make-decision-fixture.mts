/**
 * Writes test/fixtures/decisions/requests.csv: a seeded log in the canonical CSV format
 * (docs/log-format.md) whose job types land on each of the three Pro-vs-Flash verdicts, plus
 * repeated prompts (clusters) and requests no rate card prices. Run:
 *   npx tsx scripts/make-decision-fixture.mts
 */
import { writeFileSync } from 'node:fs';
import { createRng } from '../src/domain/random';

const rng = createRng(14);
const PRO = 'gemini-3-pro-image-preview';
const FLASH = 'gemini-3.1-flash-image-preview';

interface Plan {
  jobType: string;
  model: string;
  requests: number;
  acceptance: number;
  /** requests per repeated prompt (1 = every prompt new) */
  promptRepeat: number;
  sizes: string[];
  lane?: string;
}

const plans: Plan[] = [
  // Pro clearly better: 85% against 62%.
  { jobType: 'final', model: PRO, requests: 320, acceptance: 0.85, promptRepeat: 1, sizes: ['1K', '2K'] },
  { jobType: 'final', model: FLASH, requests: 320, acceptance: 0.62, promptRepeat: 1, sizes: ['1K', '2K'] },
  // Flash not worse: both about 80% on many requests.
  { jobType: 'draft', model: PRO, requests: 1400, acceptance: 0.8, promptRepeat: 1, sizes: ['1K', '2K'] },
  { jobType: 'draft', model: FLASH, requests: 1400, acceptance: 0.8, promptRepeat: 1, sizes: ['1K', '2K'] },
  // Not enough data: 75% against 72% on 60 each, prompts repeated in threes on Flash.
  { jobType: 'variant', model: PRO, requests: 60, acceptance: 0.75, promptRepeat: 1, sizes: ['1K'] },
  { jobType: 'variant', model: FLASH, requests: 60, acceptance: 0.72, promptRepeat: 3, sizes: ['1K'] },
  // Refused: Pro nearly always accepted on a handful of requests.
  { jobType: 'thumbnail', model: PRO, requests: 20, acceptance: 0.97, promptRepeat: 1, sizes: ['1K'], lane: 'batch' },
  { jobType: 'thumbnail', model: FLASH, requests: 200, acceptance: 0.8, promptRepeat: 1, sizes: ['1K'], lane: 'batch' },
  // No rate card prices this model: unpriced, left out of every like-for-like row.
  { jobType: 'paid_ad', model: 'mystery-image-model', requests: 25, acceptance: 0.7, promptRepeat: 1, sizes: ['1K'] },
  { jobType: 'paid_ad', model: FLASH, requests: 120, acceptance: 0.75, promptRepeat: 1, sizes: ['1K'] },
];

const header = 'request_id,timestamp,model,provider,lane,image_size,images,job_type,attempt_count,billed_attempts,prompt_hash,accepted_by_user,input_tokens,output_text_tokens,grounding_queries,status,latency_ms';
const rows: string[] = [];
let id = 0;
const start = Date.parse('2026-06-01T00:00:00Z');
for (const plan of plans) {
  let prompt = '';
  let promptAccepted = false;
  for (let i = 0; i < plan.requests; i++) {
    id++;
    const ts = new Date(start + Math.floor(rng() * 30 * 86_400_000)).toISOString();
    const newPrompt = i % plan.promptRepeat === 0;
    if (newPrompt) {
      prompt = Math.floor(rng() * 2 ** 48).toString(16).padStart(12, '0');
      promptAccepted = rng() < plan.acceptance;
    }
    // A repeated prompt is judged alike (same brief, same reviewer): the cluster is the unit.
    const accepted = plan.promptRepeat > 1 ? promptAccepted : rng() < plan.acceptance;
    const rated = rng() < 0.9;
    const retries = rng() < 0.1 ? 1 : 0;
    const size = plan.sizes[i % plan.sizes.length]!;
    rows.push([
      `dec-${String(id).padStart(5, '0')}`, ts, plan.model, 'google', plan.lane ?? 'standard', size, 1 + (rng() < 0.2 ? 1 : 0), plan.jobType,
      1 + retries, 1 + retries, prompt, rated ? String(accepted) : '', 200, 0, 0, 'ok', 4000,
    ].join(','));
  }
}
rows.sort((a, b) => (a.split(',')[1]! < b.split(',')[1]! ? -1 : 1));
writeFileSync(new URL('../test/fixtures/decisions/requests.csv', import.meta.url), `${header}\n${rows.join('\n')}\n`);
console.log(`${rows.length} requests`);
