import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booster, DMatrix, parseEvalText, XGBoostError, xgboostVersion, type Params } from './xgboost.ts';
import { mulberry32 as prng } from '../lib/random.ts';

const NCOL = 6;
const PARAMS: Params = {
  objective: 'binary:logistic',
  tree_method: 'hist',
  max_depth: 4,
  eta: 0.3,
  nthread: 2,
  seed: 7,
};

/** Deterministic PRNG (mulberry32) so every run sees the same data. */
/** Rows whose label depends on a few features plus noise; about 5% of cells are missing (NaN). */
function dataset(nrow: number, seed: number, noise = 1): { data: Float32Array; labels: Float32Array } {
  const random = prng(seed);
  const data = new Float32Array(nrow * NCOL);
  const labels = new Float32Array(nrow);
  for (let row = 0; row < nrow; row++) {
    const x = Array.from({ length: NCOL }, () => random() * 2 - 1);
    const logit = 3 * (x[0] ?? 0) - 2 * (x[1] ?? 0) + 2 * (x[2] ?? 0) * (x[3] ?? 0) + noise * (random() * 4 - 2);
    labels[row] = logit > 0 ? 1 : 0;
    x.forEach((value, col) => (data[row * NCOL + col] = random() < 0.05 ? Number.NaN : value));
  }
  return { data, labels };
}

function matrix(nrow: number, seed: number, noise?: number): DMatrix {
  return new DMatrix({ ...dataset(nrow, seed, noise), nrow, ncol: NCOL });
}

/** Probability that a random positive scores above a random negative (ties count half). */
function auc(scores: Float32Array, labels: Float32Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j] ?? 0] === scores[order[i] ?? 0]) j++;
    for (let k = i; k < j; k++) {
      if (labels[order[k] ?? 0] === 1) {
        positives++;
        rankSum += (i + j + 1) / 2;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('XGBoost binding', () => {
  const train = dataset(3000, 1);
  const test = dataset(1000, 2);
  let dtrain: DMatrix;
  let dtest: DMatrix;
  let booster: Booster;
  let dir: string;

  beforeAll(() => {
    dtrain = new DMatrix({ ...train, nrow: 3000, ncol: NCOL });
    dtest = new DMatrix({ ...test, nrow: 1000, ncol: NCOL });
    booster = Booster.train({ train: dtrain, params: PARAMS, rounds: 40 });
    dir = mkdtempSync(join(tmpdir(), 'xgboost-test-'));
  });

  afterAll(() => {
    booster.free();
    dtrain.free();
    dtest.free();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds XGBoost 1.7 or newer', () => {
    const [major = 0, minor = 0] = xgboostVersion().split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(107);
  });

  it('learns a model whose held-out probabilities separate the classes', () => {
    const probabilities = booster.predict(dtest);
    expect(probabilities).toHaveLength(1000);
    expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(auc(probabilities, test.labels)).toBeGreaterThan(0.85);
    expect(booster.numFeatures()).toBe(NCOL);
    expect(booster.boostedRounds()).toBe(40);
  });

  it('predicts identically after a round trip through a .json and a .ubj file', () => {
    const expected = booster.predict(dtest);
    for (const name of ['model.json', 'model.ubj']) {
      booster.saveModel(join(dir, name));
      using loaded = Booster.loadModel(join(dir, name));
      expect(loaded.predict(dtest)).toEqual(expected);
    }
  });

  it('predicts identically after a round trip through toBuffer and fromBuffer', () => {
    const buffer = booster.toBuffer();
    expect(buffer[0]).toBe('{'.charCodeAt(0));
    using restored = Booster.fromBuffer(buffer);
    expect(restored.predict(dtest)).toEqual(booster.predict(dtest));
    using fromJson = Booster.fromBuffer(booster.toBuffer('json'));
    expect(fromJson.predict(dtest)).toEqual(booster.predict(dtest));
  });

  it('gives SHAP contributions that sum, with the bias, to each row margin', () => {
    const margins = booster.predict(dtest, { outputMargin: true });
    const contributions = booster.contributions(dtest);
    expect(contributions).toHaveLength(1000 * (NCOL + 1));
    for (let row = 0; row < 1000; row++) {
      const sum = contributions.subarray(row * (NCOL + 1), (row + 1) * (NCOL + 1)).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (margins[row] ?? Number.NaN))).toBeLessThan(1e-4);
    }
    const { values, bias } = booster.contributionRows(dtest);
    expect(values).toHaveLength(1000);
    expect(values[3]).toEqual(contributions.subarray(3 * (NCOL + 1), 3 * (NCOL + 1) + NCOL));
    expect(bias[3]).toBe(contributions[4 * (NCOL + 1) - 1]);
  });

  it('stops early once validation logloss stops improving and predicts with the best round', () => {
    // Deep trees on noisy labels overfit quickly, so validation logloss turns upward long before 500 rounds.
    using noisyTrain = matrix(1000, 3, 4);
    using noisyValid = matrix(1000, 4, 4);
    const seen: number[] = [];
    using stopped = Booster.train({
      train: noisyTrain,
      params: { ...PARAMS, max_depth: 8, eta: 0.5, eval_metric: ['auc', 'logloss'] },
      rounds: 500,
      evals: [
        { name: 'train', dmatrix: noisyTrain },
        { name: 'valid', dmatrix: noisyValid },
      ],
      earlyStoppingRounds: 10,
      onIteration: (iteration, text, scores) => {
        seen.push(iteration);
        expect(text).toMatch(new RegExp(`^\\[${iteration}\\]\\ttrain-auc:`));
        expect([...scores.keys()]).toEqual(['train-auc', 'train-logloss', 'valid-auc', 'valid-logloss']);
      },
    });
    const rounds = stopped.boostedRounds();
    expect(rounds).toBeLessThan(500);
    expect(seen).toHaveLength(rounds);
    expect(stopped.bestIteration).toBe(rounds - 1 - 10);
    expect(stopped.bestScore).toBeGreaterThan(0);
    const best = stopped.predict(noisyValid, { iterationEnd: (stopped.bestIteration ?? 0) + 1 });
    expect(stopped.predict(noisyValid)).toEqual(best);
    expect(stopped.predict(noisyValid, { iterationEnd: rounds })).not.toEqual(best);
    using reloaded = Booster.fromBuffer(stopped.toBuffer());
    expect(reloaded.bestIteration).toBe(stopped.bestIteration);
    expect(reloaded.predict(noisyValid)).toEqual(best);
  });

  it('lets the event loop run between rounds when training asynchronously', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    using trained = await Booster.trainAsync({ train: dtrain, params: PARAMS, rounds: 40 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(trained.predict(dtest)).toEqual(booster.predict(dtest));
  });

  it('rejects matrices whose data or labels do not match their shape', () => {
    expect(() => new DMatrix({ data: new Float32Array(11), nrow: 4, ncol: 3 })).toThrow(
      'DMatrix data has 11 values but nrow * ncol = 4 * 3 = 12.',
    );
    expect(() => new DMatrix({ data: new Float32Array(12), nrow: 4, ncol: 3, labels: [1, 0, 1] })).toThrow(
      'DMatrix labels has 3 values but the matrix has 4 rows.',
    );
    expect(() => new DMatrix({ data: new Float32Array(12), nrow: 0, ncol: 3 })).toThrow(
      'DMatrix nrow must be a positive integer, got 0.',
    );
  });

  it('rejects training options that cannot work before touching XGBoost', () => {
    expect(() => Booster.train({ train: dtrain, params: PARAMS, rounds: 0 })).toThrow(
      'Booster.train rounds must be a positive integer, got 0.',
    );
    expect(() => Booster.train({ train: dtrain, params: PARAMS, rounds: 5, earlyStoppingRounds: 3 })).toThrow(
      'Booster.train earlyStoppingRounds needs at least one entry in evals.',
    );
  });

  it("surfaces XGBoost's own message for an invalid parameter", () => {
    const call = () => Booster.train({ train: dtrain, params: { objective: 'nonsense' }, rounds: 1 });
    expect(call).toThrow(XGBoostError);
    expect(call).toThrow(/XGBoosterUpdateOneIter: .*Unknown objective function: `nonsense`/);
  });

  it('refuses to use a freed handle and frees idempotently', () => {
    const scratch = matrix(10, 5);
    scratch.free();
    scratch.free();
    expect(() => booster.predict(scratch)).toThrow('DMatrix was already freed.');
  });

  it('parses eval text into named scores in order', () => {
    expect([...parseEvalText('[3]\ttrain-logloss:0.41\tvalid-ndcg@5:0.9')]).toEqual([
      ['train-logloss', 0.41],
      ['valid-ndcg@5', 0.9],
    ]);
  });
});
