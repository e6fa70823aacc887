/**
 * Live calibration on known cases: a hand-computed ECE, calibrated and miscalibrated synthetic outcomes, equal-count
 * bins, AUC only with both classes, the not-enough-data floor and the alert rule.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/random.ts';
import {
  calibrationDegraded,
  equalCountReliability,
  expectedCalibrationError,
  LIVE_CALIBRATION_ALERT,
  liveCalibration,
  MIN_LIVE_OUTCOMES,
  type Outcome,
} from './live-calibration.ts';

/** Outcomes whose true success rate is `truth(p)` for a prediction p drawn from a skewed, prospect-like distribution. */
function synthetic(n: number, seed: number, truth: (p: number) => number): Outcome[] {
  const u = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const probability = u() ** 3; // most near 0, a few high, like a rare outcome
    return { probability, label: u() < truth(probability) ? 1 : 0 };
  });
}

describe('liveCalibration', () => {
  it('computes ECE, Brier, AUC and the reliability table by hand on a small case', () => {
    const outcomes = [
      { probability: 0.1, label: 0 },
      { probability: 0.1, label: 0 },
      { probability: 0.2, label: 1 },
      { probability: 0.2, label: 0 },
      { probability: 0.7, label: 1 },
      { probability: 0.9, label: 1 },
    ];
    const result = liveCalibration(outcomes, { minOutcomes: 1, bins: 3 });
    expect(result.status).toBe('measured');
    if (result.status !== 'measured') return;
    expect(result.reliability).toEqual([
      { from: 0.1, to: 0.1, predicted: 0.1, observed: 0, count: 2 },
      { from: 0.2, to: 0.2, predicted: expect.closeTo(0.2, 12), observed: 0.5, count: 2 },
      { from: 0.7, to: 0.9, predicted: expect.closeTo(0.8, 12), observed: 1, count: 2 },
    ]);
    // (1/3)(0.1) + (1/3)(0.3) + (1/3)(0.2) = 0.2
    expect(result.ece).toBeCloseTo(0.2, 12);
    expect(result.brier).toBeCloseTo((0.01 + 0.01 + 0.64 + 0.04 + 0.09 + 0.01) / 6, 12);
    // Positives at 0.2, 0.7, 0.9 against negatives 0.1, 0.1, 0.2: 8 wins and one tie of 9 pairs.
    expect(result.auc).toBeCloseTo(8.5 / 9, 12);
    expect(result.outcomes).toBe(6);
    expect(result.positives).toBe(3);
  });

  it('finds a calibrated model calibrated and an over-confident one off by its offset', () => {
    const calibrated = liveCalibration(synthetic(20_000, 1, (p) => p));
    const overConfident = liveCalibration(synthetic(20_000, 2, (p) => p * 0.6));
    if (calibrated.status !== 'measured' || overConfident.status !== 'measured') throw new Error('expected measured');
    expect(calibrated.ece).toBeLessThan(0.01);
    // Observed 0.6 p where p is predicted: the ECE is 0.4 E[p] = 0.4 x 1/4.
    expect(overConfident.ece).toBeCloseTo(0.1, 2);
    expect(calibrationDegraded(overConfident)).toBe(true);
    expect(calibrationDegraded(calibrated)).toBe(false);
    // Both rank well: the AUC does not see calibration.
    expect(calibrated.auc).toBeGreaterThan(0.75);
    expect(overConfident.auc).toBeGreaterThan(0.75);
  });

  it('cuts equal-count bins whose sizes differ by at most one', () => {
    const table = equalCountReliability(synthetic(1_003, 3, (p) => p));
    expect(table).toHaveLength(10);
    expect(table.map((b) => b.count).sort()).toEqual([100, 100, 100, 100, 100, 100, 100, 101, 101, 101]);
    for (let i = 1; i < table.length; i++) expect(table[i]!.from).toBeGreaterThanOrEqual(table[i - 1]!.to);
    expect(equalCountReliability([{ probability: 0.5, label: 1 }])).toHaveLength(1);
  });

  it('gives no AUC while every outcome is of one class', () => {
    const result = liveCalibration(Array.from({ length: 60 }, (_, i) => ({ probability: i / 100, label: 0 })));
    expect(result).toMatchObject({ status: 'measured', auc: null, positives: 0 });
  });

  it('says not enough data below the floor, with the count', () => {
    expect(liveCalibration([])).toEqual({
      status: 'not-enough-data',
      outcomes: 0,
      positives: 0,
      reason: `0 known outcomes; live calibration needs at least ${MIN_LIVE_OUTCOMES}`,
    });
    const few = liveCalibration([{ probability: 0.3, label: 1 }]);
    expect(few).toMatchObject({ status: 'not-enough-data', outcomes: 1, positives: 1 });
    expect(calibrationDegraded(few)).toBe(false);
  });

  it('alerts only with enough outcomes behind the error', () => {
    const offBy = (outcomes: number) =>
      liveCalibration(Array.from({ length: outcomes }, (_, i) => ({ probability: 0.5, label: i % 10 === 0 ? 1 : 0 })));
    expect(calibrationDegraded(offBy(LIVE_CALIBRATION_ALERT.minOutcomes - 1))).toBe(false);
    expect(calibrationDegraded(offBy(LIVE_CALIBRATION_ALERT.minOutcomes))).toBe(true);
  });

  it('refuses probabilities or labels out of range', () => {
    expect(() => liveCalibration([{ probability: 1.2, label: 1 }])).toThrow(/outcome 0: probability/);
    expect(() => liveCalibration([{ probability: NaN, label: 1 }])).toThrow(/probability/);
    expect(() => liveCalibration([{ probability: 0.2, label: 2 }])).toThrow(/label must be 0 or 1/);
    expect(() => expectedCalibrationError([])).toThrow(/at least one outcome/);
  });
});
