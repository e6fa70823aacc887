import { describe, expect, it } from 'vitest';
import { brier, logLoss, prAuc, rocAuc } from './metrics.ts';

describe('metrics', () => {
  it('gives a perfect ranking an AUC of 1 and a reversed one 0', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('counts ties as half a correct pair', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    // pairs (p, n): (0.9 vs 0.1) right, (0.9 vs 0.9) tie, (0.4 vs 0.1) right, (0.4 vs 0.9) wrong.
    expect(rocAuc([1, 1, 0, 0], [0.9, 0.4, 0.1, 0.9])).toBeCloseTo(2.5 / 4);
  });

  it('returns NaN when one class is missing, instead of a misleading number', () => {
    expect(rocAuc([0, 0], [0.1, 0.2])).toBeNaN();
    expect(prAuc([0, 0], [0.1, 0.2])).toBeNaN();
  });

  it('computes average precision step-wise', () => {
    // ranked: 1 (p=1/1), 0, 1 (p=2/3) -> (1 + 2/3) / 2
    expect(prAuc([1, 0, 1], [0.9, 0.8, 0.7])).toBeCloseTo((1 + 2 / 3) / 2);
  });

  it('scores calibration with Brier and log loss', () => {
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([1, 0], [0.5, 0.5])).toBeCloseTo(0.25);
    expect(logLoss([1, 0], [0.5, 0.5])).toBeCloseTo(Math.log(2));
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });
});
