/**
 * Writes a realistic, reproducible request log: same seed and size → identical bytes.
 *   npx tsx scripts/generate-sample.ts                       → data/sample/requests.csv (50,000 rows)
 *   npx tsx scripts/generate-sample.ts --rows 1000000 --out /tmp/requests-1m.csv
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createRng, type Rng } from '../src/domain/random';

interface Options {
  rows: number;
  out: string;
  seed: number;
  start: string;
  days: number;
}

const JOB_TYPES = ['draft', 'variant', 'thumbnail', 'final', 'brand_asset', 'paid_ad'] as const;
type JobType = (typeof JOB_TYPES)[number];
const JOB_WEIGHTS = [30, 22, 14, 18, 8, 8];
const URGENT = new Set<JobType>(['final', 'brand_asset', 'paid_ad']);

type ModelKey = 'pro' | 'flash' | 'lite' | 'legacy';

const MODEL_IDS: Record<ModelKey, [string, number][]> = {
  pro: [['gemini-3-pro-image', 5], ['gemini-3-pro-image-preview', 3], ['models/gemini-3-pro-image-preview', 1]],
  flash: [['gemini-3.1-flash-image-preview', 6], ['gemini-3.1-flash-image', 4]],
  lite: [['gemini-3.1-flash-lite-image-preview', 1]],
  legacy: [['gemini-2.5-flash-image', 4], ['gemini-2.5-flash-image-preview', 1]],
};

/** Which model a job type is routed to: roughly the reference guide's split, with drift. */
const MODEL_BY_JOB: Record<JobType, [ModelKey, number][]> = {
  draft: [['flash', 60], ['pro', 12], ['legacy', 20], ['lite', 8]],
  variant: [['flash', 62], ['pro', 14], ['legacy', 18], ['lite', 6]],
  thumbnail: [['flash', 50], ['legacy', 35], ['pro', 5], ['lite', 10]],
  final: [['pro', 55], ['flash', 45]],
  brand_asset: [['pro', 70], ['flash', 30]],
  paid_ad: [['pro', 60], ['flash', 40]],
};

const SIZES: Record<ModelKey, [string, number][]> = {
  pro: [['1K', 50], ['2K', 35], ['4K', 15]],
  flash: [['512', 15], ['1K', 45], ['2K', 28], ['4K', 12]],
  lite: [['512', 40], ['1K', 60]],
  legacy: [['1K', 1]],
};

/** Acceptance probability by model and job type: Pro helps on finals, barely on drafts. */
const ACCEPT: Record<ModelKey, Record<JobType, number>> = {
  pro: { draft: 0.8, variant: 0.78, thumbnail: 0.85, final: 0.82, brand_asset: 0.8, paid_ad: 0.74 },
  flash: { draft: 0.78, variant: 0.76, thumbnail: 0.84, final: 0.66, brand_asset: 0.6, paid_ad: 0.71 },
  lite: { draft: 0.62, variant: 0.6, thumbnail: 0.74, final: 0.4, brand_asset: 0.35, paid_ad: 0.4 },
  legacy: { draft: 0.7, variant: 0.69, thumbnail: 0.8, final: 0.55, brand_asset: 0.5, paid_ad: 0.5 },
};

const RETRY_RATE: Record<ModelKey, number> = { pro: 0.09, flash: 0.13, lite: 0.16, legacy: 0.11 };

const HEADER = [
  'request_id', 'timestamp', 'model', 'provider', 'lane', 'image_size', 'images', 'job_type',
  'attempt_count', 'billed_attempts', 'prompt_hash', 'accepted_by_user', 'input_tokens',
  'output_text_tokens', 'grounding_queries', 'status', 'latency_ms',
];

function parseArgs(argv: string[]): Options {
  const options: Options = { rows: 50_000, out: 'data/sample/requests.csv', seed: 20260601, start: '2026-06-01', days: 92 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--rows') options.rows = Number(value);
    else if (flag === '--out') options.out = value;
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--start') options.start = value;
    else if (flag === '--days') options.days = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.rows) || options.rows < 1) throw new Error('--rows must be a positive integer');
  return options;
}

function pick<T>(rng: Rng, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [value, weight] of weighted) {
    x -= weight;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function hex(rng: Rng, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(rng() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, length);
}

export function* generateRows(options: Omit<Options, 'out'>): Generator<string[]> {
  const rng = createRng(options.seed);
  const start = Date.parse(`${options.start}T00:00:00Z`);
  const span = options.days * 86_400_000;
  const recentPrompts: string[] = [];
  // Evenly spaced base times with jitter keep rows in time order without sorting millions.
  const step = span / options.rows;
  for (let i = 0; i < options.rows; i++) {
    const ts = Math.floor(start + i * step + rng() * step * 0.9);
    const job = pick(rng, JOB_TYPES.map((j, k) => [j, JOB_WEIGHTS[k]!] as const));
    const key = pick(rng, MODEL_BY_JOB[job]);
    let provider = 'google';
    let model = pick(rng, MODEL_IDS[key]);
    const p = rng();
    if (key === 'pro' && p < 0.08) provider = 'vertex';
    else if (key === 'pro' && p < 0.14) {
      provider = 'openrouter';
      model = 'google/gemini-3-pro-image-preview';
    } else if ((key === 'pro' || key === 'flash') && p < 0.2) provider = 'laozhang';
    let size = pick(rng, SIZES[key]);
    if (provider === 'laozhang' && key === 'flash') size = '1K';
    if (provider === 'openrouter' && size === '4K') size = '2K';
    const urgent = URGENT.has(job);
    let lane = 'standard';
    if (provider === 'google' && !urgent && rng() < 0.35) lane = rng() < 0.9 ? 'batch' : 'flex';
    const images = rng() < 0.1 ? int(rng, 2, 4) : 1;
    let attempts = 1;
    while (attempts < 4 && rng() < RETRY_RATE[key] * (attempts === 1 ? 1 : 0.6)) attempts++;
    let billed = attempts;
    if (attempts > 1 && rng() < 0.3) billed = attempts - 1;
    let promptHash: string;
    if (recentPrompts.length > 50 && rng() < 0.07) promptHash = recentPrompts[int(rng, 0, recentPrompts.length - 1)]!;
    else {
      promptHash = hex(rng, 16);
      recentPrompts.push(promptHash);
      if (recentPrompts.length > 500) recentPrompts.shift();
    }
    const feedback = rng();
    const accepted = feedback < 0.25 ? '' : rng() < ACCEPT[key][job] ? 'true' : 'false';
    const inputTokens = key === 'legacy' ? 0 : int(rng, 20, 420);
    const textTokens = key === 'pro' && rng() < 0.3 ? int(rng, 10, 180) : 0;
    const latency = Math.round((key === 'pro' ? 9000 : 4500) * (0.6 + rng()) * (size === '4K' ? 1.6 : 1) * attempts);
    yield [
      `req-${String(i + 1).padStart(8, '0')}`,
      new Date(ts).toISOString().replace('.000Z', 'Z'),
      model,
      provider,
      lane,
      size,
      String(images),
      job,
      String(attempts),
      String(billed),
      promptHash,
      accepted,
      String(inputTokens),
      String(textTokens),
      '0',
      attempts > 1 ? 'ok_after_retry' : 'ok',
      String(latency),
    ];
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(dirname(options.out), { recursive: true });
  const out = createWriteStream(options.out);
  let buffer = `${HEADER.join(',')}\n`;
  for (const row of generateRows(options)) {
    buffer += `${row.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  process.stderr.write(`wrote ${options.rows} rows to ${options.out}\n`);
}

await main();
