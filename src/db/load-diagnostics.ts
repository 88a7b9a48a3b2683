import type { UnpricedReason } from '../domain/pricing';
import type { Engine } from './engine';
import type { RejectedRow } from './ingest/ingest';

/** Every rejected row of one loaded file (or of all files), in file and row order. */
export function loadRejectedRows(engine: Engine, file?: string): Promise<RejectedRow[]> {
  return engine.query<RejectedRow>(
    `SELECT source_file AS file, source_row AS row, "column" AS column, value, reason FROM load_rejects
     WHERE ?::VARCHAR IS NULL OR source_file = ? ORDER BY source_file, source_row, "column"`,
    [file ?? null, file ?? null],
  );
}

export interface UnpricedGroup {
  reason: UnpricedReason;
  model: string;
  requests: number;
}

/** Unpriced requests of all loaded data by reason and model (filters do not apply here). */
export async function loadUnpricedByReason(engine: Engine): Promise<UnpricedGroup[]> {
  const [exists] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'priced_cube'`);
  if (!exists || exists.n === 0) return [];
  return engine.query<UnpricedGroup>(
    `SELECT unpriced_reason AS reason, model_key AS model, sum(requests)::BIGINT AS requests FROM priced_cube
     WHERE unpriced_reason IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
  );
}
