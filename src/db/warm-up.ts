import { mapColumns } from '../domain/log-schema';
import type { Engine } from './engine';
import { sniffBlob } from './ingest/formats';
import { sniffDialect } from './ingest/ingest';
import { buildValidationSql } from './ingest/validate';
import { quoteLiteral } from './sql/identifiers';

const HEADER = [
  'request_id', 'timestamp', 'model', 'provider', 'lane', 'image_size', 'images', 'job_type', 'attempt_count',
  'billed_attempts', 'prompt_hash', 'accepted_by_user', 'input_tokens', 'output_text_tokens', 'grounding_queries',
  'status', 'latency_ms',
] as const;

const MODELS = ['gemini-3.1-flash-image-preview', 'models/gemini-3-pro-image-preview', 'gemini-3.1-flash-lite-image-preview'];
const PROVIDERS = ['google', 'laozhang', 'vertex'];
const SIZES = ['512', '1K', '2K', '4K'];
const JOBS = ['variant', 'thumbnail', 'hero'];
const ACCEPTED = ['true', 'false', ''];

/** Rows of the warm-up log: enough for V8 to find DuckDB's reading, checking and grouping code hot (see `warmUpEngine`). */
export const WARM_UP_ROWS = 40_000;

/** A request log in the canonical columns, `rows` long, the same for every call (no clock, no randomness). */
export function warmUpCsv(rows = WARM_UP_ROWS): string {
  const lines: string[] = [HEADER.join(',')];
  const two = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < rows; i++) {
    const h = Math.imul(i + 1, 2654435761) >>> 0;
    const attempts = 1 + (h % 7 === 0 ? 1 : 0) + (h % 29 === 0 ? 1 : 0);
    lines.push([
      `warm-${i}`,
      `2026-01-${two(1 + (i % 28))}T${two(h % 24)}:${two((h >>> 5) % 60)}:${two((h >>> 11) % 60)}.${String(h % 1000).padStart(3, '0')}Z`,
      MODELS[h % 3], PROVIDERS[(h >>> 3) % 3], h % 5 === 0 ? 'batch' : 'standard', SIZES[(h >>> 7) % 4], 1 + ((h >>> 9) % 4),
      JOBS[(h >>> 13) % 3], attempts, attempts - (h % 11 === 0 ? 1 : 0),
      ((h >>> 4) % (rows >>> 2)).toString(16).padStart(16, '0'), ACCEPTED[(h >>> 17) % 3],
      150 + ((h >>> 6) % 300), (h >>> 8) % 3 === 0 ? (h >>> 10) % 200 : 0, h % 13 === 0 ? 1 : 0,
      h % 31 === 0 ? 'error' : 'ok', 3000 + ((h >>> 12) % 5000),
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a small log through what a load runs: DuckDB's CSV reader, validation's checks into a stored
 * table, the groupings the cube, repeated prompts and duplicate ids make, and a join of the rows to
 * their price key on a hash of its columns, as pricing makes (`keyJoin`). V8 first runs the engine's WebAssembly with its baseline
 * compiler and recompiles a function with its optimising one once it is hot, on background threads: in
 * a fresh tab a 1M-row load did that compiling while it ran, on two cores beside it (docs/scale.md,
 * "Where the time goes"). Done while the user looks at the sample, it is done before their file is
 * chosen. Leaves nothing behind; returns the rows accepted, or null where `stop` said to stop before
 * the next statement.
 */
export async function warmUpEngine(engine: Engine, options: { rows?: number; stop?: () => boolean } = {}): Promise<number | null> {
  const { rows = WARM_UP_ROWS, stop = () => false } = options;
  if (stop()) return null;
  const file = 'pixelspend_warm_up.csv';
  const bytes = new TextEncoder().encode(warmUpCsv(rows));
  // The page's own scan of a chosen file, then the engine's sniff and read, as a load makes them.
  const sniffed = await sniffBlob(file, new Blob([bytes]));
  await engine.registerFile(file, bytes);
  try {
    if (stop()) return null;
    const dialect = await sniffDialect(engine, file, ", delim = ','");
    await engine.exec(`CREATE OR REPLACE TEMP VIEW warm_up_raw AS SELECT (row_number() OVER ())::BIGINT AS source_row, *
      FROM read_csv(${quoteLiteral(file)}, header = true, delim = ',', ${dialect.options}, compression = 'none')`);
    if (stop()) return null;
    await engine.exec(buildValidationSql('warm_up_raw', 'warm_up_rows', mapColumns(HEADER), file, {}, { padded: sniffed.kind !== 'delimited' || sniffed.padded }));
    if (stop()) return null;
    const [counts] = await engine.query<{ accepted: number; cells: number; shared: number; repeated_ids: number; cost: string }>(`
      SELECT (SELECT count(*) FROM warm_up_rows WHERE errors IS NULL)::BIGINT AS accepted,
        (SELECT count(*) FROM (
          SELECT CAST(ts AS DATE), model_raw, provider, lane, image_size, job_type, accepted, attempt_count, billed_attempts,
            input_tokens > 0, output_text_tokens > 0, grounding_queries > 0, count(*), sum(images), sum(input_tokens),
            sum(output_text_tokens), sum(grounding_queries), sum(cost_usd)
          FROM warm_up_rows WHERE errors IS NULL GROUP BY ALL))::BIGINT AS cells,
        (SELECT count(*) FROM (SELECT prompt_hash FROM warm_up_rows GROUP BY 1 HAVING count(*) > 1))::BIGINT AS shared,
        (SELECT count(*) FROM (SELECT request_id FROM warm_up_rows GROUP BY 1 HAVING count(*) > 1))::BIGINT AS repeated_ids,
        (SELECT sum(r.billed_attempts * (r.input_tokens * k.rate + r.images * 2 * k.rate))::VARCHAR FROM warm_up_rows r JOIN (
          SELECT CAST(ts AS DATE) AS day, model_raw, provider, lane, image_size, count(*)::DECIMAL(18,12) / 1e9 AS rate
          FROM warm_up_rows GROUP BY ALL) k
          ON hash(k.day, k.model_raw, k.provider, k.lane, k.image_size) = hash(CAST(r.ts AS DATE), r.model_raw, r.provider, r.lane, r.image_size)) AS cost`);
    return Number(counts!.accepted);
  } finally {
    await engine.exec('DROP VIEW IF EXISTS warm_up_raw; DROP TABLE IF EXISTS warm_up_rows').catch(() => {});
    await engine.dropFile(file).catch(() => {});
  }
}
