/**
 * The model registry's rows (models, model_events): what trains, what serves, what was promoted or rolled back.
 */
import type { Queryable } from '../lib/db.ts';

export interface ServingModel {
  modelVersion: string;
  algorithm: string;
  createdAt: Date;
  promotedAt: Date | null;
  holdoutSeason: number | null;
  metrics: Record<string, unknown>;
}

/** The champion, the one model batch inference scores with; null before the first training. */
export async function servingModel(db: Queryable): Promise<ServingModel | null> {
  const { rows } = await db.query<{
    model_version: string; algorithm: string; created_at: Date; promoted_at: Date | null; holdout_season: number | null; metrics: Record<string, unknown>;
  }>(`SELECT model_version, algorithm, created_at, promoted_at, holdout_season, metrics FROM models WHERE status = 'champion'`);
  const row = rows[0];
  return row
    ? { modelVersion: row.model_version, algorithm: row.algorithm, createdAt: row.created_at, promotedAt: row.promoted_at, holdoutSeason: row.holdout_season, metrics: row.metrics }
    : null;
}
