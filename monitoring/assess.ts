/**
 * One day's model monitoring from plain inputs: PSI of every feature of the serving model between its training rows
 * and the day's scoring rows, its rise since the model's baseline day, live calibration of every model with known
 * outcomes, and the warnings of the thresholds the alerts use. Pure: the monitoring activity reads the rows and
 * stores the result.
 */
import type { DriftBaseline, FeatureDriftRecord, KnownOutcome, LiveCalibrationRecord } from '../db/monitoring.ts';
import type { Dataset } from '../training/dataset.ts';
import { calibrationDegraded, LIVE_CALIBRATION_ALERT, liveCalibration } from './live-calibration.ts';
import { featurePsi, PSI_THRESHOLDS } from './psi.ts';

/** Rows of a dataset by index, as one feature's column. */
function columnOf(dataset: Dataset, feature: string, rows: readonly number[]): Float64Array {
  const c = dataset.featureNames.indexOf(feature);
  if (c < 0) throw new Error(`the feature matrix has no column ${feature}`);
  const width = dataset.featureNames.length;
  return Float64Array.from(rows, (r) => dataset.matrix[r * width + c]!);
}

/**
 * PSI of each of `features` (the serving model's) between `training`'s rows `trainingRows` and `scoring`'s rows
 * `scoringRows`, largest first. Both matrices are read by column name, so their column orders may differ.
 */
export function featureDrift(
  features: readonly string[],
  training: { dataset: Dataset; rows: readonly number[] },
  scoring: { dataset: Dataset; rows: readonly number[] },
): FeatureDriftRecord[] {
  return features
    .map((feature): FeatureDriftRecord => {
      const r = featurePsi(
        columnOf(training.dataset, feature, training.rows),
        columnOf(scoring.dataset, feature, scoring.rows),
      );
      return {
        feature,
        psi: r.psi,
        binning: r.binning,
        trainingMissing: r.trainingMissing,
        scoringMissing: r.scoringMissing,
        bins: r.bins,
      };
    })
    .sort((a, b) => b.psi - a.psi || a.feature.localeCompare(b.feature));
}

/** A feature's PSI today and on the model's baseline day, and the rise between them. */
export interface FeatureRise {
  feature: string;
  psi: number;
  /** Null when the baseline day has no PSI for the feature: its rise is then its whole PSI. */
  baselinePsi: number | null;
  rise: number;
}

/** The rise of a feature's PSI since the baseline day (a feature the baseline did not measure rises by its whole PSI). */
export function psiRise(psi: number, baselinePsi: number | null): number {
  return psi - (baselinePsi ?? 0);
}

/**
 * Each feature's PSI rise from `baseline` to today's `drift`, largest first. The training rows are the same for one
 * model on every day, so a rise is drift that appeared while the model served, while the PSI itself also carries the
 * standing difference between the training cohorts and today's (history-length features, left-censored in the
 * oldest cohorts). On the baseline day itself every rise is 0.
 */
export function psiRises(drift: readonly FeatureDriftRecord[], baseline: DriftBaseline): FeatureRise[] {
  return drift
    .map((d): FeatureRise => {
      const baselinePsi = baseline.psi.get(d.feature) ?? null;
      return { feature: d.feature, psi: d.psi, baselinePsi, rise: psiRise(d.psi, baselinePsi) };
    })
    .sort((a, b) => b.rise - a.rise || a.feature.localeCompare(b.feature));
}

/** The baseline a day's drift is its own: the model's first measured day. */
export function ownBaseline(day: string, drift: readonly FeatureDriftRecord[]): DriftBaseline {
  return { day, psi: new Map(drift.map((d) => [d.feature, d.psi])) };
}

/**
 * Live calibration of every model with known outcomes, the serving one first. The serving model always has a row:
 * with no outcome yet it says so (not enough data) instead of being absent.
 */
export function calibrationByModel(outcomes: readonly KnownOutcome[], servingModel: string): LiveCalibrationRecord[] {
  const byModel = new Map<string, KnownOutcome[]>([[servingModel, []]]);
  for (const o of outcomes) {
    let own = byModel.get(o.modelVersion);
    if (!own) byModel.set(o.modelVersion, (own = []));
    own.push(o);
  }
  return [...byModel].map(([modelVersion, own]): LiveCalibrationRecord => {
    const c = liveCalibration(own);
    const asOfSeasons = [...new Set(own.map((o) => o.asOfSeason))].sort((a, b) => a - b);
    const base = {
      modelVersion,
      serving: modelVersion === servingModel,
      outcomes: c.outcomes,
      positives: c.positives,
      asOfSeasons,
    };
    return c.status === 'measured'
      ? { ...base, status: c.status, reason: null, ece: c.ece, brier: c.brier, auc: c.auc, reliability: c.reliability }
      : { ...base, status: c.status, reason: c.reason, ece: null, brier: null, auc: null, reliability: null };
  });
}

/**
 * One line per threshold the alerts watch that the day crosses: FeatureDrift on a PSI rise above 0.25 since the
 * baseline day `baselineDay` (not on the PSI itself), LiveCalibrationDegraded.
 */
export function thresholdWarnings(
  rises: readonly FeatureRise[],
  baselineDay: string | null,
  calibration: readonly LiveCalibrationRecord[],
): string[] {
  const warnings: string[] = [];
  const drifted = rises
    .filter((d) => d.rise > PSI_THRESHOLDS.major)
    .sort((a, b) => b.rise - a.rise || a.feature.localeCompare(b.feature));
  if (drifted.length > 0) {
    if (baselineDay === null) throw new Error('feature drift rises were given without the baseline day they rise from');
    const named = drifted.map(
      (d) =>
        `${d.feature} (${d.psi.toFixed(3)}, was ${d.baselinePsi === null ? 'not measured' : d.baselinePsi.toFixed(3)})`,
    );
    warnings.push(
      `FeatureDrift: PSI rose by more than ${PSI_THRESHOLDS.major} since ${baselineDay} for ${named.join(', ')}`,
    );
  }
  const serving = calibration.find((c) => c.serving);
  if (serving && calibrationDegraded(serving)) {
    warnings.push(
      `LiveCalibrationDegraded: ${serving.modelVersion} live ECE ${serving.ece!.toFixed(3)} above ${LIVE_CALIBRATION_ALERT.ece} on ${serving.outcomes} outcomes`,
    );
  }
  return warnings;
}
