/** The baselines' logistic regression: known coefficients come back, missing values and dead columns are handled. */
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { BASELINES, baselineInputs, fitBaseline, fitLogistic, predictLogistic, rawCoefficients } from './logistic.ts';
import { rocAuc } from './metrics.ts';
import { mulberry32 as prng } from '../lib/random.ts';

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('fitLogistic', () => {
  it('recovers known coefficients in the inputs own units', () => {
    const random = prng(1);
    const n = 30_000;
    const x: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = 3 + 2 * normal(random);
      const b = random() * 10;
      x.push(a, b);
      labels.push(random() < sigmoid(-1 + 0.8 * a - 0.3 * b) ? 1 : 0);
    }
    const model = fitLogistic({ x, labels, inputs: ['a', 'b'] });
    const { intercept, coefficients } = rawCoefficients(model);
    expect(intercept).toBeCloseTo(-1, 0);
    expect(coefficients[0]).toBeCloseTo(0.8, 1);
    expect(coefficients[1]).toBeCloseTo(-0.3, 1);
  });

  it('imputes missing values at the mean and learns what missingness itself says', () => {
    const random = prng(2);
    const x: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const missing = random() < 0.3;
      const v = normal(random);
      x.push(missing ? Number.NaN : v);
      // Missing rows succeed far more often than any present row would suggest.
      labels.push(random() < (missing ? 0.6 : sigmoid(-2 + v)) ? 1 : 0);
    }
    const model = fitLogistic({ x, labels, inputs: ['v'] });
    expect(model.indicators).toEqual([0]);
    const [present, absent] = predictLogistic(model, [0, Number.NaN]);
    expect(absent).toBeCloseTo(0.6, 1);
    expect(present).toBeLessThan(0.2);
  });

  it('gives a constant or all-missing column no weight and still fits the rest', () => {
    const random = prng(3);
    const x: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = normal(random);
      x.push(v, 5, Number.NaN);
      labels.push(random() < sigmoid(2 * v) ? 1 : 0);
    }
    const model = fitLogistic({ x, labels, inputs: ['v', 'constant', 'absent'] });
    expect(model.coefficients.slice(1)).toEqual([0, 0]);
    expect(model.indicators).toEqual([]);
    const p = predictLogistic(model, [1, 5, Number.NaN, -1, 7, 3]);
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[1]).toBeLessThan(0.2);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => fitLogistic({ x: [1, 2, 3], labels: [0, 1], inputs: ['a', 'b'] })).toThrow(
      /3 values for 2 rows of 2 inputs/,
    );
  });
});

describe('baselines', () => {
  const featureNames = ['level_ordinal', 'age_rel_level', 'draft_pick', 'other'];
  const random = prng(4);
  const n = 4000;
  const matrix = new Float32Array(n * featureNames.length);
  const rows: Dataset['rows'] = [];
  for (let i = 0; i < n; i++) {
    const level = 1 + Math.floor(random() * 7);
    const age = 2 * normal(random);
    const drafted = random() < 0.6;
    const pick = drafted ? 1 + Math.floor(random() * 600) : Number.NaN;
    matrix.set([level, age, pick, random()], i * featureNames.length);
    const z = -4 + 0.5 * level - 0.6 * age + (drafted ? 1.5 - 0.4 * Math.log(pick) : 0);
    rows.push({ playerId: i, asOfSeason: 2015, group: 'hitting', label: random() < sigmoid(z) ? 1 : 0 });
  }
  const dataset: Dataset = { featureNames, rows, matrix };
  const all = rows.map((_, i) => i);
  const labels = rows.map((r) => r.label ?? 0);

  it('turns level into one indicator per level above Rookie, beside age relative to level', () => {
    expect(Array.from(baselineInputs(BASELINES.levelAge, dataset, [0]))).toHaveLength(7);
    const levels = baselineInputs(
      BASELINES.levelAge,
      { featureNames, rows, matrix: Float32Array.from([6, -1.5, 3, 0]) },
      [0],
    );
    expect(Array.from(levels)).toEqual([0, 0, 0, 0, 1, 0, -1.5]);
  });

  it('reads the pick on a log scale and undrafted players as missing', () => {
    const picks = baselineInputs(
      BASELINES.draftPick,
      { featureNames, rows, matrix: Float32Array.from([1, 0, 100, 0, 1, 0, NaN, 0]) },
      [0, 1],
    );
    expect(picks[0]).toBeCloseTo(Math.log(100), 6);
    expect(picks[1]).toBeNaN();
  });

  it('ranks above chance on the signal each one sees', () => {
    for (const spec of [BASELINES.levelAge, BASELINES.draftPick]) {
      const model = fitBaseline(spec, dataset, all);
      expect(rocAuc(labels, predictLogistic(model, baselineInputs(spec, dataset, all)))).toBeGreaterThan(0.6);
    }
  });

  it('names the missing column when a dataset lacks it', () => {
    const bare: Dataset = { featureNames: ['other'], rows: rows.slice(0, 1), matrix: Float32Array.from([1]) };
    expect(() => baselineInputs(BASELINES.draftPick, bare, [0])).toThrow(/no draft_pick column/);
  });
});
