/**
 * The challenger: a small multilayer perceptron (TensorFlow.js on its WebAssembly backend) on the champion's
 * features, early-stopped on the validation cohort (log loss, or AUC when class-weighted) and calibrated like the champion.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { calibrateAll, fitCalibrator, type Calibrator, type CalibratorKind } from './calibration.ts';
import type { Dataset } from './dataset.ts';
import { logLoss, rocAuc, score, type Scores } from './metrics.ts';
import {
  DEFAULT_CLASS_WEIGHTING,
  labelsOf,
  requireBothOutcomes,
  rowsOf,
  scalePosWeight,
  takeRows,
  type ClassWeighting,
} from './model.ts';
import { mulberry32 as prng } from '../lib/random.ts';

let backend: Promise<void> | undefined;

/** Selects tfjs's wasm backend once per process, loading its .wasm files from the installed package. */
export function useWasmBackend(): Promise<void> {
  backend ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${path.dirname(entry)}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) {
      throw new PrerequisiteError(
        `TensorFlow.js could not start its wasm backend from ${path.dirname(entry)}: reinstall @tensorflow/tfjs-backend-wasm.`,
      );
    }
    await tf.ready();
  })();
  return backend;
}

export interface MlpOptions {
  dataset: Dataset;
  trainSeasons: readonly number[];
  validationSeason: number;
  /** @default [64, 32] */
  hidden?: readonly number[];
  /** Share of hidden units dropped during training. @default 0.2 */
  dropout?: number;
  /** Adam's step size. @default 0.002 */
  learningRate?: number;
  /** @default 512 */
  batchSize?: number;
  /** @default 30 */
  maxEpochs?: number;
  /** Stop after this many epochs without a better validation score (as the champion: log loss, AUC if weighted). @default 4 */
  patience?: number;
  /** Weight decay on the kernels. @default 1e-4 */
  l2?: number;
  /** @default DEFAULT_CLASS_WEIGHTING, as the champion */
  classWeighting?: ClassWeighting;
  /** @default 'auto' */
  calibration?: CalibratorKind | 'auto';
  /** Seeds initialisation, shuffling and dropout. @default 7 */
  seed?: number;
  onEpoch?: (epoch: number, validation: { rocAuc: number; logLoss: number }) => void;
}

/** Everything needed to rebuild the network: JSON-serialisable. */
export interface MlpWeights {
  featureNames: string[];
  /** Training mean and sd of each feature (sd 1 where constant). */
  means: number[];
  sds: number[];
  /** One missing-value indicator per group of features sharing a missing pattern in training, read from its first column. */
  indicators: number[];
  layers: { inputs: number; outputs: number; kernel: number[]; bias: number[] }[];
  calibrator: Calibrator;
}

export interface MlpMetrics {
  trainRows: number;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  validationRaw: Scores;
  validation: Scores;
}

export interface Mlp {
  weights: MlpWeights;
  metrics?: MlpMetrics;
  /** Calibrated probabilities of the rows of a row-major matrix in `weights.featureNames` order. */
  predict(matrix: Float32Array): Float64Array;
}

/** z-scores clipped to ±5 (career totals and pick numbers have long tails), missing = 0 = the mean, then indicators. */
function inputsOf(
  w: Pick<MlpWeights, 'means' | 'sds' | 'indicators'>,
  matrix: Float32Array,
): { data: Float32Array; nrow: number; ncol: number } {
  const k = w.means.length;
  const nrow = matrix.length / k;
  if (!Number.isInteger(nrow))
    throw new RangeError(`MLP input has ${matrix.length} values, not rows of ${k} features.`);
  const ncol = k + w.indicators.length;
  const data = new Float32Array(nrow * ncol);
  for (let i = 0; i < nrow; i++) {
    for (let j = 0; j < k; j++) {
      const v = matrix[i * k + j]!;
      data[i * ncol + j] = Number.isNaN(v) ? 0 : Math.max(-5, Math.min(5, (v - w.means[j]!) / w.sds[j]!));
    }
    w.indicators.forEach((j, m) => (data[i * ncol + k + m] = Number.isNaN(matrix[i * k + j]!) ? 1 : 0));
  }
  return { data, nrow, ncol };
}

function standardisation(matrix: Float32Array, k: number): Pick<MlpWeights, 'means' | 'sds' | 'indicators'> {
  const n = matrix.length / k;
  const means: number[] = [];
  const sds: number[] = [];
  const patterns = new Map<string, number>();
  for (let j = 0; j < k; j++) {
    let [count, sum, sumSq] = [0, 0, 0];
    const missing: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = matrix[i * k + j]!;
      if (Number.isNaN(v)) missing.push(i);
      else [count, sum, sumSq] = [count + 1, sum + v, sumSq + v * v];
    }
    const mean = count > 0 ? sum / count : 0;
    const sd = count > 1 ? Math.sqrt(Math.max(0, sumSq / count - mean * mean)) : 0;
    means.push(mean);
    sds.push(sd > 1e-9 ? sd : 1);
    // Hitting columns are missing together for every pitcher: one indicator per pattern, not sixty.
    if (missing.length > 0 && missing.length < n && !patterns.has(missing.join())) patterns.set(missing.join(), j);
  }
  return { means, sds, indicators: [...patterns.values()] };
}

/** Deterministic uniform [0, 1) generator (mulberry32). */
interface Layer {
  kernel: tf.Tensor;
  bias: tf.Tensor;
}

/** Logits of `x`; dropout only when a seed is given (training). */
function forward(layers: readonly Layer[], x: tf.Tensor2D, dropout: number, seed?: number): tf.Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, layer.kernel as tf.Tensor2D), layer.bias);
    if (i < layers.length - 1) {
      h = tf.relu(h);
      if (seed !== undefined && dropout > 0) h = tf.dropout(h, dropout, undefined, seed + i) as tf.Tensor2D;
    }
  });
  return h;
}

function logitsToProbabilities(layers: readonly Layer[], x: tf.Tensor2D): Float32Array {
  return tf.tidy(() => tf.sigmoid(forward(layers, x, 0)).dataSync() as Float32Array);
}

/** Rebuilds a trained network from its weights. */
export async function loadMlp(weights: MlpWeights, metrics?: MlpMetrics): Promise<Mlp> {
  await useWasmBackend();
  const predict = (matrix: Float32Array): Float64Array => {
    const { data, nrow, ncol } = inputsOf(weights, matrix);
    if (nrow === 0) return new Float64Array(0);
    const raw = tf.tidy(() => {
      const layers = weights.layers.map((l) => ({
        kernel: tf.tensor2d(l.kernel, [l.inputs, l.outputs]),
        bias: tf.tensor1d(l.bias),
      }));
      return tf.sigmoid(forward(layers, tf.tensor2d(data, [nrow, ncol]), 0)).dataSync() as Float32Array;
    });
    return calibrateAll(weights.calibrator, raw);
  };
  return { weights, ...(metrics ? { metrics } : {}), predict };
}

export async function trainMlp(options: MlpOptions): Promise<Mlp> {
  await useWasmBackend();
  const { dataset, trainSeasons, validationSeason } = options;
  const {
    hidden = [64, 32],
    dropout = 0.2,
    learningRate = 0.002,
    batchSize = 512,
    maxEpochs = 30,
    patience = 4,
  } = options;
  const { l2 = 1e-4, seed = 7 } = options;
  const k = dataset.featureNames.length;
  const trainIdx = rowsOf(dataset, trainSeasons);
  const validIdx = rowsOf(dataset, [validationSeason]);
  const trainLabels = labelsOf(dataset, trainIdx);
  const validLabels = labelsOf(dataset, validIdx);
  const positives = requireBothOutcomes(`MLP training seasons ${trainSeasons.join(', ')}`, trainLabels);
  requireBothOutcomes(`MLP validation season ${validationSeason}`, validLabels);
  const trainMatrix = takeRows(dataset, trainIdx);
  const prep = standardisation(trainMatrix, k);
  const train = inputsOf(prep, trainMatrix);
  const valid = inputsOf(prep, takeRows(dataset, validIdx));
  const spw = scalePosWeight(options.classWeighting ?? DEFAULT_CLASS_WEIGHTING, positives, trainIdx.length - positives);
  const random = prng(seed);
  const started = performance.now();

  const sizes = [train.ncol, ...hidden, 1];
  const baseRate = (positives * spw) / (positives * spw + trainIdx.length - positives);
  const layers = sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i]!;
    // He initialisation for ReLU layers; the output bias starts at the base rate's log-odds so early epochs learn ranking.
    const kernel = tf.variable(tf.randomNormal([inputs, outputs], 0, Math.sqrt(2 / inputs), 'float32', seed + i));
    const bias = tf.variable(
      i === hidden.length ? tf.fill([outputs], Math.log(baseRate / (1 - baseRate))) : tf.zeros([outputs]),
    );
    return { kernel, bias };
  });
  const variables = layers.flatMap((l) => [l.kernel, l.bias]);
  const optimizer = tf.train.adam(learningRate);
  const xTrain = tf.tensor2d(train.data, [train.nrow, train.ncol]);
  const yTrain = tf.tensor2d(trainLabels, [train.nrow, 1]);
  const wTrain = tf.tensor2d(
    Float32Array.from(trainLabels, (y) => (y === 1 ? spw : 1)),
    [train.nrow, 1],
  );
  const xValid = tf.tensor2d(valid.data, [valid.nrow, valid.ncol]);
  let best = { score: -Infinity, epoch: -1, values: variables.map((v) => v.arraySync()) };
  let epoch = 0;
  let step = 0;
  try {
    for (; epoch < maxEpochs && epoch - best.epoch <= patience; epoch++) {
      const order = Int32Array.from({ length: train.nrow }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.subarray(start, Math.min(order.length, start + batchSize));
        const dropSeed = seed * 7919 + step++;
        tf.tidy(() => {
          const indexes = tf.tensor1d(batch, 'int32');
          const [x, y, w] = [tf.gather(xTrain, indexes), tf.gather(yTrain, indexes), tf.gather(wTrain, indexes)];
          optimizer.minimize(
            () => {
              const losses = tf.losses.sigmoidCrossEntropy(
                y,
                forward(layers, x, dropout, dropSeed),
                undefined,
                0,
                tf.Reduction.NONE,
              );
              const penalty = tf.addN(layers.map((l) => tf.sum(tf.square(l.kernel))));
              return tf.add<tf.Scalar>(tf.div(tf.sum(tf.mul(losses, w)), tf.sum(w)), tf.mul(penalty, l2));
            },
            false,
            variables,
          );
        });
      }
      const probabilities = logitsToProbabilities(layers, xValid);
      const validation = { rocAuc: rocAuc(validLabels, probabilities), logLoss: logLoss(validLabels, probabilities) };
      options.onEpoch?.(epoch, validation);
      const current = spw === 1 ? -validation.logLoss : validation.rocAuc;
      if (current > best.score) best = { score: current, epoch, values: variables.map((v) => v.arraySync()) };
    }
    tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(best.values[i]!))));
    const rawValid = logitsToProbabilities(layers, xValid);
    const calibrator = fitCalibrator(options.calibration ?? 'auto', rawValid, validLabels);
    const weights: MlpWeights = {
      featureNames: [...dataset.featureNames],
      ...prep,
      layers: layers.map((l, i) => ({
        inputs: sizes[i]!,
        outputs: sizes[i + 1]!,
        kernel: Array.from(l.kernel.dataSync()),
        bias: Array.from(l.bias.dataSync()),
      })),
      calibrator,
    };
    const metrics: MlpMetrics = {
      trainRows: trainIdx.length,
      epochs: epoch,
      bestEpoch: best.epoch,
      trainSeconds: (performance.now() - started) / 1000,
      validationRaw: score(validLabels, rawValid),
      validation: score(validLabels, calibrateAll(calibrator, rawValid)),
    };
    return await loadMlp(weights, metrics);
  } finally {
    tf.dispose([xTrain, yTrain, wTrain, xValid, ...variables]);
    optimizer.dispose();
  }
}
