/**
 * Live calibration: how a model's stored predictions fared once their outcomes became known (a cohort is labelled
 * all at once, four seasons after its as-of season; training/labels.ts). Expected calibration error over
 * equal-count bins, Brier score, a reliability table, and ROC AUC when both outcomes are present.
 */
import { brier, rocAuc } from '../training/metrics.ts';

/** Below this many outcomes the figures are noise: recorded as not enough data, with the count. */
export const MIN_LIVE_OUTCOMES = 50;

/** The alert's thresholds (metrics contract): live ECE above 0.08 once at least 200 outcomes back it. */
export const LIVE_CALIBRATION_ALERT = { ece: 0.08, minOutcomes: 200 } as const;

/** Equal-count bins of the reliability table and the ECE (fewer when there are fewer outcomes). */
export const CALIBRATION_BINS = 10;

export interface Outcome {
  /** The calibrated probability the model stored. */
  probability: number;
  /** What happened: 1 success, 0 not. */
  label: number;
}

/**
 * One bin of live calibration's equal-count reliability table. Unlike training/calibration.ts's ReliabilityBin (fixed
 * tenths of [0, 1], `from` inclusive and `to` exclusive), the bins hold equal numbers of outcomes, and `from` and `to`
 * are the lowest and highest predicted probability actually in the bin (both inclusive; bins may touch).
 */
export interface LiveReliabilityBin {
  /** Lowest predicted probability in the bin (inclusive). */
  from: number;
  /** Highest predicted probability in the bin (inclusive). */
  to: number;
  /** Mean predicted probability and observed success rate. */
  predicted: number;
  observed: number;
  count: number;
}

export type LiveCalibration =
  | { status: 'not-enough-data'; outcomes: number; positives: number; reason: string }
  | {
      status: 'measured';
      outcomes: number;
      positives: number;
      /** Expected calibration error: sum over bins of (share of outcomes) x |mean predicted - observed rate|. */
      ece: number;
      brier: number;
      /** Null while only one class is present. */
      auc: number | null;
      reliability: LiveReliabilityBin[];
    };

function validate(outcomes: readonly Outcome[]): void {
  outcomes.forEach((o, i) => {
    if (!(o.probability >= 0 && o.probability <= 1))
      throw new Error(`outcome ${i}: probability must be in [0, 1], got ${o.probability}`);
    if (o.label !== 0 && o.label !== 1) throw new Error(`outcome ${i}: label must be 0 or 1, got ${o.label}`);
  });
}

/**
 * Equal-count bins by predicted probability: sorted, then cut into `bins` runs of n/bins outcomes (sizes differ by
 * at most one). Equal-width bins would leave the upper bins of a rare outcome nearly empty.
 */
export function equalCountReliability(outcomes: readonly Outcome[], bins = CALIBRATION_BINS): LiveReliabilityBin[] {
  validate(outcomes);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  const sorted = [...outcomes].sort((a, b) => a.probability - b.probability);
  const n = sorted.length;
  const k = Math.min(bins, n);
  const table: LiveReliabilityBin[] = [];
  for (let b = 0; b < k; b++) {
    const slice = sorted.slice(Math.floor((b * n) / k), Math.floor(((b + 1) * n) / k));
    let p = 0;
    let y = 0;
    for (const o of slice) {
      p += o.probability;
      y += o.label;
    }
    table.push({
      from: slice[0]!.probability,
      to: slice.at(-1)!.probability,
      predicted: p / slice.length,
      observed: y / slice.length,
      count: slice.length,
    });
  }
  return table;
}

/** Expected calibration error of a reliability table. */
export function expectedCalibrationError(table: readonly LiveReliabilityBin[]): number {
  const total = table.reduce((s, b) => s + b.count, 0);
  if (total === 0) throw new Error('the calibration error needs at least one outcome');
  return table.reduce((s, b) => s + (b.count / total) * Math.abs(b.predicted - b.observed), 0);
}

/** Live calibration of one model's predictions whose outcomes are known; not enough data below `minOutcomes`. */
export function liveCalibration(
  outcomes: readonly Outcome[],
  options: { minOutcomes?: number; bins?: number } = {},
): LiveCalibration {
  validate(outcomes);
  const minOutcomes = options.minOutcomes ?? MIN_LIVE_OUTCOMES;
  const positives = outcomes.reduce((s, o) => s + o.label, 0);
  if (outcomes.length < minOutcomes) {
    return {
      status: 'not-enough-data',
      outcomes: outcomes.length,
      positives,
      reason: `${outcomes.length} known outcome${outcomes.length === 1 ? '' : 's'}; live calibration needs at least ${minOutcomes}`,
    };
  }
  const reliability = equalCountReliability(outcomes, options.bins);
  const labels = outcomes.map((o) => o.label);
  const probabilities = outcomes.map((o) => o.probability);
  const auc = rocAuc(labels, probabilities);
  return {
    status: 'measured',
    outcomes: outcomes.length,
    positives,
    ece: expectedCalibrationError(reliability),
    brier: brier(labels, probabilities),
    auc: Number.isNaN(auc) ? null : auc,
    reliability,
  };
}

/** Whether a measured live calibration crosses the alert threshold (enough outcomes and too large an error). */
export function calibrationDegraded(c: {
  status: LiveCalibration['status'];
  outcomes: number;
  ece?: number | null;
}): boolean {
  return (
    c.status === 'measured' &&
    c.outcomes >= LIVE_CALIBRATION_ALERT.minOutcomes &&
    typeof c.ece === 'number' &&
    c.ece > LIVE_CALIBRATION_ALERT.ece
  );
}
