/**
 * A small, dependable logistic regression (standardised inputs, L2 penalty, Newton's method) and the two baselines
 * every model is scored against: level with age relative to the level, and draft pick alone.
 */
import type { Dataset } from './dataset.ts';

export interface LogisticModel {
  /** Names of the inputs, in column order. */
  inputs: string[];
  /** Training mean and standard deviation of each input (missing values left out); sd 0 = input unused. */
  means: number[];
  sds: number[];
  /** Inputs that had missing values in training and so carry a 0/1 "missing" indicator (mean imputation alone would hide it). */
  indicators: number[];
  intercept: number;
  /** One weight per standardised input, then one per indicator, in `indicators` order. */
  coefficients: number[];
  l2: number;
}

export interface LogisticOptions {
  /** Row-major `labels.length x inputs.length` values; NaN = missing. */
  x: ArrayLike<number>;
  labels: ArrayLike<number>;
  inputs: readonly string[];
  /** Penalty `l2/2 * |w|^2` on the standardised weights (never on the intercept). @default 1 */
  l2?: number;
  /** @default 50 (Newton's method needs fewer than 10 on well-posed data) */
  maxIterations?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** log(1 + e^m), finite for any m. */
const softplus = (m: number): number => (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));

/** The model's design row of one input row: standardised values (missing = 0 = the mean), then the indicators. */
function designRow(
  model: Pick<LogisticModel, 'means' | 'sds' | 'indicators'>,
  x: ArrayLike<number>,
  offset: number,
  out: Float64Array,
): void {
  const k = model.means.length;
  for (let j = 0; j < k; j++) {
    const v = x[offset + j]!;
    const sd = model.sds[j]!;
    out[j] = Number.isNaN(v) || sd === 0 ? 0 : (v - model.means[j]!) / sd;
  }
  model.indicators.forEach((j, m) => (out[k + m] = Number.isNaN(x[offset + j]!) ? 1 : 0));
}

export function fitLogistic({ x, labels, inputs, l2 = 1, maxIterations = 50 }: LogisticOptions): LogisticModel {
  const n = labels.length;
  const k = inputs.length;
  if (x.length !== n * k) throw new RangeError(`fitLogistic got ${x.length} values for ${n} rows of ${k} inputs.`);
  if (n === 0) throw new RangeError('fitLogistic needs at least one row.');
  const means: number[] = [];
  const sds: number[] = [];
  const indicators: number[] = [];
  for (let j = 0; j < k; j++) {
    let [count, sum, sumSq, missing] = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const v = x[i * k + j]!;
      if (Number.isNaN(v)) missing++;
      else [count, sum, sumSq] = [count + 1, sum + v, sumSq + v * v];
    }
    const mean = count > 0 ? sum / count : 0;
    const sd = count > 1 ? Math.sqrt(Math.max(0, sumSq / count - mean * mean)) : 0;
    means.push(mean);
    sds.push(sd > 1e-12 ? sd : 0);
    if (missing > 0 && missing < n) indicators.push(j);
  }
  const d = k + indicators.length;
  const z = new Float64Array(n * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    designRow({ means, sds, indicators }, x, i * k, row);
    z.set(row, i * d);
  }
  const y = Float64Array.from({ length: n }, (_, i) => (labels[i] === 1 ? 1 : 0));
  // Parameters: [intercept, w_1..w_d]. Starting at the base rate's log-odds saves an iteration or two.
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, y.reduce((s, v) => s + v, 0) / n));
  const beta = new Float64Array(d + 1);
  beta[0] = Math.log(rate / (1 - rate));
  const objective = (b: Float64Array): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let m = b[0]!;
      for (let j = 0; j < d; j++) m += z[i * d + j]! * b[j + 1]!;
      sum += softplus(m) - y[i]! * m;
    }
    for (let j = 1; j <= d; j++) sum += (l2 / 2) * b[j]! ** 2;
    return sum;
  };
  let current = objective(beta);
  const p = d + 1;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    const zi = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      zi[0] = 1;
      for (let j = 0; j < d; j++) zi[j + 1] = z[i * d + j]!;
      let m = 0;
      for (let j = 0; j < p; j++) m += zi[j]! * beta[j]!;
      const pr = sigmoid(m);
      const w = Math.max(pr * (1 - pr), 1e-12);
      const r = pr - y[i]!;
      for (let a = 0; a < p; a++) {
        gradient[a]! += r * zi[a]!;
        for (let b = 0; b <= a; b++) hessian[a * p + b]! += w * zi[a]! * zi[b]!;
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) hessian[b * p + a] = hessian[a * p + b]!;
      // Unused inputs (sd 0) are all zeros: the ridge keeps their weight at exactly 0 and the system solvable.
      hessian[a * p + a]! += a === 0 ? 1e-9 : l2 + 1e-9;
      if (a > 0) gradient[a]! += l2 * beta[a]!;
    }
    const delta = solveSymmetric(hessian, gradient, p);
    let step = 1;
    let candidate = beta.map((v, j) => v - delta[j]!);
    let next = objective(candidate);
    while (next > current && step > 1e-8) {
      step /= 2;
      candidate = beta.map((v, j) => v - step * delta[j]!);
      next = objective(candidate);
    }
    if (next > current) break;
    beta.set(candidate);
    // A reduce, not Math.max(...): no argument spreads in training code, whatever the number of inputs.
    const moved = delta.reduce((m, v) => Math.max(m, Math.abs(step * v)), 0);
    current = next;
    if (moved < 1e-9) break;
  }
  return {
    inputs: [...inputs],
    means,
    sds,
    indicators,
    intercept: beta[0] ?? 0,
    coefficients: Array.from(beta.subarray(1)),
    l2,
  };
}

/** Cholesky solve of the symmetric positive-definite system `A x = b` (A is p x p, row-major). */
function solveSymmetric(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * p + j]!;
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * y[k]!;
    y[i] = sum / l[i * p + i]!;
  }
  const out = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * out[k]!;
    out[i] = sum / l[i * p + i]!;
  }
  return out;
}

/** Probabilities of the rows of `x` (row-major, `model.inputs.length` wide). */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>): Float64Array {
  const k = model.inputs.length;
  const n = x.length / k;
  if (!Number.isInteger(n))
    throw new RangeError(`predictLogistic got ${x.length} values, not a multiple of ${k} inputs.`);
  const row = new Float64Array(model.coefficients.length);
  return Float64Array.from({ length: n }, (_, i) => {
    designRow(model, x, i * k, row);
    let m = model.intercept;
    row.forEach((v, j) => (m += v * model.coefficients[j]!));
    return sigmoid(m);
  });
}

/** Intercept and weights in the inputs' own units, with every input present (indicators at 0). */
export function rawCoefficients(model: LogisticModel): { intercept: number; coefficients: number[] } {
  let intercept = model.intercept;
  const coefficients = model.means.map((mean, j) => {
    const sd = model.sds[j]!;
    if (sd === 0) return 0;
    const w = model.coefficients[j]! / sd;
    intercept -= w * mean;
    return w;
  });
  return { intercept, coefficients };
}

/** A baseline: named inputs computed from a dataset row's features. */
export interface BaselineSpec {
  description: string;
  /** Dataset columns it reads. */
  features: readonly string[];
  inputs: readonly string[];
  /** Inputs of one row from its feature values (in `features` order); NaN = missing. */
  design: (values: readonly number[]) => number[];
}

export const BASELINES = {
  levelAge: {
    description: 'Logistic regression on the level (one weight per level) and age relative to the level',
    features: ['level_ordinal', 'age_rel_level'],
    // One indicator per level rather than a slope: success rates peak at Double-A, above Triple-A (CALIBRATION.md),
    // which a single slope on the ordinal cannot express. Rookie (1) is the reference level.
    inputs: ['level_2', 'level_3', 'level_4', 'level_5', 'level_6', 'level_7', 'age_rel_level'],
    design: ([level = NaN, age = NaN]) => [
      ...[2, 3, 4, 5, 6, 7].map((l) => (Number.isNaN(level) ? NaN : Number(Math.round(level) === l))),
      age,
    ],
  },
  draftPick: {
    description: 'Logistic regression on the log of the overall draft pick, undrafted (no pick) as its own indicator',
    features: ['draft_pick'],
    // The value of a pick falls off roughly geometrically (the first round is worth far more than the tenth).
    inputs: ['log_draft_pick'],
    design: ([pick = NaN]) => [pick > 0 ? Math.log(pick) : NaN],
  },
} as const satisfies Record<string, BaselineSpec>;

export type BaselineName = keyof typeof BASELINES;

/** The baseline's inputs for the given dataset rows, row-major. */
export function baselineInputs(spec: BaselineSpec, dataset: Dataset, rowIndexes: readonly number[]): Float64Array {
  const width = dataset.featureNames.length;
  const columns = spec.features.map((name) => {
    const c = dataset.featureNames.indexOf(name);
    if (c < 0) throw new Error(`The dataset has no ${name} column, which the baseline "${spec.description}" needs.`);
    return c;
  });
  const k = spec.inputs.length;
  const out = new Float64Array(rowIndexes.length * k);
  rowIndexes.forEach((r, i) => {
    const values = columns.map((c) => dataset.matrix[r * width + c]!);
    out.set(spec.design(values), i * k);
  });
  return out;
}

/** Fits a baseline on the given labelled dataset rows. */
export function fitBaseline(spec: BaselineSpec, dataset: Dataset, rowIndexes: readonly number[]): LogisticModel {
  const labels = rowIndexes.map((r) => dataset.rows[r]!.label ?? 0);
  return fitLogistic({ x: baselineInputs(spec, dataset, rowIndexes), labels, inputs: spec.inputs });
}
