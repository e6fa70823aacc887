/**
 * Bootstrap confidence intervals for backtest scores: resample players (all of a player's test rows together, so a
 * prospect scored in two test seasons is not counted as two independent draws), rescore, and take percentiles.
 * Seeded, so the same report gives the same intervals.
 */
import { mulberry32 } from '../lib/random.ts';
import { brier, prAuc, rocAuc } from './metrics.ts';

export const BOOTSTRAP_METRICS = ['rocAuc', 'prAuc', 'brier'] as const;
export type BootstrapMetric = (typeof BOOTSTRAP_METRICS)[number];

/** A percentile interval; NaN bounds when too few resamples had both outcomes to score. */
export interface Interval {
  low: number;
  high: number;
}

export type MetricIntervals = Record<BootstrapMetric, Interval>;

export interface BootstrapOptions {
  /** Resamples. @default 1000 */
  reps?: number;
  /** Seed of the resampling. @default 1 */
  seed?: number;
  /** Two-sided level. @default 0.95 */
  level?: number;
}

const METRIC_FNS: Record<BootstrapMetric, (y: ArrayLike<number>, p: ArrayLike<number>) => number> = {
  rocAuc,
  prAuc,
  brier,
};

/** The value at quantile q of sorted finite values (linear interpolation between order statistics). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * Percentile intervals of ROC-AUC, PR-AUC and Brier for each model's predictions of the same rows, from the same
 * resamples (so the intervals of two models are comparable). `clusters[i]` names the resampling unit of row i
 * (the player id).
 * @example bootstrapIntervals(labels, { model: p, challenger: q }, playerIds, { reps: 1000, seed: 7 })
 */
export function bootstrapIntervals<Name extends string>(
  labels: ArrayLike<number>,
  predictions: Readonly<Record<Name, ArrayLike<number>>>,
  clusters: ArrayLike<number>,
  options: BootstrapOptions = {},
): Record<Name, MetricIntervals> {
  const reps = options.reps ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(reps) || reps < 1)
    throw new RangeError(`bootstrap reps must be a positive integer, got ${reps}.`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level must be between 0 and 1, got ${level}.`);
  if (clusters.length !== labels.length)
    throw new RangeError(`bootstrap got ${clusters.length} cluster ids for ${labels.length} rows.`);
  const names = Object.keys(predictions) as Name[];
  for (const name of names) {
    if (predictions[name].length !== labels.length)
      throw new RangeError(`bootstrap: ${name} has ${predictions[name].length} predictions for ${labels.length} rows.`);
  }
  // Rows of each cluster, so a draw adds a whole player.
  const members = new Map<number, number[]>();
  for (let i = 0; i < clusters.length; i++) {
    const own = members.get(clusters[i]!);
    if (own) own.push(i);
    else members.set(clusters[i]!, [i]);
  }
  const groups = [...members.values()];
  const random = mulberry32(options.seed ?? 1);
  const draws = Object.fromEntries(names.map((n) => [n, { rocAuc: [], prAuc: [], brier: [] }])) as unknown as Record<
    Name,
    Record<BootstrapMetric, number[]>
  >;
  const y: number[] = [];
  const p = Object.fromEntries(names.map((n) => [n, [] as number[]])) as unknown as Record<Name, number[]>;
  for (let r = 0; r < reps; r++) {
    y.length = 0;
    for (const n of names) p[n].length = 0;
    for (let g = 0; g < groups.length; g++) {
      for (const i of groups[Math.floor(random() * groups.length)]!) {
        y.push(labels[i]!);
        for (const n of names) p[n].push(predictions[n][i]!);
      }
    }
    for (const n of names) {
      for (const metric of BOOTSTRAP_METRICS) {
        const value = METRIC_FNS[metric](y, p[n]);
        // A resample without a success has no AUC; it is left out rather than counted as a number.
        if (Number.isFinite(value)) draws[n][metric].push(value);
      }
    }
  }
  const tail = (1 - level) / 2;
  return Object.fromEntries(
    names.map((n) => [
      n,
      Object.fromEntries(
        BOOTSTRAP_METRICS.map((metric) => {
          const sorted = draws[n][metric].sort((a, b) => a - b);
          // Over a tenth of the resamples unscorable (no success drawn): the rest would be a biased, conditional interval.
          if (sorted.length < reps * 0.9) return [metric, { low: Number.NaN, high: Number.NaN }];
          return [metric, { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) }];
        }),
      ),
    ]),
  ) as Record<Name, MetricIntervals>;
}

/**
 * Paired intervals of `metric(candidate) - metric(reference)` on the same rows, from the same player resamples: whether
 * a change is better than the noise of one test set, which two overlapping separate intervals cannot say.
 */
export function bootstrapDifferences(
  labels: ArrayLike<number>,
  candidate: ArrayLike<number>,
  reference: ArrayLike<number>,
  clusters: ArrayLike<number>,
  options: BootstrapOptions = {},
): MetricIntervals & { point: Record<BootstrapMetric, number> } {
  const reps = options.reps ?? 1000;
  const level = options.level ?? 0.95;
  const members = new Map<number, number[]>();
  for (let i = 0; i < clusters.length; i++) {
    const own = members.get(clusters[i]!);
    if (own) own.push(i);
    else members.set(clusters[i]!, [i]);
  }
  if (candidate.length !== labels.length || reference.length !== labels.length || clusters.length !== labels.length) {
    throw new RangeError(
      `bootstrapDifferences got ${labels.length} labels, ${candidate.length} and ${reference.length} predictions, ${clusters.length} cluster ids.`,
    );
  }
  const groups = [...members.values()];
  const random = mulberry32(options.seed ?? 1);
  const draws: Record<BootstrapMetric, number[]> = { rocAuc: [], prAuc: [], brier: [] };
  const y: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < reps; r++) {
    y.length = a.length = b.length = 0;
    for (let g = 0; g < groups.length; g++) {
      for (const i of groups[Math.floor(random() * groups.length)]!) {
        y.push(labels[i]!);
        a.push(candidate[i]!);
        b.push(reference[i]!);
      }
    }
    for (const metric of BOOTSTRAP_METRICS) {
      const d = METRIC_FNS[metric](y, a) - METRIC_FNS[metric](y, b);
      if (Number.isFinite(d)) draws[metric].push(d);
    }
  }
  const tail = (1 - level) / 2;
  const out = Object.fromEntries(
    BOOTSTRAP_METRICS.map((metric) => {
      const sorted = draws[metric].sort((x, z) => x - z);
      if (sorted.length < reps * 0.9) return [metric, { low: Number.NaN, high: Number.NaN }];
      return [metric, { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) }];
    }),
  ) as MetricIntervals;
  const point = Object.fromEntries(
    BOOTSTRAP_METRICS.map((m) => [m, METRIC_FNS[m](labels, candidate) - METRIC_FNS[m](labels, reference)]),
  ) as Record<BootstrapMetric, number>;
  return { ...out, point };
}
