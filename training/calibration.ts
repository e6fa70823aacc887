/**
 * Probability calibration: isotonic regression (pool-adjacent-violators) and Platt scaling, fitted on a held-out
 * cohort and stored as plain JSON beside the model; plus the fixed-width reliability table that checks the result.
 */

export type CalibratorKind = 'isotonic' | 'platt';

/** Monotone piecewise-linear map through the knots `(x[i], y[i])`, flat beyond the ends (as scikit-learn's). */
export interface IsotonicCalibrator {
  kind: 'isotonic';
  x: number[];
  y: number[];
}

/** `p' = sigmoid(a * logit(p) + b)`: a straight line on the log-odds scale. */
export interface PlattCalibrator {
  kind: 'platt';
  a: number;
  b: number;
}

export type Calibrator = IsotonicCalibrator | PlattCalibrator;

/**
 * Isotonic needs many successes before its steps beat a two-parameter Platt line. On the full sample universe's
 * 2016 cohort (6,780 prospects, 276 successes), scored on 2017-2019, isotonic lost to Platt for every champion
 * variant (no / square-root / balanced class weights): ROC-AUC 0.925 / 0.924 / 0.920 against 0.928 / 0.927 / 0.925,
 * because its flat steps tie prospects, and Brier 0.0362 / 0.0366 / 0.0368 against 0.0361 / 0.0362 / 0.0367.
 * A real season holds a few hundred successes, so 'auto' means Platt for one season and isotonic for a pooled cohort.
 */
export const ISOTONIC_MIN_POSITIVES = 1000;

/** Keeps logits finite for probabilities of exactly 0 or 1. */
const EPS = 1e-7;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/** 'isotonic' when the cohort has at least ISOTONIC_MIN_POSITIVES positives and as many negatives, else 'platt'. */
export function chooseCalibratorKind(labels: ArrayLike<number>): CalibratorKind {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = labels.length - positives;
  return positives >= ISOTONIC_MIN_POSITIVES && negatives >= ISOTONIC_MIN_POSITIVES ? 'isotonic' : 'platt';
}

/**
 * Fits a calibrator mapping `probabilities` to the observed frequency of `labels` (0/1).
 * @example const cal = fitCalibrator('auto', validationProbabilities, validationLabels);
 */
export function fitCalibrator(
  kind: CalibratorKind | 'auto',
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): Calibrator {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`fitCalibrator got ${probabilities.length} probabilities but ${labels.length} labels.`);
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`fitCalibrator label ${i} is ${labels[i]}, not 0 or 1.`);
    if (!Number.isFinite(probabilities[i]))
      throw new RangeError(`fitCalibrator probability ${i} is ${probabilities[i]}.`);
    positives += labels[i]!;
  }
  if (positives === 0 || positives === labels.length) {
    throw new RangeError(
      `fitCalibrator needs both outcomes; the cohort has ${positives} positives out of ${labels.length}.`,
    );
  }
  const chosen = kind === 'auto' ? chooseCalibratorKind(labels) : kind;
  return chosen === 'isotonic' ? fitIsotonic(probabilities, labels) : fitPlatt(probabilities, labels);
}

/** The calibrated probability of one raw probability. */
export function applyCalibrator(cal: Calibrator, p: number): number {
  if (cal.kind === 'platt') return sigmoid(cal.a * logit(p) + cal.b);
  const { x, y } = cal;
  const last = x.length - 1;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[last]!) return y[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const [x0, x1, y0, y1] = [x[lo]!, x[hi]!, y[lo]!, y[hi]!];
  return x1 === x0 ? y1 : y0 + ((p - x0) / (x1 - x0)) * (y1 - y0);
}

/** `applyCalibrator` over an array. */
export function calibrateAll(cal: Calibrator, probabilities: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: probabilities.length }, (_, i) => applyCalibrator(cal, probabilities[i]!));
}

/** A run of sorted inputs pooled into one fitted value, `sum / weight`. */
export interface PavBlock {
  sum: number;
  weight: number;
  xMin: number;
  xMax: number;
}

/** Pool-adjacent-violators: merges neighbouring blocks until their means never decrease. Blocks come sorted by x. */
export function poolAdjacentViolators(blocks: readonly PavBlock[]): PavBlock[] {
  const out: PavBlock[] = [];
  for (const block of blocks) {
    let current = { ...block };
    while (out.length > 0 && out.at(-1)!.sum / out.at(-1)!.weight >= current.sum / current.weight) {
      const previous = out.pop()!;
      current = {
        sum: previous.sum + current.sum,
        weight: previous.weight + current.weight,
        xMin: previous.xMin,
        xMax: current.xMax,
      };
    }
    out.push(current);
  }
  return out;
}

function fitIsotonic(probabilities: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibrator {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  // Tied inputs must get one output, so they start as one block.
  const initial: PavBlock[] = [];
  for (const i of order) {
    const p = probabilities[i]!;
    const last = initial.at(-1);
    if (last && last.xMax === p) {
      last.sum += labels[i]!;
      last.weight++;
    } else initial.push({ sum: labels[i]!, weight: 1, xMin: p, xMax: p });
  }
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const prior = positives / n;
  // One pseudo-observation at the base rate per block: a block with no successes would otherwise say "never" (0),
  // and a single later success there would cost an infinite log loss. The second pass restores monotonicity.
  const shrunk = poolAdjacentViolators(initial).map((b) => ({ ...b, sum: b.sum + prior, weight: b.weight + 1 }));
  const blocks = poolAdjacentViolators(shrunk);
  const x: number[] = [];
  const y: number[] = [];
  for (const b of blocks) {
    const value = b.sum / b.weight;
    x.push(b.xMin);
    y.push(value);
    if (b.xMax > b.xMin) {
      x.push(b.xMax);
      y.push(value);
    }
  }
  return { kind: 'isotonic', x, y };
}

/**
 * Platt's method on the log-odds of the raw probability, with his smoothed targets ((N+ + 1)/(N+ + 2) and
 * 1/(N- + 2)) so that a perfectly separated cohort still gives finite parameters. Newton's method in two unknowns.
 */
function fitPlatt(probabilities: ArrayLike<number>, labels: ArrayLike<number>): PlattCalibrator {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const z = Float64Array.from({ length: n }, (_, i) => logit(probabilities[i]!));
  const t = Float64Array.from({ length: n }, (_, i) => (labels[i] === 1 ? hi : lo));
  const loss = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const m = a * z[i]! + b;
      // log(1 + e^m) - t*m, written to stay finite for large |m|.
      sum += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - t[i]! * m;
    }
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let [ga, gb, haa, hab, hbb] = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const r = p - t[i]!;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += r * z[i]!;
      gb += r;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    // A tiny ridge keeps the 2x2 system solvable when every logit is the same.
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (Math.abs(step * da) + Math.abs(step * db) < 1e-10 || improvement < 1e-12 * n) break;
  }
  return { kind: 'platt', a, b };
}

export interface ReliabilityBin {
  /** Lower edge, inclusive. */
  from: number;
  /** Upper edge, exclusive except for the last bin, which includes 1. */
  to: number;
  /** Mean predicted probability of the bin's rows. */
  predicted: number;
  /** Share of the bin's rows that succeeded. */
  observed: number;
  count: number;
}

/**
 * Fixed-width reliability table over [0, 1]. Empty bins are left out (a mean of nothing is not a number and would
 * not survive JSON), so a perfectly calibrated model shows predicted ≈ observed on every row it lists.
 */
export function reliabilityTable(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`reliabilityTable bins must be a positive integer, got ${bins}.`);
  const sums = Array.from({ length: bins }, () => ({ predicted: 0, observed: 0, count: 0 }));
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!;
    bin.predicted += p;
    bin.observed += labels[i] === 1 ? 1 : 0;
    bin.count++;
  }
  return sums.flatMap((s, k) =>
    s.count === 0
      ? []
      : [
          {
            from: k / bins,
            to: (k + 1) / bins,
            predicted: s.predicted / s.count,
            observed: s.observed / s.count,
            count: s.count,
          },
        ],
  );
}
