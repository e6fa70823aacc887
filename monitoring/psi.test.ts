/**
 * PSI on known cases: identical distributions, a shifted normal against its analytic decile value (and the
 * continuous limit, delta squared), symmetry, missing values, categorical features and empty bins.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/random.ts';
import { binCounts, binsFromTraining, featurePsi, MAX_CATEGORIES, PSI_EPSILON, psiFromShares } from './psi.ts';

/** Standard normal draws (Box-Muller) from a seeded generator. */
function normals(n: number, seed: number, mean = 0): Float64Array {
  const u = mulberry32(seed);
  return Float64Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
function phi(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    t *
      (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse of phi by bisection. */
function inversePhi(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The exact PSI over training deciles of N(0,1) when scoring rows follow N(delta, 1). */
function analyticDecilePsi(delta: number): number {
  const edges = [-Infinity, ...Array.from({ length: 9 }, (_, k) => inversePhi((k + 1) / 10)), Infinity];
  let psi = 0;
  for (let i = 0; i < 10; i++) {
    const actual = phi(edges[i + 1]! - delta) - phi(edges[i]! - delta);
    psi += (actual - 0.1) * Math.log(actual / 0.1);
  }
  return psi;
}

describe('featurePsi', () => {
  it('is 0 for identical distributions', () => {
    const values = normals(5_000, 1);
    const result = featurePsi(values, values);
    expect(result.psi).toBe(0);
    expect(result.binning).toBe('quantile');
    // Deciles: ten bins of a tenth each, and an empty missing bin.
    expect(result.bins).toHaveLength(11);
    for (const bin of result.bins.slice(0, 10)) expect(bin.expected).toBeCloseTo(0.1, 10);
    expect(result.bins.at(-1)).toEqual({ label: 'missing', expected: 0, actual: 0 });
  });

  it('is near 0 for two samples of the same distribution', () => {
    expect(featurePsi(normals(50_000, 2), normals(50_000, 3)).psi).toBeLessThan(0.002);
  });

  it('gives the textbook value for a shifted normal', () => {
    // Over deciles, N(0,1) against N(delta,1) has an exact PSI; as bins get finer it tends to the J-divergence, delta^2.
    expect(analyticDecilePsi(0.5)).toBeCloseTo(0.2377, 3);
    expect(analyticDecilePsi(0.1)).toBeCloseTo(0.00959, 4);
    for (const [delta, seed] of [
      [0.1, 4],
      [0.25, 5],
      [0.5, 6],
      [1, 7],
    ] as const) {
      const { psi } = featurePsi(normals(200_000, seed), normals(200_000, seed + 100, delta));
      // Sampling error of 200,000 rows a side (both the bins and the shares are estimated): about 0.001 here.
      expect(Math.abs(psi - analyticDecilePsi(delta))).toBeLessThan(0.01 * analyticDecilePsi(delta) + 0.004);
      // Deciles lose a little of the continuous value, delta^2, and no more than a tenth of it.
      if (delta >= 0.5) expect(psi / (delta * delta)).toBeGreaterThan(0.9);
      if (delta >= 0.5) expect(psi / (delta * delta)).toBeLessThan(1);
    }
    // Half a standard deviation is the customary "major shift" (PSI near 0.25).
    expect(featurePsi(normals(200_000, 8), normals(200_000, 9, 0.5)).psi).toBeGreaterThan(0.2);
  });

  it('grows with the shift, whichever way it goes', () => {
    const training = normals(50_000, 10);
    const left = featurePsi(training, normals(50_000, 11, -0.5)).psi;
    const right = featurePsi(training, normals(50_000, 12, 0.5)).psi;
    const far = featurePsi(training, normals(50_000, 13, 1)).psi;
    expect(Math.abs(left - right)).toBeLessThan(0.02);
    expect(far).toBeGreaterThan(right);
  });

  it('counts missing values in a bin of their own', () => {
    const training = Float64Array.from({ length: 1_000 }, (_, i) => (i % 10 === 0 ? NaN : i));
    const scoring = Float64Array.from({ length: 1_000 }, (_, i) => (i % 2 === 0 ? NaN : i));
    const result = featurePsi(training, scoring);
    expect(result.trainingMissing).toBe(100);
    expect(result.scoringMissing).toBe(500);
    const missing = result.bins.at(-1)!;
    expect(missing).toMatchObject({ label: 'missing', expected: 0.1, actual: 0.5 });
    // The missing bin alone adds (0.5 - 0.1) ln 5.
    expect(result.psi).toBeGreaterThan(0.4 * Math.log(5));
    // The same shares with no value missing anywhere: only present values are compared, and they match.
    expect(
      featurePsi(
        Float64Array.from({ length: 900 }, (_, i) => i),
        Float64Array.from({ length: 900 }, (_, i) => i),
      ).psi,
    ).toBe(0);
  });

  it('bins a binary or few-valued feature by value, with a bin for values training never saw', () => {
    const training = Float64Array.from({ length: 1_000 }, (_, i) => (i < 800 ? 0 : 1));
    const scoring = Float64Array.from({ length: 1_000 }, (_, i) => (i < 500 ? 0 : 1));
    const result = featurePsi(training, scoring);
    expect(result.binning).toBe('categorical');
    expect(result.bins.map((b) => b.label)).toEqual(['= 0', '= 1', 'unseen in training', 'missing']);
    // By hand: (0.5 - 0.8) ln(0.5/0.8) + (0.5 - 0.2) ln(0.5/0.2).
    expect(result.psi).toBeCloseTo(-0.3 * Math.log(0.5 / 0.8) + 0.3 * Math.log(0.5 / 0.2), 12);
    const unseen = featurePsi(
      training,
      Float64Array.from({ length: 1_000 }, (_, i) => (i < 800 ? 0 : i < 990 ? 1 : 2)),
    );
    expect(unseen.bins[2]).toMatchObject({ label: 'unseen in training', expected: 0, actual: 0.01 });
    // The empty training bin counts as epsilon: (0.01 - eps) ln(0.01 / eps), plus 0.01 ln(0.2/0.19)-like terms.
    expect(unseen.psi).toBeGreaterThan((0.01 - PSI_EPSILON) * Math.log(0.01 / PSI_EPSILON));
    expect(Number.isFinite(unseen.psi)).toBe(true);
  });

  it('uses quantile bins past MAX_CATEGORIES distinct values, merging tied edges', () => {
    const few = Float64Array.from({ length: 1_000 }, (_, i) => i % MAX_CATEGORIES);
    expect(binsFromTraining(few).kind).toBe('categorical');
    const many = Float64Array.from({ length: 1_000 }, (_, i) => i % (MAX_CATEGORIES + 1));
    expect(binsFromTraining(many).kind).toBe('quantile');
    // Heavily tied: 90% zeros and 100 distinct others; the decile edges at 0 collapse into one bin.
    const tied = Float64Array.from({ length: 1_000 }, (_, i) => (i < 900 ? 0 : i));
    const binning = binsFromTraining(tied);
    expect(binning).toEqual({ kind: 'quantile', edges: [0] });
    expect(binCounts(binning, tied)).toEqual([900, 100, 0]);
  });

  it('handles a feature missing from every training row', () => {
    const training = Float64Array.from({ length: 100 }, () => NaN);
    expect(featurePsi(training, training).psi).toBe(0);
    const result = featurePsi(
      training,
      Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? NaN : i)),
    );
    expect(result.binning).toBe('missing-only');
    expect(result.bins).toEqual([
      { label: 'present (none in training)', expected: 0, actual: 0.5 },
      { label: 'missing', expected: 1, actual: 0.5 },
    ]);
    expect(result.psi).toBeGreaterThan(2);
  });

  it('refuses empty inputs with a clear error', () => {
    expect(() => featurePsi([], [1])).toThrow(/at least one training row/);
    expect(() => featurePsi([1], [])).toThrow(/at least one scoring row/);
    expect(() => binsFromTraining([1, 2], 1)).toThrow(/quantile bins/);
  });
});

describe('psiFromShares', () => {
  it('is symmetric, non-negative and 0 only on equal shares', () => {
    const u = mulberry32(42);
    for (let trial = 0; trial < 200; trial++) {
      const a = Array.from({ length: 11 }, () => (u() < 0.1 ? 0 : u()));
      const b = Array.from({ length: 11 }, () => (u() < 0.1 ? 0 : u()));
      a[0] = 1;
      b[0] = 1;
      const ab = psiFromShares(a, b);
      expect(ab).toBeCloseTo(psiFromShares(b, a), 12);
      expect(ab).toBeGreaterThan(0);
      expect(psiFromShares(a, a)).toBe(0);
    }
  });

  it('normalises counts to shares', () => {
    expect(psiFromShares([80, 20], [50, 50])).toBeCloseTo(psiFromShares([0.8, 0.2], [0.5, 0.5]), 12);
  });

  it('refuses mismatched or invalid shares', () => {
    expect(() => psiFromShares([1, 1], [1])).toThrow(/same bins/);
    expect(() => psiFromShares([1, -1], [1, 1])).toThrow(/non-negative/);
    expect(() => psiFromShares([0, 0], [1, 1])).toThrow(/empty/);
    expect(() => psiFromShares([NaN, 1], [1, 1])).toThrow(/finite/);
  });
});
