import type { CubeRow } from '../domain/cube';
import { parseUsd } from '../domain/money';
import type { Engine } from './engine';
import { cubeQuery } from './sql/cube';

interface CubeSqlRow {
  model: string;
  image_size: string;
  lane: string;
  provider: string;
  job_type: string;
  day: string;
  requests: number;
  images: number;
  attempts: number;
  billed_attempts: number;
  billed_images: number;
  with_feedback: number;
  accepted: number;
  unpriced_requests: number;
  cost: string;
}

/** Reads the planning cube (see `cubeQuery`) as domain rows with exact money. */
export async function loadCube(engine: Engine): Promise<CubeRow[]> {
  const { sql, params } = cubeQuery();
  const rows = await engine.query<CubeSqlRow>(sql, params);
  return rows.map((r) => ({
    model: r.model,
    imageSize: r.image_size,
    lane: r.lane,
    provider: r.provider,
    jobType: r.job_type,
    day: r.day,
    requests: Number(r.requests),
    images: Number(r.images),
    attempts: Number(r.attempts),
    billedAttempts: Number(r.billed_attempts),
    billedImages: Number(r.billed_images),
    withFeedback: Number(r.with_feedback),
    accepted: Number(r.accepted),
    unpricedRequests: Number(r.unpriced_requests),
    cost: parseUsd(r.cost),
  }));
}
