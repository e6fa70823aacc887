/**
 * One day's model monitoring from plain inputs: PSI of every feature of the serving model between its training rows
 * and the day's scoring rows, live calibration of every model with known outcomes, and the warnings of the
 * thresholds the alerts use. Pure: the monitoring activity reads the rows and stores the result.
 */
import type { FeatureDriftRecord, KnownOutcome, LiveCalibrationRecord } from '../db/monitoring.ts';
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
      const r = featurePsi(columnOf(training.dataset, feature, training.rows), columnOf(scoring.dataset, feature, scoring.rows));
      return { feature, psi: r.psi, binning: r.binning, trainingMissing: r.trainingMissing, scoringMissing: r.scoringMissing, bins: r.bins };
    })
    .sort((a, b) => b.psi - a.psi || a.feature.localeCompare(b.feature));
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
    const base = { modelVersion, serving: modelVersion === servingModel, outcomes: c.outcomes, positives: c.positives, asOfSeasons };
    return c.status === 'measured'
      ? { ...base, status: c.status, reason: null, ece: c.ece, brier: c.brier, auc: c.auc, reliability: c.reliability }
      : { ...base, status: c.status, reason: c.reason, ece: null, brier: null, auc: null, reliability: null };
  });
}

/** One line per threshold the alerts watch that the day crosses (FeatureDrift, LiveCalibrationDegraded). */
export function thresholdWarnings(drift: readonly FeatureDriftRecord[], calibration: readonly LiveCalibrationRecord[]): string[] {
  const warnings: string[] = [];
  const drifted = drift.filter((d) => d.psi > PSI_THRESHOLDS.major);
  if (drifted.length > 0) {
    warnings.push(`FeatureDrift: PSI above ${PSI_THRESHOLDS.major} for ${drifted.map((d) => `${d.feature} (${d.psi.toFixed(3)})`).join(', ')}`);
  }
  const serving = calibration.find((c) => c.serving);
  if (serving && calibrationDegraded(serving)) {
    warnings.push(
      `LiveCalibrationDegraded: ${serving.modelVersion} live ECE ${serving.ece!.toFixed(3)} above ${LIVE_CALIBRATION_ALERT.ece} on ${serving.outcomes} outcomes`,
    );
  }
  return warnings;
}
