/**
 * The pipeline's last run as an operator sees it: the newest ingest batch, prediction run and ranking snapshot
 * (and whether that snapshot is published). Each is null until that step first ran.
 */
import type { Queryable } from '../lib/db.ts';

export interface LastPipelineRun {
  ingest: {
    batchId: number;
    source: string;
    season: number | null;
    startedAt: Date;
    finishedAt: Date | null;
    status: string;
  } | null;
  prediction: { predictionRunId: string; modelVersion: string; asOfSeason: number; createdAt: Date } | null;
  ranking: {
    snapshotId: string;
    predictionRunId: string;
    generatedAt: Date;
    publishedAt: Date | null;
    prospectCount: number;
  } | null;
  lastPublishedAt: Date | null;
}

export async function lastPipelineRun(db: Queryable): Promise<LastPipelineRun> {
  const [ingest, prediction, ranking, published] = await Promise.all([
    db.query<{
      batch_id: number;
      source: string;
      season: number | null;
      started_at: Date;
      finished_at: Date | null;
      status: string;
    }>(
      `SELECT batch_id, source, season, started_at, finished_at, status FROM ingest_batches ORDER BY started_at DESC, batch_id DESC LIMIT 1`,
    ),
    db.query<{ prediction_run_id: string; model_version: string; as_of_season: number; created_at: Date }>(
      `SELECT prediction_run_id, model_version, as_of_season, created_at FROM prediction_runs ORDER BY created_at DESC LIMIT 1`,
    ),
    db.query<{
      snapshot_id: string;
      prediction_run_id: string;
      generated_at: Date;
      published_at: Date | null;
      prospect_count: number;
    }>(
      `SELECT snapshot_id, prediction_run_id, generated_at, published_at, prospect_count FROM ranking_snapshots ORDER BY generated_at DESC LIMIT 1`,
    ),
    db.query<{ at: Date | null }>(`SELECT max(published_at) AS at FROM ranking_snapshots`),
  ]);
  const i = ingest.rows[0];
  const p = prediction.rows[0];
  const r = ranking.rows[0];
  return {
    ingest: i
      ? {
          batchId: i.batch_id,
          source: i.source,
          season: i.season,
          startedAt: i.started_at,
          finishedAt: i.finished_at,
          status: i.status,
        }
      : null,
    prediction: p
      ? {
          predictionRunId: p.prediction_run_id,
          modelVersion: p.model_version,
          asOfSeason: p.as_of_season,
          createdAt: p.created_at,
        }
      : null,
    ranking: r
      ? {
          snapshotId: r.snapshot_id,
          predictionRunId: r.prediction_run_id,
          generatedAt: r.generated_at,
          publishedAt: r.published_at,
          prospectCount: r.prospect_count,
        }
      : null,
    lastPublishedAt: published.rows[0]?.at ?? null,
  };
}
