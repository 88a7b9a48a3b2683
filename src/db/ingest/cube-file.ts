import type { Engine } from '../engine';
import { CUBE_FILE_COLUMNS } from '../sql/cube';
import { quoteIdent } from '../sql/identifiers';

/**
 * A usage cube written by the CLI (`--cube-out`): the log summarised where it lives, opened in
 * the app in its place. It holds sums of quantities, not costs, so the app prices it with its
 * own rate card like any log; only the row-level explorer has nothing to show.
 */
export async function isCubeFile(engine: Engine, relation: string): Promise<boolean> {
  const columns = new Set((await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${relation})`)).map((c) => c.column_name));
  return CUBE_FILE_COLUMNS.every(([name]) => columns.has(name) || name in ADDED_LATER);
}

/**
 * Columns newer than the first cube files, and what stands in for them in an older file. Its cells
 * mix requests with and without billed cost, so a cell with any is taken as billed.
 */
const ADDED_LATER: Record<string, string> = { has_billed_cost: 'billed_cost_requests > 0' };

/** Replaces `usage_cube` with the file's cells (typed as the cube is), attributes included. */
export async function loadCubeFile(engine: Engine, relation: string): Promise<{ cells: number; requests: number }> {
  const columns = (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${relation})`)).map((c) => c.column_name);
  const attributes = columns.filter((c) => c.startsWith('attr:'));
  const source = (name: string) => (columns.includes(name) ? quoteIdent(name) : (ADDED_LATER[name] ?? quoteIdent(name)));
  await engine.exec(`CREATE OR REPLACE TEMP TABLE usage_cube AS SELECT
      ${CUBE_FILE_COLUMNS.map(([name, type]) => `CAST(${source(name)} AS ${type}) AS ${quoteIdent(name)}`).join(', ')}
      ${attributes.map((a) => `, CAST(${quoteIdent(a)} AS VARCHAR) AS ${quoteIdent(a)}`).join('')}
    FROM ${relation}`);
  const [counts] = await engine.query<{ cells: number; requests: number }>(
    `SELECT count(*) AS cells, COALESCE(sum(requests), 0)::BIGINT AS requests FROM usage_cube`,
  );
  return counts!;
}
