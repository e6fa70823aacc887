/** Bootstrap ensemble: resampling, disagreement where data is thin, and a lossless save/load. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCounts, Ensemble, mulberry32, takeRows, trainEnsemble } from './ensemble.ts';

const NCOL = 3;

/** 10,000 rows around the origin whose label follows x0, plus 30 rows far out at (4, 4) with coin-flip labels. */
function data(seed: number): { matrix: Float32Array; labels: Float32Array } {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const x = [normal() * 0.7, normal() * 0.7, random()];
    rows.push(x);
    labels.push(random() < 1 / (1 + Math.exp(-2 * x[0]!)) ? 1 : 0);
  }
  for (let i = 0; i < 30; i++) {
    rows.push([4 + normal() * 0.3, 4 + normal() * 0.3, random()]);
    labels.push(random() < 0.5 ? 1 : 0);
  }
  return { matrix: Float32Array.from(rows.flat()), labels: Float32Array.from(labels) };
}

function grid(center: number, n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n * NCOL }, (_, i) =>
    i % NCOL === 2 ? random() : center + (random() - 0.5) * 0.4,
  );
}

const mean = (xs: Float32Array) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('bootstrapCounts', () => {
  it('draws n rows with replacement, as distinct rows with multiplicities', () => {
    const { rows, weights } = bootstrapCounts(1000, mulberry32(3));
    expect(weights.reduce((s, w) => s + w, 0)).toBe(1000);
    // About 1 - 1/e of the rows are drawn at least once.
    expect(rows.length).toBeGreaterThan(580);
    expect(rows.length).toBeLessThan(680);
    expect([...rows].every((r, i) => i === 0 || r > rows[i - 1]!)).toBe(true);
  });

  it('is reproducible from its seed', () => {
    expect(bootstrapCounts(50, mulberry32(9)).rows).toEqual(bootstrapCounts(50, mulberry32(9)).rows);
  });
});

describe('takeRows', () => {
  it('copies the chosen rows in order', () => {
    expect([...takeRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, [2, 0])]).toEqual([5, 6, 1, 2]);
  });
});

describe('Ensemble', () => {
  let ensemble: Ensemble;
  let dir: string;
  beforeAll(() => {
    // One thread: with two, XGBoost's OpenMP threads spin-wait and crawl when parallel suites share the cores.
    ensemble = trainEnsemble({ ...data(1), ncol: NCOL, members: 8, rounds: 60, nthread: 1, seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'ensemble-'));
  });
  afterAll(() => {
    ensemble.free();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one prediction per member and row', () => {
    const all = ensemble.predictAll(grid(0, 10, 1));
    expect(all).toHaveLength(8);
    for (const p of all) expect(p).toHaveLength(10);
  });

  it('disagrees more on rows far from most of the training data', () => {
    const near = ensemble.spread(grid(0, 200, 2));
    const far = ensemble.spread(grid(4, 200, 3));
    // Both regions sit near p = 0.5, so the gap comes from how many rows back each leaf, not from the probability.
    expect(mean(far)).toBeGreaterThan(1.5 * mean(near));
  });

  it('returns the mean and a non-negative spread per row', () => {
    const { mean: m, spread } = ensemble.summary(grid(0, 20, 4));
    const all = ensemble.predictAll(grid(0, 20, 4));
    const first = all.map((p) => p[0]!);
    const average = first.reduce((s, x) => s + x, 0) / first.length;
    expect(m[0]).toBeCloseTo(average, 6);
    expect(spread[0]).toBeCloseTo(Math.sqrt(first.reduce((s, x) => s + (x - average) ** 2, 0) / first.length), 5);
    expect([...spread].every((s) => s >= 0)).toBe(true);
  });

  it('saves and loads to the same spreads', () => {
    const rows = grid(2, 50, 5);
    const path = join(dir, 'ensemble.bin');
    ensemble.save(path);
    using loaded = Ensemble.load(path);
    expect(loaded.size).toBe(8);
    expect(loaded.ncol).toBe(NCOL);
    expect(loaded.spread(rows)).toEqual(ensemble.spread(rows));
    using fromBuffer = Ensemble.fromBuffer(ensemble.toBuffer());
    expect(fromBuffer.spread(rows)).toEqual(ensemble.spread(rows));
  });

  it('rejects a buffer that is not an ensemble, and a matrix of the wrong width', () => {
    expect(() => Ensemble.fromBuffer(Buffer.from('not an ensemble'))).toThrow(/magic/);
    expect(() => ensemble.spread(new Float32Array(4))).toThrow(RangeError);
  });

  it('is reproducible from its seed', () => {
    using again = trainEnsemble({ ...data(1), ncol: NCOL, members: 2, rounds: 10, nthread: 1, seed: 5 });
    using same = trainEnsemble({ ...data(1), ncol: NCOL, members: 2, rounds: 10, nthread: 1, seed: 5 });
    expect(again.spread(grid(0, 20, 6))).toEqual(same.spread(grid(0, 20, 6)));
  });
});
