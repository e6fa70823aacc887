/**
 * Prediction runs (prediction_runs, predictions): what batch inference writes, one run per model and feature
 * snapshot, and what the snapshot step reads back. The API's reads of published predictions live in db/predictions.ts.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import type { Confidence } from '../lib/snapshot.ts';
import { insertRows } from './bulk.ts';

export interface PredictionRun {
  predictionRunId: string;
  modelVersion: string;
  /** The feature snapshot it scored. */
  snapshotId: string;
  asOfSeason: number;
}

/** One prospect's prediction as batch inference stores it (jsonb columns take plain objects). */
export interface PredictionRecord {
  playerId: number;
  probability: number;
  /** Before calibration. */
  rawProbability: number;
  confidence: Confidence;
  baseValue: number;
  /** One log-odds contribution per feature, in the model's feature order. */
  shap: readonly number[];
  rank: number;
  positionRank: number | null;
  organizationRank: number | null;
  spread: number | null;
  eta: number | null;
  dynasty: unknown;
  evidence: unknown;
  narrative: readonly string[];
  comparables: unknown;
}

/**
 * Writes a prediction run and its predictions, replacing an earlier write of the same run id (a retried inference
 * replaces its own attempt). Run it inside a transaction so readers see the old run or the new one whole.
 */
export async function replacePredictionRun(
  client: PoolClient,
  run: PredictionRun,
  predictions: readonly PredictionRecord[],
): Promise<void> {
  await client.query('DELETE FROM prediction_runs WHERE prediction_run_id = $1', [run.predictionRunId]);
  await client.query(
    'INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ($1, $2, $3, $4)',
    [run.predictionRunId, run.modelVersion, run.snapshotId, run.asOfSeason],
  );
  await insertRows(
    client,
    'predictions',
    [
      'prediction_run_id',
      'player_id',
      'model_version',
      'as_of_season',
      'probability',
      'confidence',
      'base_value',
      'shap',
      'rank',
      'position_rank',
      'organization_rank',
      'spread',
      'eta',
      'dynasty',
      'evidence',
      'narrative',
      'comparables',
      'raw_probability',
    ],
    predictions.map((p) => [
      run.predictionRunId,
      p.playerId,
      run.modelVersion,
      run.asOfSeason,
      p.probability,
      p.confidence,
      p.baseValue,
      p.shap,
      p.rank,
      // Comparables are an array: as such pg would send a Postgres array literal, not JSON.
      p.positionRank,
      p.organizationRank,
      p.spread,
      p.eta,
      p.dynasty,
      p.evidence,
      p.narrative,
      JSON.stringify(p.comparables),
      p.rawProbability,
    ]),
  );
}

/** A prediction run with the model that made it. */
export interface PredictionRunModel {
  predictionRunId: string;
  asOfSeason: number;
  /** The feature snapshot it scored. */
  snapshotId: string;
  modelVersion: string;
  modelCreatedAt: Date;
  /** The registry's metrics of the model (held-out scores, baselines, reliability). */
  metrics: Record<string, unknown>;
  featureNames: string[];
}

/** A prediction run and its model; null when the run does not exist. */
export async function predictionRunModel(db: Queryable, predictionRunId: string): Promise<PredictionRunModel | null> {
  const { rows } = await db.query<{
    as_of_season: number;
    snapshot_id: string;
    model_version: string;
    created_at: Date;
    metrics: Record<string, unknown> | null;
    feature_names: string[];
  }>(
    `SELECT r.as_of_season, r.snapshot_id, m.model_version, m.created_at, m.metrics, m.feature_names
     FROM prediction_runs r JOIN models m USING (model_version) WHERE r.prediction_run_id = $1`,
    [predictionRunId],
  );
  const r = rows[0];
  return r
    ? {
        predictionRunId,
        asOfSeason: r.as_of_season,
        snapshotId: r.snapshot_id,
        modelVersion: r.model_version,
        modelCreatedAt: r.created_at,
        metrics: r.metrics ?? {},
        featureNames: r.feature_names,
      }
    : null;
}

/** A stored prediction with the player's bio and his feature values: what a snapshot's prospect is built from. */
export interface StoredPrediction {
  playerId: number;
  fullName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string | null;
  primaryPosition: string | null;
  probability: number;
  confidence: Confidence;
  baseValue: number;
  shap: number[];
  rank: number;
  positionRank: number | null;
  organizationRank: number | null;
  eta: number | null;
  /** jsonb as written by inference; null in runs from before it was stored. */
  dynasty: { roleWeight: number; yearsToEta: number; value: number } | null;
  evidence: { seasonWorkload: number; careerWorkload: number; seasons: number; levels: number; spread: number } | null;
  narrative: string[] | null;
  comparables: unknown[] | null;
  /** His row of the run's feature snapshot, in its feature order; null when the snapshot has none. */
  features: number[] | null;
}

/** Every prediction of a run, best rank first, with bio and features (of feature snapshot `snapshotId`). */
export async function runPredictions(
  db: Queryable,
  predictionRunId: string,
  snapshotId: string,
): Promise<StoredPrediction[]> {
  const { rows } = await db.query(
    `SELECT p.*, pl.full_name, to_char(pl.birth_date, 'YYYY-MM-DD') AS birth_date, pl.primary_position, f.features
     FROM predictions p JOIN players pl USING (player_id)
     LEFT JOIN player_features f ON f.snapshot_id = $2 AND f.player_id = p.player_id AND f.as_of_season = p.as_of_season
     WHERE p.prediction_run_id = $1 ORDER BY p.rank`,
    [predictionRunId, snapshotId],
  );
  return rows.map((r) => ({
    playerId: r.player_id,
    fullName: r.full_name,
    birthDate: r.birth_date,
    primaryPosition: r.primary_position,
    probability: r.probability,
    confidence: r.confidence,
    baseValue: r.base_value,
    shap: r.shap,
    rank: r.rank,
    positionRank: r.position_rank,
    organizationRank: r.organization_rank,
    eta: r.eta,
    dynasty: r.dynasty,
    evidence: r.evidence,
    narrative: r.narrative,
    comparables: r.comparables,
    features: r.features,
  }));
}

/**
 * Rank (and, with `withShap`, SHAP contributions) of `playerIds` in a run. SHAP is worth reading only when the run's
 * model used the same features as the one it is compared with; otherwise `shap` is null.
 */
export async function runRanks(
  db: Queryable,
  predictionRunId: string,
  playerIds: readonly number[],
  options: { withShap: boolean },
): Promise<Map<number, { rank: number; shap: number[] | null }>> {
  const { rows } = await db.query<{ player_id: number; rank: number; shap: number[] | null }>(
    `SELECT player_id, rank, ${options.withShap ? 'shap' : 'NULL::real[] AS shap'} FROM predictions
     WHERE prediction_run_id = $1 AND player_id = ANY($2)`,
    [predictionRunId, playerIds],
  );
  return new Map(rows.map((r) => [r.player_id, { rank: r.rank, shap: r.shap }]));
}
