/**
 * The daily model-monitoring step, after batch inference: feature drift of the rows the serving model scored against
 * the rows it trained on (and its rise since the model's first measured day, which the warnings watch), and live
 * calibration of every model whose predictions have known outcomes, stored per day (db/monitoring.ts) for the gauges
 * and the methodology page. Missing inputs (no outcomes yet, a model without a recorded training set) are recorded as
 * 'not-enough-data' with the reason, never a failure.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { predictionRunModel } from '../db/prediction-runs.ts';
import {
  driftBaseline,
  knownOutcomes,
  replaceMonitoringDay,
  trainingSource,
  type DriftBaseline,
  type FeatureDriftRecord,
  type MonitoringStatus,
} from '../db/monitoring.ts';
import { withTransaction } from '../lib/db.ts';
import { calibrationByModel, featureDrift, ownBaseline, psiRises, thresholdWarnings } from '../monitoring/assess.ts';
import { readFeatureMatrix } from '../training/arrow.ts';
import type { Dataset } from '../training/dataset.ts';
import { activityLog, type ActivityDeps } from './context.ts';
import { featureSnapshotPath } from './model.ts';

export interface MonitorModelInput {
  /** The run's date, `YYYY-MM-DD`: the day the figures are stored under (a re-run replaces them). */
  day: string;
  /** The prediction run batch inference just wrote. */
  predictionRunId: string;
}

export interface MonitorModelResult {
  day: string;
  modelVersion: string;
  driftStatus: MonitoringStatus;
  psiMax: number | null;
  psiMaxFeature: string | null;
  /** The model's first day with measured drift (this day on its first); null when drift was not measured. */
  baselineDay: string | null;
  /** Largest PSI rise since the baseline day (0 on that day); null when drift was not measured. */
  psiRiseMax: number | null;
  psiRiseMaxFeature: string | null;
  /** Live calibration of the serving model. */
  calibrationStatus: MonitoringStatus;
  liveOutcomes: number;
  liveEce: number | null;
  /** Thresholds crossed (also logged as warnings). */
  warnings: string[];
}

type Drift = {
  status: MonitoringStatus;
  reason: string | null;
  trainingSnapshotId: string | null;
  rows: number;
  drift: FeatureDriftRecord[];
};

export function createMonitoringActivities(deps: ActivityDeps) {
  const { pool, log } = deps;

  /** The serving model's training rows against the scoring rows; not enough data when either side is missing. */
  async function measureDrift(
    run: { modelVersion: string; featureNames: string[] },
    scoring: { dataset: Dataset; rows: number[]; path: string },
  ): Promise<Drift> {
    const source = await trainingSource(pool, run.modelVersion);
    const trainingSnapshotId = source?.snapshotId ?? null;
    const none = (reason: string, rows = 0): Drift => ({
      status: 'not-enough-data',
      reason,
      trainingSnapshotId,
      rows,
      drift: [],
    });
    if (!source?.arrowPath) return none(`model ${run.modelVersion} records no training feature snapshot`);
    if (source.trainThrough === null)
      return none(`model ${run.modelVersion} records no last training season (metrics.trainThrough)`);
    let training: Dataset;
    try {
      training = source.arrowPath === scoring.path ? scoring.dataset : await readFeatureMatrix(source.arrowPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return none(`the training feature file ${source.arrowPath} of ${run.modelVersion} no longer exists`);
      throw error;
    }
    // The rows the trees learned from: labelled rows of the as-of seasons through the last training season.
    const trainThrough = source.trainThrough;
    const trainingRows = training.rows.flatMap((r, i) => (r.asOfSeason <= trainThrough && r.label !== null ? [i] : []));
    if (trainingRows.length === 0)
      return none(`snapshot ${source.snapshotId} has no labelled row through ${trainThrough}`);
    if (scoring.rows.length === 0) return none('the prediction run scored no rows', trainingRows.length);
    return {
      status: 'measured',
      reason: null,
      trainingSnapshotId,
      rows: trainingRows.length,
      drift: featureDrift(run.featureNames, { dataset: training, rows: trainingRows }, scoring),
    };
  }

  return {
    async monitorModel(input: MonitorModelInput): Promise<MonitorModelResult> {
      const alog = activityLog(log);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || Number.isNaN(Date.parse(`${input.day}T00:00:00Z`))) {
        throw ApplicationFailure.nonRetryable(
          `monitoring day must be YYYY-MM-DD, got "${input.day}"`,
          'InvalidMonitoringInput',
        );
      }
      const run = await predictionRunModel(pool, input.predictionRunId);
      if (!run)
        throw ApplicationFailure.nonRetryable(
          `prediction run ${input.predictionRunId} does not exist`,
          'UnknownPredictionRun',
        );
      const scoringPath = await featureSnapshotPath(deps, run.snapshotId);
      const dataset = await readFeatureMatrix(scoringPath);
      const scoringRows = dataset.rows.flatMap((r, i) => (r.asOfSeason === run.asOfSeason ? [i] : []));
      const drift = await measureDrift(run, { dataset, rows: scoringRows, path: scoringPath });
      // Outcomes are the labels of the day's feature snapshot: built with the run's date, so only finished windows.
      const calibration = calibrationByModel(await knownOutcomes(pool, run.snapshotId), run.modelVersion);
      // The rise since the model's first measured day, read before this day is written: on its first day (or a
      // re-run of it) the day is its own baseline, so nothing has risen.
      let baseline: DriftBaseline | null = null;
      if (drift.status === 'measured') {
        const stored = await driftBaseline(pool, run.modelVersion, input.day);
        baseline = stored && stored.day < input.day ? stored : ownBaseline(input.day, drift.drift);
      }
      const rises = baseline ? psiRises(drift.drift, baseline) : [];
      await withTransaction(pool, (client) =>
        replaceMonitoringDay(client, {
          day: input.day,
          modelVersion: run.modelVersion,
          predictionRunId: input.predictionRunId,
          featureSnapshotId: run.snapshotId,
          trainingSnapshotId: drift.trainingSnapshotId,
          trainingRows: drift.rows,
          scoringRows: scoringRows.length,
          driftStatus: drift.status,
          driftReason: drift.reason,
          drift: drift.drift,
          calibration,
        }),
      );
      const warnings = thresholdWarnings(rises, baseline?.day ?? null, calibration);
      for (const warning of warnings) alog.warn({ day: input.day, modelVersion: run.modelVersion }, warning);
      const serving = calibration.find((c) => c.serving)!;
      const result: MonitorModelResult = {
        day: input.day,
        modelVersion: run.modelVersion,
        driftStatus: drift.status,
        psiMax: drift.drift[0]?.psi ?? null,
        psiMaxFeature: drift.drift[0]?.feature ?? null,
        baselineDay: baseline?.day ?? null,
        psiRiseMax: rises[0]?.rise ?? null,
        psiRiseMaxFeature: rises[0]?.feature ?? null,
        calibrationStatus: serving.status,
        liveOutcomes: serving.outcomes,
        liveEce: serving.ece,
        warnings,
      };
      alog.info(
        { ...result, driftReason: drift.reason, calibrationReason: serving.reason, models: calibration.length },
        'model monitored',
      );
      return result;
    },
  };
}
