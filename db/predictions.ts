/**
 * Reads of what batch inference stored (predictions, with their run's model and feature snapshot): the served
 * prediction of a player and every feature's contribution to it. Nothing here computes a prediction.
 */
import type { Queryable } from '../lib/db.ts';

export type Confidence = 'High' | 'Medium' | 'Low';

/** One feature of one prediction: its value (null when missing) and its SHAP contribution in log-odds. */
export interface FeatureContribution {
  feature: string;
  value: number | null;
  contribution: number;
}

export interface ServedPrediction {
  playerId: number;
  name: string;
  modelVersion: string;
  asOfSeason: number;
  probability: number;
  confidence: Confidence;
  narrative: string[];
  eta: number | null;
  dynasty: { roleWeight: number; yearsToEta: number; value: number };
  /** Log-odds of the model before any feature is known. */
  baseValue: number;
  /** Every feature of the model, in the model's feature order. */
  contributions: FeatureContribution[];
}

/** What a prediction run was: the model it served and the season its features describe. */
export async function servedRun(
  db: Queryable,
  predictionRunId: string,
): Promise<{ modelVersion: string; asOfSeason: number } | null> {
  const { rows } = await db.query<{ model_version: string; as_of_season: number }>(
    `SELECT model_version, as_of_season FROM prediction_runs WHERE prediction_run_id = $1`,
    [predictionRunId],
  );
  const row = rows[0];
  return row ? { modelVersion: row.model_version, asOfSeason: row.as_of_season } : null;
}

/** The run's model and feature snapshot: the two orders that SHAP values and feature values are stored in. */
export interface RunFeatures {
  modelVersion: string;
  modelFeatures: string[];
  snapshotFeatures: string[];
}

/** A run's model version and feature orders; null for an unknown run. Fixed once the run is stored. */
export async function runFeatures(db: Queryable, predictionRunId: string): Promise<RunFeatures | null> {
  const { rows } = await db.query<{ model_version: string; model_features: string[]; snapshot_features: string[] }>(
    `SELECT r.model_version, m.feature_names AS model_features, fs.feature_names AS snapshot_features
     FROM prediction_runs r JOIN models m USING (model_version) JOIN feature_snapshots fs ON fs.snapshot_id = r.snapshot_id
     WHERE r.prediction_run_id = $1`,
    [predictionRunId],
  );
  const row = rows[0];
  return row
    ? { modelVersion: row.model_version, modelFeatures: row.model_features, snapshotFeatures: row.snapshot_features }
    : null;
}

/**
 * Pairs each SHAP value (model feature order) with the player's value of that feature (the feature snapshot's
 * order, which may differ: a model may use a subset of the snapshot's columns, in its own order). NaN and absent
 * values are null.
 */
export function alignContributions(
  modelFeatures: readonly string[],
  shap: readonly number[],
  snapshotFeatures: readonly string[],
  values: readonly number[] | null,
): FeatureContribution[] {
  const position = new Map(snapshotFeatures.map((name, i) => [name, i]));
  return modelFeatures.map((feature, i) => {
    const at = position.get(feature);
    const value = at === undefined || values === null ? undefined : values[at];
    return { feature, value: value !== undefined && Number.isFinite(value) ? value : null, contribution: shap[i] ?? 0 };
  });
}

/**
 * The predictions a run stored for these players, with every feature's contribution; players the run did not
 * score are absent. Ordered as `playerIds`. `features`: the run's `runFeatures`, when the caller already read them
 * (the API keeps them per run rather than reading them again on every cache miss).
 */
export async function servedPredictions(
  db: Queryable,
  predictionRunId: string,
  playerIds: readonly number[],
  features?: RunFeatures | null,
): Promise<ServedPrediction[]> {
  if (features === undefined) features = await runFeatures(db, predictionRunId);
  if (!features || playerIds.length === 0) return [];
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    as_of_season: number;
    probability: number;
    confidence: Confidence;
    narrative: string[] | null;
    eta: number | null;
    dynasty: ServedPrediction['dynasty'] | null;
    base_value: number;
    shap: number[];
    features: number[] | null;
  }>({
    // Named (prepared once per connection): planning these key lookups costs more than running them.
    name: 'served-predictions',
    text: `SELECT p.player_id, pl.full_name, p.as_of_season, p.probability, p.confidence, p.narrative, p.eta, p.dynasty,
            p.base_value, p.shap, f.features
     FROM predictions p
     JOIN prediction_runs r USING (prediction_run_id)
     JOIN players pl ON pl.player_id = p.player_id
     LEFT JOIN player_features f ON f.snapshot_id = r.snapshot_id AND f.player_id = p.player_id AND f.as_of_season = p.as_of_season
     WHERE p.prediction_run_id = $1 AND p.player_id = ANY($2::integer[])`,
    values: [predictionRunId, playerIds],
  });
  const byId = new Map(rows.map((row) => [row.player_id, row]));
  return playerIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        playerId: row.player_id,
        name: row.full_name,
        modelVersion: features.modelVersion,
        asOfSeason: row.as_of_season,
        probability: row.probability,
        confidence: row.confidence,
        narrative: row.narrative ?? [],
        eta: row.eta,
        // Runs from before dynasty values were stored: the undiscounted value, as the published snapshot shows it.
        dynasty: row.dynasty ?? { roleWeight: 1, yearsToEta: 0, value: 100 * row.probability },
        baseValue: row.base_value,
        contributions: alignContributions(features.modelFeatures, row.shap, features.snapshotFeatures, row.features),
      },
    ];
  });
}

/** The prediction a run stored for one player, or null when the run did not score him. */
export async function servedPrediction(
  db: Queryable,
  predictionRunId: string,
  playerId: number,
  features?: RunFeatures | null,
): Promise<ServedPrediction | null> {
  return (await servedPredictions(db, predictionRunId, [playerId], features))[0] ?? null;
}
