/** Isotonic and Platt calibration, the rule that picks between them, and the reliability table. */
import { describe, expect, it } from 'vitest';
import {
  applyCalibrator,
  calibrateAll,
  chooseCalibratorKind,
  fitCalibrator,
  ISOTONIC_MIN_POSITIVES,
  poolAdjacentViolators,
  reliabilityTable,
} from './calibration.ts';
import { brier } from './metrics.ts';
import { mulberry32 as prng } from '../lib/random.ts';

/** Deterministic uniform [0, 1) generator (mulberry32). */
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** Raw scores of a model that is overconfident and too optimistic: true p = sigmoid(0.5 * logit(raw) - 1.5). */
function miscalibrated(n: number, seed: number): { raw: number[]; labels: number[] } {
  const random = prng(seed);
  const raw: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = 0.01 + 0.98 * random();
    raw.push(p);
    labels.push(random() < sigmoid(0.5 * logit(p) - 1.5) ? 1 : 0);
  }
  return { raw, labels };
}

describe('poolAdjacentViolators', () => {
  it('pools violating neighbours into their weighted mean', () => {
    const blocks = [1, 3, 2, 4].map((v, i) => ({ sum: v, weight: 1, xMin: i, xMax: i }));
    const pooled = poolAdjacentViolators(blocks);
    expect(pooled.map((b) => b.sum / b.weight)).toEqual([1, 2.5, 4]);
    expect(pooled[1]).toMatchObject({ xMin: 1, xMax: 2, weight: 2 });
  });

  it('gives a non-decreasing map that never reaches 0 or 1', () => {
    const { raw, labels } = miscalibrated(5000, 1);
    const cal = fitCalibrator('isotonic', raw, labels);
    expect(cal.kind).toBe('isotonic');
    const grid = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const out = grid.map((p) => applyCalibrator(cal, p));
    out.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(out[i]!));
    expect(Math.min(...out)).toBeGreaterThan(0);
    expect(Math.max(...out)).toBeLessThan(1);
  });
});

describe('fitCalibrator', () => {
  it('recovers the line of a known logistic miscalibration with Platt scaling', () => {
    const { raw, labels } = miscalibrated(40_000, 2);
    const cal = fitCalibrator('platt', raw, labels);
    expect(cal).toMatchObject({ kind: 'platt' });
    if (cal.kind !== 'platt') return;
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-1.5, 1);
  });

  it('improves the Brier score of a miscalibrated model on rows it was not fitted on', () => {
    const fit = miscalibrated(8000, 3);
    const held = miscalibrated(8000, 4);
    const rawBrier = brier(held.labels, held.raw);
    for (const kind of ['isotonic', 'platt'] as const) {
      const cal = fitCalibrator(kind, fit.raw, fit.labels);
      expect(brier(held.labels, calibrateAll(cal, held.raw))).toBeLessThan(rawBrier * 0.8);
    }
  });

  it('picks isotonic from ISOTONIC_MIN_POSITIVES positives on, Platt below', () => {
    const labels = (positives: number) =>
      Array.from({ length: 3 * ISOTONIC_MIN_POSITIVES }, (_, i) => (i < positives ? 1 : 0));
    expect(chooseCalibratorKind(labels(ISOTONIC_MIN_POSITIVES - 1))).toBe('platt');
    expect(chooseCalibratorKind(labels(ISOTONIC_MIN_POSITIVES))).toBe('isotonic');
    const few = labels(10);
    expect(
      fitCalibrator(
        'auto',
        few.map((_, i) => i / few.length),
        few,
      ).kind,
    ).toBe('platt');
  });

  it('survives a JSON round trip unchanged', () => {
    const { raw, labels } = miscalibrated(2000, 5);
    for (const kind of ['isotonic', 'platt'] as const) {
      const cal = fitCalibrator(kind, raw, labels);
      const copy = JSON.parse(JSON.stringify(cal)) as typeof cal;
      expect(raw.map((p) => applyCalibrator(copy, p))).toEqual(raw.map((p) => applyCalibrator(cal, p)));
    }
  });

  it('interpolates between isotonic knots and stays flat beyond them', () => {
    const cal = { kind: 'isotonic' as const, x: [0.2, 0.4], y: [0.1, 0.3] };
    expect(applyCalibrator(cal, 0.1)).toBe(0.1);
    expect(applyCalibrator(cal, 0.3)).toBeCloseTo(0.2, 12);
    expect(applyCalibrator(cal, 0.9)).toBe(0.3);
  });

  it('refuses a cohort with a single outcome or mismatched lengths', () => {
    expect(() => fitCalibrator('auto', [0.1, 0.2], [0, 0])).toThrow(/both outcomes.*0 positives out of 2/);
    expect(() => fitCalibrator('platt', [0.1], [0, 1])).toThrow(/1 probabilities but 2 labels/);
  });
});

describe('reliabilityTable', () => {
  it('bins by fixed width, leaves empty bins out and counts every row', () => {
    const probabilities = [0.05, 0.05, 0.15, 0.95, 1];
    const labels = [0, 1, 0, 1, 1];
    const table = reliabilityTable(probabilities, labels, 10);
    expect(table.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 0.1, 2],
      [0.1, 0.2, 1],
      [0.9, 1, 2],
    ]);
    expect(table[0]).toMatchObject({ predicted: 0.05, observed: 0.5 });
    expect(table[2]).toMatchObject({ predicted: 0.975, observed: 1 });
  });
});
