/**
 * The least a database needs for the API's infrastructure tests: a champion model (readiness) and published ranking
 * snapshots (the read cache's version), with the feature snapshot and prediction run they reference. Plain SQL.
 */
import type { Queryable } from '../lib/db.ts';

export async function seedChampion(db: Queryable, modelVersion = 'm-test-1'): Promise<void> {
  await db.query(
    `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path)
     VALUES ('fs-test', '{2024}', '{age}', 0, '/dev/null') ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, artifact_path, status, promoted_at)
     VALUES ($1, 'xgboost', '{}', '{age}', 'fs-test', '/dev/null', 'champion', now())`,
    [modelVersion],
  );
  await db.query(
    `INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season)
     VALUES ($1, $2, 'fs-test', 2024) ON CONFLICT DO NOTHING`,
    [`pr-${modelVersion}`, modelVersion],
  );
}

/** A ranking snapshot published now (needs `seedChampion` first); returns its id. */
export async function seedPublishedSnapshot(
  db: Queryable,
  snapshotId: string,
  modelVersion = 'm-test-1',
): Promise<string> {
  await db.query(
    `INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count, published_at)
     VALUES ($1, $2, '/dev/null', 0, clock_timestamp())`,
    [snapshotId, `pr-${modelVersion}`],
  );
  return snapshotId;
}
