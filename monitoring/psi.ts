/**
 * Feature drift: the population stability index (PSI) of one feature between the rows a model trained on and the
 * rows it scores. Bins come from the training distribution only, so a day's figure compares like with like.
 *
 * PSI = sum over bins of (actual - expected) x ln(actual / expected), shares of rows per bin. Customary reading:
 * below 0.1 stable, 0.1-0.25 a moderate shift, above 0.25 a major one (`PSI_THRESHOLDS`).
 */

/** Rule-of-thumb thresholds: FeatureDrift fires on a rise past `major` since the model's baseline day (afwd_feature_psi_rise_max > 0.25). */
export const PSI_THRESHOLDS = { moderate: 0.1, major: 0.25 } as const;

/** Share that stands in for an empty bin, so a bin empty on one side adds a large but finite term instead of infinity. */
export const PSI_EPSILON = 1e-4;

/** Quantile bins of a continuous feature (deciles). */
export const QUANTILE_BINS = 10;

/**
 * A feature with at most this many distinct (non-missing) training values is binned by value: binary flags,
 * level ordinals, handedness codes. Quantile edges would merge or split such values arbitrarily.
 */
export const MAX_CATEGORIES = 10;

/**
 * How a feature's values are binned. Every binning has a last bin for missing values (NaN: XGBoost's missing), and
 * categorical binnings one more, before it, for values never seen in training.
 */
export type PsiBinning =
  | {
      kind: 'quantile';
      /** Upper bounds, ascending: bin 0 is x <= edges[0], bin k is edges[k-1] < x <= edges[k], the last x > edges.at(-1). */
      edges: number[];
    }
  | { kind: 'categorical'; values: number[] }
  | { kind: 'missing-only' };

export interface PsiBin {
  label: string;
  /** Share of training rows in the bin. */
  expected: number;
  /** Share of scoring rows in the bin. */
  actual: number;
}

export interface FeaturePsi {
  psi: number;
  binning: PsiBinning['kind'];
  bins: PsiBin[];
  trainingRows: number;
  scoringRows: number;
  trainingMissing: number;
  scoringMissing: number;
}

/** The value at quantile q (0 < q < 1) of sorted values: the smallest x with at least q of the values <= x. */
function lowerQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** Bins from the training values alone: by value when there are few distinct ones, else by quantile. */
export function binsFromTraining(training: ArrayLike<number>, quantileBins = QUANTILE_BINS): PsiBinning {
  if (!Number.isInteger(quantileBins) || quantileBins < 2)
    throw new Error(`quantile bins must be an integer >= 2, got ${quantileBins}`);
  const present: number[] = [];
  for (let i = 0; i < training.length; i++) {
    const x = training[i]!;
    if (!Number.isNaN(x)) present.push(x);
  }
  if (present.length === 0) return { kind: 'missing-only' };
  const sorted = Float64Array.from(present).sort();
  const distinct: number[] = [];
  for (const x of sorted) if (distinct.at(-1) !== x) distinct.push(x);
  if (distinct.length <= MAX_CATEGORIES) return { kind: 'categorical', values: distinct };
  const edges: number[] = [];
  for (let k = 1; k < quantileBins; k++) {
    const edge = lowerQuantile(sorted, k / quantileBins);
    // Ties collapse edges; an edge at the maximum would leave the last bin empty of training rows.
    if (edges.at(-1) !== edge && edge < sorted[sorted.length - 1]!) edges.push(edge);
  }
  return { kind: 'quantile', edges };
}

/** Labels of the bins of a binning, in the order `binCounts` counts them; the missing bin is always last. */
export function binLabels(binning: PsiBinning): string[] {
  const missing = 'missing';
  // Without a present training value, any present scoring value is one training never saw.
  if (binning.kind === 'missing-only') return ['present (none in training)', missing];
  if (binning.kind === 'categorical') return [...binning.values.map((v) => `= ${v}`), 'unseen in training', missing];
  const { edges } = binning;
  if (edges.length === 0) return ['all values', missing];
  return [`<= ${edges[0]}`, ...edges.slice(1).map((e, k) => `(${edges[k]}, ${e}]`), `> ${edges.at(-1)}`, missing];
}

/** First index in ascending `edges` whose edge is >= x (edges.length when none). */
function upperBound(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows per bin of `binLabels(binning)`. Infinite values are values (an outer bin); NaN is missing. */
export function binCounts(binning: PsiBinning, values: ArrayLike<number>): number[] {
  const size = binLabels(binning).length;
  const counts = new Array<number>(size).fill(0);
  const missingBin = size - 1;
  const index = binning.kind === 'categorical' ? new Map(binning.values.map((v, i) => [v, i])) : null;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let bin: number;
    if (Number.isNaN(x)) bin = missingBin;
    else if (binning.kind === 'missing-only') bin = 0;
    else if (binning.kind === 'categorical') bin = index!.get(x) ?? missingBin - 1;
    else bin = upperBound(binning.edges, x);
    counts[bin]!++;
  }
  return counts;
}

/**
 * PSI of two distributions over the same bins (shares or counts, normalised here). Symmetric in its two arguments;
 * 0 exactly when the shares are equal; a share of 0 counts as `epsilon`.
 */
export function psiFromShares(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length)
    throw new Error(`PSI needs the same bins on both sides (${expected.length} vs ${actual.length})`);
  const norm = (xs: readonly number[], side: string) => {
    let total = 0;
    for (const x of xs) {
      if (!(x >= 0) || !Number.isFinite(x))
        throw new Error(`PSI ${side} shares must be finite and non-negative, got ${x}`);
      total += x;
    }
    if (total <= 0) throw new Error(`PSI ${side} side is empty`);
    return xs.map((x) => x / total);
  };
  const e = norm(expected, 'expected');
  const a = norm(actual, 'actual');
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i]!, epsilon);
    const ai = Math.max(a[i]!, epsilon);
    psi += (ai - ei) * Math.log(ai / ei);
  }
  return psi;
}

/** PSI of one feature: bins from `training`, shares of `training` (expected) and `scoring` (actual) in them. */
export function featurePsi(
  training: ArrayLike<number>,
  scoring: ArrayLike<number>,
  quantileBins = QUANTILE_BINS,
): FeaturePsi {
  if (training.length === 0) throw new Error('PSI needs at least one training row');
  if (scoring.length === 0) throw new Error('PSI needs at least one scoring row');
  const binning = binsFromTraining(training, quantileBins);
  const expectedCounts = binCounts(binning, training);
  const actualCounts = binCounts(binning, scoring);
  const labels = binLabels(binning);
  const missing = (counts: number[]) => counts[counts.length - 1]!;
  return {
    psi: psiFromShares(expectedCounts, actualCounts),
    binning: binning.kind,
    bins: labels.map((label, i) => ({
      label,
      expected: expectedCounts[i]! / training.length,
      actual: actualCounts[i]! / scoring.length,
    })),
    trainingRows: training.length,
    scoringRows: scoring.length,
    trainingMissing: missing(expectedCounts),
    scoringMissing: missing(actualCounts),
  };
}
