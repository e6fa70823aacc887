/**
 * The model registry's rows (models, model_events): what trains, what serves, what was promoted or rolled back.
 * Decisions (promotion, rollback) are made in training/registry.ts; this module only reads and records them.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';

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
    model_version: string;
    algorithm: string;
    created_at: Date;
    promoted_at: Date | null;
    holdout_season: number | null;
    metrics: Record<string, unknown>;
  }>(
    `SELECT model_version, algorithm, created_at, promoted_at, holdout_season, metrics FROM models WHERE status = 'champion'`,
  );
  const row = rows[0];
  return row
    ? {
        modelVersion: row.model_version,
        algorithm: row.algorithm,
        createdAt: row.created_at,
        promotedAt: row.promoted_at,
        holdoutSeason: row.holdout_season,
        metrics: row.metrics,
      }
    : null;
}

/** The folder of a registered model's booster, calibrator and companions; null when the model is not registered. */
export async function modelArtifactPath(db: Queryable, modelVersion: string): Promise<string | null> {
  const { rows } = await db.query<{ artifact_path: string }>(
    'SELECT artifact_path FROM models WHERE model_version = $1',
    [modelVersion],
  );
  return rows[0]?.artifact_path ?? null;
}

export interface ModelRegistration {
  modelVersion: string;
  params: unknown;
  featureNames: readonly string[];
  /** The feature snapshot it was trained on. */
  snapshotId: string;
  metrics: Record<string, unknown>;
  artifactPath: string;
  holdoutSeason: number;
  calibrator: unknown;
}

/**
 * Registers a trained XGBoost model as a candidate. A retry of the same version rewrites its params, metrics,
 * calibrator and folder (each attempt trains into a folder of its own), never its status.
 */
export async function registerModel(db: Queryable, model: ModelRegistration): Promise<void> {
  await db.query(
    `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, metrics, artifact_path, holdout_season, calibrator)
     VALUES ($1, 'xgboost', $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (model_version) DO UPDATE SET params = EXCLUDED.params, metrics = EXCLUDED.metrics, calibrator = EXCLUDED.calibrator,
       artifact_path = EXCLUDED.artifact_path, holdout_season = EXCLUDED.holdout_season`,
    [
      model.modelVersion,
      model.params,
      model.featureNames,
      model.snapshotId,
      model.metrics,
      model.artifactPath,
      model.holdoutSeason,
      model.calibrator,
    ],
  );
}

/** A registered model as the promotion and rollback decisions see it. */
export interface RegisteredModel {
  modelVersion: string;
  status: 'candidate' | 'champion' | 'retired';
  holdoutSeason: number;
  metrics: Record<string, unknown>;
}

type RegisteredRow = {
  model_version: string;
  status: RegisteredModel['status'];
  holdout_season: number;
  metrics: Record<string, unknown>;
};
const registered = (r: RegisteredRow): RegisteredModel => ({
  modelVersion: r.model_version,
  status: r.status,
  holdoutSeason: r.holdout_season,
  metrics: r.metrics,
});

/** The candidate `modelVersion` (null when not registered) and the champion serving now (null before the first). */
export async function candidateAndChampion(
  db: Queryable,
  modelVersion: string,
): Promise<{ candidate: RegisteredModel | null; champion: RegisteredModel | null }> {
  const { rows } = await db.query<RegisteredRow>(
    `SELECT model_version, status, holdout_season, metrics FROM models WHERE model_version = $1 OR status = 'champion'`,
    [modelVersion],
  );
  const candidate = rows.find((r) => r.model_version === modelVersion);
  const champion = rows.find((r) => r.model_version !== modelVersion);
  return { candidate: candidate ? registered(candidate) : null, champion: champion ? registered(champion) : null };
}

/** The champion serving now and the champion before it (the newest retired one that was ever promoted). */
export async function servingAndPrevious(
  db: Queryable,
): Promise<{ serving: RegisteredModel | null; previous: RegisteredModel | null }> {
  const { rows } = await db.query<RegisteredRow>(
    `(SELECT model_version, status, holdout_season, metrics FROM models WHERE status = 'champion')
     UNION ALL
     (SELECT m.model_version, m.status, m.holdout_season, m.metrics FROM models m
      WHERE m.status = 'retired' AND m.promoted_at IS NOT NULL ORDER BY m.promoted_at DESC LIMIT 1)`,
  );
  const serving = rows.find((r) => r.status === 'champion');
  const previous = rows.find((r) => r.status === 'retired');
  return { serving: serving ? registered(serving) : null, previous: previous ? registered(previous) : null };
}

export type ModelEvent = 'promoted' | 'kept-as-candidate' | 'rolled-back' | 'restored';

/** Records a registry decision in `model_events`, with the figures that made it. */
export async function recordModelEvent(
  db: Queryable,
  event: { modelVersion: string; event: ModelEvent; reason: string; details?: Record<string, unknown> },
): Promise<void> {
  await db.query('INSERT INTO model_events (model_version, event, reason, details) VALUES ($1, $2, $3, $4)', [
    event.modelVersion,
    event.event,
    event.reason,
    event.details ?? {},
  ]);
}

/** Makes `modelVersion` the champion and retires the one serving before it. Run it in the transaction of its event. */
export async function promoteToChampion(client: PoolClient, modelVersion: string): Promise<void> {
  await client.query(
    `UPDATE models SET status = 'retired', retired_reason = $2 WHERE status = 'champion' AND model_version <> $1`,
    [modelVersion, `replaced by ${modelVersion}`],
  );
  await client.query(`UPDATE models SET status = 'champion', promoted_at = now() WHERE model_version = $1`, [
    modelVersion,
  ]);
}

/**
 * Retires the serving champion for the one before it, only if `serving` is still the champion (a promotion may have
 * run since it was read): the two rows stay locked until the transaction, which also records the events, commits.
 * @returns false, changing nothing, when the champion changed meanwhile.
 */
export async function restorePreviousChampion(
  client: PoolClient,
  switchBack: { serving: string; previous: string; reason: string },
): Promise<boolean> {
  const { rows } = await client.query<{ model_version: string; status: string }>(
    'SELECT model_version, status FROM models WHERE model_version = ANY($1) ORDER BY model_version FOR UPDATE',
    [[switchBack.serving, switchBack.previous]],
  );
  if (rows.find((r) => r.model_version === switchBack.serving)?.status !== 'champion') return false;
  await client.query(`UPDATE models SET status = 'retired', retired_reason = $2 WHERE model_version = $1`, [
    switchBack.serving,
    switchBack.reason,
  ]);
  await client.query(
    `UPDATE models SET status = 'champion', promoted_at = now(), retired_reason = NULL WHERE model_version = $1`,
    [switchBack.previous],
  );
  return true;
}

/** The champion's version, if it was trained on the same features as feature snapshot `snapshotId`; else null. */
export async function championForFeatures(db: Queryable, snapshotId: string): Promise<string | null> {
  const { rows } = await db.query<{ model_version: string }>(
    `SELECT m.model_version FROM models m, feature_snapshots f
     WHERE m.status = 'champion' AND f.snapshot_id = $1 AND m.feature_names = f.feature_names`,
    [snapshotId],
  );
  return rows[0]?.model_version ?? null;
}

export interface RecordedModelEvent {
  at: Date;
  modelVersion: string;
  event: ModelEvent;
  reason: string;
}

/** The registry's events of the last `hours` hours, oldest first, at most `limit` (the newest ones). */
export async function recentModelEvents(db: Queryable, hours: number, limit: number): Promise<RecordedModelEvent[]> {
  const { rows } = await db.query<{ at: Date; model_version: string; event: ModelEvent; reason: string }>(
    `SELECT at, model_version, event, reason FROM model_events WHERE at > now() - make_interval(hours => $1)
     ORDER BY event_id DESC LIMIT $2`,
    [hours, limit],
  );
  return rows.reverse().map((r) => ({ at: r.at, modelVersion: r.model_version, event: r.event, reason: r.reason }));
}
