/**
 * Model monitoring rows (monitoring_days, feature_drift, live_calibration): what the monitoring step reads (the
 * serving model's training rows, predictions whose outcome is now known, its drift baseline) and writes, and what the gauges and the
 * published snapshot read back. Figures are computed in monitoring/; this module only moves them.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import { insertRows } from './bulk.ts';

export type MonitoringStatus = 'measured' | 'not-enough-data';

export interface FeatureDriftRecord {
  feature: string;
  psi: number;
  binning: 'quantile' | 'categorical' | 'missing-only';
  trainingMissing: number;
  scoringMissing: number;
  bins: readonly { label: string; expected: number; actual: number }[];
}

export interface LiveCalibrationRecord {
  modelVersion: string;
  serving: boolean;
  status: MonitoringStatus;
  reason: string | null;
  outcomes: number;
  positives: number;
  asOfSeasons: readonly number[];
  ece: number | null;
  brier: number | null;
  auc: number | null;
  reliability: readonly { from: number; to: number; predicted: number; observed: number; count: number }[] | null;
}

export interface MonitoringDayRecord {
  /** `YYYY-MM-DD`. */
  day: string;
  modelVersion: string;
  predictionRunId: string;
  featureSnapshotId: string;
  trainingSnapshotId: string | null;
  trainingRows: number;
  scoringRows: number;
  driftStatus: MonitoringStatus;
  driftReason: string | null;
  drift: readonly FeatureDriftRecord[];
  calibration: readonly LiveCalibrationRecord[];
}

/** A feature's drift as read back: with its PSI on the model's baseline day. */
export interface FeatureDriftReading extends FeatureDriftRecord {
  /** The feature's PSI on the baseline day; null when that day has none for it (or there is no baseline). */
  baselinePsi: number | null;
}

/**
 * A model's drift baseline: its first monitoring day with measured drift (the day it began serving, as monitored),
 * and each feature's PSI that day. Drift since then is what the FeatureDrift alert watches.
 */
export interface DriftBaseline {
  /** `YYYY-MM-DD`. */
  day: string;
  psi: ReadonlyMap<string, number>;
}

export interface MonitoringDay extends MonitoringDayRecord {
  drift: readonly FeatureDriftReading[];
  /** The serving model's baseline day (its first measured day up to this one); null when it has none. */
  baselineDay: string | null;
  psiMax: number | null;
  psiMaxFeature: string | null;
  computedAt: Date;
}

/** Where a model's training rows are: its feature snapshot's Arrow file and the last as-of season it trained on. */
export interface TrainingSource {
  snapshotId: string | null;
  arrowPath: string | null;
  /** `metrics.trainThrough` of the registry; null for a model registered without it. */
  trainThrough: number | null;
}

/** The training source of a registered model; null when the model is not registered. */
export async function trainingSource(db: Queryable, modelVersion: string): Promise<TrainingSource | null> {
  const { rows } = await db.query<{
    snapshot_id: string | null;
    arrow_path: string | null;
    train_through: string | null;
  }>(
    `SELECT m.snapshot_id, f.arrow_path, m.metrics->>'trainThrough' AS train_through
     FROM models m LEFT JOIN feature_snapshots f USING (snapshot_id) WHERE m.model_version = $1`,
    [modelVersion],
  );
  const r = rows[0];
  if (!r) return null;
  const trainThrough = r.train_through === null ? null : Number(r.train_through);
  return {
    snapshotId: r.snapshot_id,
    arrowPath: r.arrow_path,
    trainThrough: Number.isInteger(trainThrough) ? trainThrough : null,
  };
}

export interface KnownOutcome {
  modelVersion: string;
  playerId: number;
  asOfSeason: number;
  probability: number;
  label: 0 | 1;
}

/**
 * Every stored prediction whose outcome is labelled in feature snapshot `labelSnapshotId`, one per model, player and
 * as-of season: a model scores the same finished season on many days, and the newest of those runs counts once.
 * Only held-out predictions count: the as-of season must come after every season the model touched as the registry
 * records them (trained through `metrics.trainThrough`, early-stopped and calibrated on `metrics.validationSeason`,
 * measured and selected on `holdout_season`). A dailyUpdate run with a past `today` stores predictions on those
 * seasons, and they would flatter live calibration. A model that records none of them has no held-out prediction.
 */
export async function knownOutcomes(db: Queryable, labelSnapshotId: string): Promise<KnownOutcome[]> {
  const { rows } = await db.query<{
    model_version: string;
    player_id: number;
    as_of_season: number;
    probability: number;
    label: number;
  }>(
    `SELECT DISTINCT ON (p.model_version, p.player_id, p.as_of_season)
            p.model_version, p.player_id, p.as_of_season, p.probability, f.label
     FROM predictions p
     JOIN prediction_runs r USING (prediction_run_id)
     JOIN models m ON m.model_version = p.model_version
     JOIN player_features f ON f.snapshot_id = $1 AND f.player_id = p.player_id AND f.as_of_season = p.as_of_season
     WHERE f.label IS NOT NULL
       -- greatest() skips nulls; all null leaves the comparison null, so nothing counts.
       AND p.as_of_season > greatest(m.holdout_season, (m.metrics->>'holdoutSeason')::int,
                                     (m.metrics->>'validationSeason')::int, (m.metrics->>'trainThrough')::int)
     ORDER BY p.model_version, p.player_id, p.as_of_season, r.created_at DESC, r.prediction_run_id DESC`,
    [labelSnapshotId],
  );
  return rows.map((r) => ({
    modelVersion: r.model_version,
    playerId: r.player_id,
    asOfSeason: r.as_of_season,
    probability: r.probability,
    label: r.label === 1 ? 1 : 0,
  }));
}

/**
 * Writes a day's monitoring, replacing whatever an earlier run of the same day wrote. Run it inside a transaction
 * so readers see the old day or the new one whole.
 */
export async function replaceMonitoringDay(client: PoolClient, day: MonitoringDayRecord): Promise<void> {
  let top: FeatureDriftRecord | null = null;
  for (const d of day.drift) if (!top || d.psi > top.psi) top = d;
  if (day.driftStatus === 'measured' && !top)
    throw new Error(`monitoring of ${day.day}: drift is 'measured' but no feature has a PSI`);
  const measured = day.driftStatus === 'measured';
  await client.query('DELETE FROM monitoring_days WHERE day = $1', [day.day]);
  await client.query(
    `INSERT INTO monitoring_days (day, model_version, prediction_run_id, feature_snapshot_id, training_snapshot_id, training_rows, scoring_rows,
       drift_status, drift_reason, psi_max, psi_max_feature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      day.day,
      day.modelVersion,
      day.predictionRunId,
      day.featureSnapshotId,
      day.trainingSnapshotId,
      day.trainingRows,
      day.scoringRows,
      day.driftStatus,
      day.driftReason,
      measured ? top!.psi : null,
      measured ? top!.feature : null,
    ],
  );
  if (day.drift.length > 0) {
    await insertRows(
      client,
      'feature_drift',
      ['day', 'model_version', 'feature', 'psi', 'binning', 'training_missing', 'scoring_missing', 'bins'],
      day.drift.map((d) => [
        day.day,
        day.modelVersion,
        d.feature,
        d.psi,
        d.binning,
        d.trainingMissing,
        d.scoringMissing,
        JSON.stringify(d.bins),
      ]),
    );
  }
  for (const c of day.calibration) {
    await client.query(
      `INSERT INTO live_calibration (day, model_version, serving, status, reason, outcomes, positives, as_of_seasons, ece, brier, auc, reliability)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        day.day,
        c.modelVersion,
        c.serving,
        c.status,
        c.reason,
        c.outcomes,
        c.positives,
        c.asOfSeasons,
        c.ece,
        c.brier,
        c.auc,
        c.reliability === null ? null : JSON.stringify(c.reliability),
      ],
    );
  }
}

/**
 * The drift baseline of `modelVersion` as of `day`: its earliest monitoring day on or before `day` whose drift was
 * measured, with that day's PSI per feature; null when it has none.
 */
export async function driftBaseline(db: Queryable, modelVersion: string, day: string): Promise<DriftBaseline | null> {
  const { rows } = await db.query<{ day: string; feature: string | null; psi: number | null }>(
    `WITH first AS (
       SELECT day FROM monitoring_days WHERE model_version = $1 AND drift_status = 'measured' AND day <= $2::date ORDER BY day LIMIT 1)
     SELECT to_char(first.day, 'YYYY-MM-DD') AS day, d.feature, d.psi
     FROM first LEFT JOIN feature_drift d ON d.day = first.day AND d.model_version = $1`,
    [modelVersion, day],
  );
  if (rows.length === 0) return null;
  return {
    day: rows[0]!.day,
    psi: new Map(rows.flatMap((r) => (r.feature === null || r.psi === null ? [] : [[r.feature, r.psi] as const]))),
  };
}

type DayRow = {
  day: string;
  model_version: string;
  prediction_run_id: string;
  feature_snapshot_id: string;
  training_snapshot_id: string | null;
  training_rows: number;
  scoring_rows: number;
  drift_status: MonitoringStatus;
  drift_reason: string | null;
  psi_max: number | null;
  psi_max_feature: string | null;
  computed_at: Date;
};

async function readDay(db: Queryable, row: DayRow): Promise<MonitoringDay> {
  // One after another, not in parallel: `db` may be one connection (the gauges' bounded read), which runs one query at a time.
  const drift = await db.query<{
    feature: string;
    psi: number;
    binning: FeatureDriftRecord['binning'];
    training_missing: number;
    scoring_missing: number;
    bins: FeatureDriftRecord['bins'];
  }>(
    `SELECT feature, psi, binning, training_missing, scoring_missing, bins FROM feature_drift
     WHERE day = $1 AND model_version = $2 ORDER BY psi DESC, feature`,
    [row.day, row.model_version],
  );
  const calibration = await db.query<{
    model_version: string;
    serving: boolean;
    status: MonitoringStatus;
    reason: string | null;
    outcomes: number;
    positives: number;
    as_of_seasons: number[];
    ece: number | null;
    brier: number | null;
    auc: number | null;
    reliability: LiveCalibrationRecord['reliability'];
  }>(
    `SELECT model_version, serving, status, reason, outcomes, positives, as_of_seasons, ece, brier, auc, reliability FROM live_calibration
     WHERE day = $1 ORDER BY serving DESC, model_version`,
    [row.day],
  );
  const baseline = await driftBaseline(db, row.model_version, row.day);
  return {
    day: row.day,
    modelVersion: row.model_version,
    predictionRunId: row.prediction_run_id,
    featureSnapshotId: row.feature_snapshot_id,
    trainingSnapshotId: row.training_snapshot_id,
    trainingRows: row.training_rows,
    scoringRows: row.scoring_rows,
    driftStatus: row.drift_status,
    driftReason: row.drift_reason,
    psiMax: row.psi_max,
    psiMaxFeature: row.psi_max_feature,
    computedAt: row.computed_at,
    baselineDay: baseline?.day ?? null,
    drift: drift.rows.map((d) => ({
      feature: d.feature,
      psi: d.psi,
      binning: d.binning,
      trainingMissing: d.training_missing,
      scoringMissing: d.scoring_missing,
      bins: d.bins,
      baselinePsi: baseline?.psi.get(d.feature) ?? null,
    })),
    calibration: calibration.rows.map((c) => ({
      modelVersion: c.model_version,
      serving: c.serving,
      status: c.status,
      reason: c.reason,
      outcomes: c.outcomes,
      positives: c.positives,
      asOfSeasons: c.as_of_seasons,
      ece: c.ece,
      brier: c.brier,
      auc: c.auc,
      reliability: c.reliability,
    })),
  };
}

const DAY_COLUMNS = `to_char(day, 'YYYY-MM-DD') AS day, model_version, prediction_run_id, feature_snapshot_id, training_snapshot_id,
  training_rows, scoring_rows, drift_status, drift_reason, psi_max, psi_max_feature, computed_at`;

/** The newest day's monitoring (for the gauges); null before the first. */
export async function latestMonitoringDay(db: Queryable): Promise<MonitoringDay | null> {
  const { rows } = await db.query<DayRow>(`SELECT ${DAY_COLUMNS} FROM monitoring_days ORDER BY day DESC LIMIT 1`);
  return rows[0] ? readDay(db, rows[0]) : null;
}

/** The newest day's monitoring of a prediction run (for its published snapshot); null when none was recorded. */
export async function monitoringOfRun(db: Queryable, predictionRunId: string): Promise<MonitoringDay | null> {
  const { rows } = await db.query<DayRow>(
    `SELECT ${DAY_COLUMNS} FROM monitoring_days WHERE prediction_run_id = $1 ORDER BY day DESC LIMIT 1`,
    [predictionRunId],
  );
  return rows[0] ? readDay(db, rows[0]) : null;
}
