import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/random.ts';
import { bootstrapDifferences, bootstrapIntervals, quantile } from './bootstrap.ts';
import { brier, rocAuc } from './metrics.ts';

/** 400 rows whose label follows the score with noise: a model with a true AUC well inside (0.5, 1). */
function noisyRows(n = 400, seed = 3) {
  const random = mulberry32(seed);
  const labels: number[] = [];
  const good: number[] = [];
  const coin: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = random() * 0.6;
    labels.push(random() < p ? 1 : 0);
    good.push(p);
    coin.push(random() * 0.6);
  }
  return { labels, good, coin, players: labels.map((_, i) => i) };
}

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('bootstrapIntervals', () => {
  const { labels, good, coin, players } = noisyRows();
  const ci = bootstrapIntervals(labels, { good, coin }, players, { reps: 300, seed: 9 });

  it('brackets the full-sample score, and a useful model sits above chance while a coin flip covers 0.5', () => {
    const auc = rocAuc(labels, good);
    expect(ci.good.rocAuc.low).toBeLessThan(auc);
    expect(ci.good.rocAuc.high).toBeGreaterThan(auc);
    expect(ci.good.rocAuc.low).toBeGreaterThan(0.6);
    expect(ci.coin.rocAuc.low).toBeLessThan(0.5);
    expect(ci.coin.rocAuc.high).toBeGreaterThan(0.5);
    const b = brier(labels, good);
    expect(ci.good.brier.low).toBeLessThan(b);
    expect(ci.good.brier.high).toBeGreaterThan(b);
    expect(ci.good.prAuc.high).toBeGreaterThan(ci.good.prAuc.low);
  });

  it('is reproducible from its seed and changes with it', () => {
    expect(bootstrapIntervals(labels, { good }, players, { reps: 300, seed: 9 }).good).toEqual(ci.good);
    expect(bootstrapIntervals(labels, { good }, players, { reps: 300, seed: 10 }).good.rocAuc).not.toEqual(
      ci.good.rocAuc,
    );
  });

  it('resamples whole players: one player repeated in every row leaves no spread', () => {
    const same = bootstrapIntervals([0, 1, 0, 1], { m: [0.2, 0.8, 0.3, 0.6] }, [7, 7, 7, 7], { reps: 50 });
    expect(same.m.rocAuc.low).toBe(same.m.rocAuc.high);
    expect(same.m.brier.low).toBeCloseTo(brier([0, 1, 0, 1], [0.2, 0.8, 0.3, 0.6]), 12);
  });

  it('gives no interval when most resamples miss an outcome, and refuses mismatched inputs', () => {
    const rare = bootstrapIntervals(
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      { m: Array.from({ length: 30 }, (_, i) => i / 30) },
      Array.from({ length: 30 }, (_, i) => i),
      { reps: 200 },
    );
    expect(rare.m.rocAuc.low).toBeNaN();
    expect(Number.isFinite(rare.m.brier.low)).toBe(true);
    expect(() => bootstrapIntervals([0, 1], { m: [0.1] }, [1, 2])).toThrow(/1 predictions for 2 rows/);
    expect(() => bootstrapIntervals([0, 1], { m: [0.1, 0.2] }, [1])).toThrow(/1 cluster ids/);
    expect(() => bootstrapIntervals([0, 1], { m: [0.1, 0.2] }, [1, 2], { reps: 0 })).toThrow(/reps/);
  });
});

describe('bootstrapDifferences', () => {
  const { labels, good, coin, players } = noisyRows();

  it("puts a clearly better model's AUC gain above zero, and a model against itself at exactly zero", () => {
    const d = bootstrapDifferences(labels, good, coin, players, { reps: 300, seed: 2 });
    expect(d.point.rocAuc).toBeCloseTo(rocAuc(labels, good) - rocAuc(labels, coin), 12);
    expect(d.rocAuc.low).toBeGreaterThan(0);
    expect(d.brier.high).toBeLessThan(0);
    const same = bootstrapDifferences(labels, good, good, players, { reps: 50 });
    expect([same.rocAuc.low, same.rocAuc.high, same.brier.low, same.brier.high]).toEqual([0, 0, 0, 0]);
  });

  it('refuses inputs of different lengths', () => {
    expect(() => bootstrapDifferences([0, 1], [0.1, 0.2], [0.3], [1, 2])).toThrow(/2 labels, 2 and 1 predictions/);
  });
});
