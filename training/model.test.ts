/** The champion on a synthetic universe: it beats both baselines, stops early, and saves and loads exactly. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { BASELINES, baselineInputs, fitBaseline, predictLogistic } from './logistic.ts';
import { rocAuc } from './metrics.ts';
import {
  labelsOf,
  loadChampion,
  monotoneConstraints,
  predictChampion,
  rowsOf,
  saveChampion,
  scalePosWeight,
  splitSeasons,
  takeRows,
  trainChampion,
} from './model.ts';
import { mulberry32 as prng } from '../lib/random.ts';

/**
 * Seasons 2010-2017 of prospects whose success depends on level, relative age and pick (what the baselines see)
 * and on an interaction of two rates that only a non-linear model can use. 2017's labels are still unknown.
 */
function syntheticDataset(perSeason: number, seed: number): Dataset {
  const random = prng(seed);
  const featureNames = ['level_ordinal', 'age_rel_level', 'draft_pick', 'k_rel', 'iso_rel', 'noise'];
  const rows: Dataset['rows'] = [];
  const values: number[] = [];
  for (let season = 2010; season <= 2017; season++) {
    for (let i = 0; i < perSeason; i++) {
      const level = 1 + Math.floor(random() * 7);
      const age = 4 * (random() - 0.5);
      const drafted = random() < 0.6;
      const pick = 1 + Math.floor(random() * 600);
      const [k, iso] = [random(), random()];
      const z =
        -4.5 + 0.35 * level - 0.5 * age + (drafted ? 1 - 0.25 * Math.log(pick) : 0) + (k > 0.6 && iso > 0.6 ? 3 : 0);
      const label = season === 2017 && random() < 0.5 ? null : random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      rows.push({ playerId: season * 10_000 + i, asOfSeason: season, group: 'hitting', label });
      values.push(level, age, drafted ? pick : Number.NaN, random() < 0.05 ? Number.NaN : k, iso, random());
    }
  }
  return { featureNames, rows, matrix: Float32Array.from(values) };
}

const dataset = syntheticDataset(1500, 1);
const FAST = { params: { eta: 0.1, max_depth: 4 }, rounds: 200, earlyStoppingRounds: 20 } as const;
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('trainChampion', () => {
  it('ranks later cohorts better than either baseline, with calibrated probabilities', async () => {
    const trainSeasons = [2010, 2011, 2012, 2013, 2014];
    const heartbeats: number[] = [];
    using model = await trainChampion({
      dataset,
      trainSeasons,
      validationSeason: 2015,
      nthread: 2,
      ...FAST,
      onIteration: (i) => heartbeats.push(i),
    });
    expect(model.bestIteration).toBeLessThan(200);
    expect(heartbeats.length).toBeGreaterThan(model.bestIteration);
    expect(model.params).toMatchObject({
      max_depth: 4,
      eta: 0.1,
      subsample: 0.8,
      tree_method: 'hist',
      objective: 'binary:logistic',
      nthread: 2,
    });
    expect(model.metrics.calibrator).toBe('platt');
    expect(model.metrics.scalePosWeight).toBe(1);

    const test = rowsOf(dataset, [2016]);
    const labels = labelsOf(dataset, test);
    const probabilities = predictChampion(model, takeRows(dataset, test));
    const auc = rocAuc(labels, probabilities);
    const baselineRows = rowsOf(dataset, [...trainSeasons, 2015]);
    for (const spec of Object.values(BASELINES)) {
      const baseline = predictLogistic(fitBaseline(spec, dataset, baselineRows), baselineInputs(spec, dataset, test));
      expect(auc).toBeGreaterThan(rocAuc(labels, baseline) + 0.03);
    }
    // Calibrated: the mean prediction is near the observed rate.
    const mean = probabilities.reduce((s, p) => s + p, 0) / probabilities.length;
    const rate = labels.reduce((s, y) => s + y, 0) / labels.length;
    expect(Math.abs(mean - rate)).toBeLessThan(0.3 * rate);

    // Monotone in age relative to the level: sweeping it from young to old never raises any prospect's probability.
    expect(model.params.monotone_constraints).toBe('(0,-1,0,0,0,0)');
    const width = dataset.featureNames.length;
    for (const row of test.slice(0, 50)) {
      const base = dataset.matrix.slice(row * width, (row + 1) * width);
      const sweep = new Float32Array(9 * width);
      for (let k = 0; k < 9; k++) {
        sweep.set(base, k * width);
        sweep[k * width + 1] = -2 + k * 0.5;
      }
      const p = predictChampion(model, sweep);
      for (let k = 1; k < 9; k++) expect(p[k]!).toBeLessThanOrEqual(p[k - 1]! + 1e-9);
    }
  });

  it('saves the booster beside its calibrator and loads a model that predicts identically', async () => {
    using model = await trainChampion({
      dataset,
      trainSeasons: [2010, 2011, 2012],
      validationSeason: 2013,
      calibrationSeason: 2014,
      nthread: 2,
      ...FAST,
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'afwd-champion-'));
    dirs.push(dir);
    const paths = await saveChampion(dir, 'v1', model);
    expect(paths).toEqual({ booster: path.join(dir, 'v1.ubj'), calibrator: path.join(dir, 'v1.calibration.json') });
    using loaded = await loadChampion(dir, 'v1', { nthread: 1 });
    expect(loaded.bestIteration).toBe(model.bestIteration);
    expect(loaded.calibrator).toEqual(model.calibrator);
    expect(loaded.metrics.calibrationSeason).toBe(2014);
    const rows = takeRows(dataset, rowsOf(dataset, [2016, 2017], false));
    expect(predictChampion(loaded, rows)).toEqual(predictChampion(model, rows));
  });

  it('leaves rows with an unknown label out and refuses a cohort without successes', async () => {
    expect(rowsOf(dataset, [2017]).length).toBeLessThan(rowsOf(dataset, [2017], false).length);
    const none: Dataset = {
      ...dataset,
      rows: dataset.rows.map((r) => ({ ...r, label: r.asOfSeason === 2015 ? 0 : r.label })),
    };
    await expect(
      trainChampion({ dataset: none, trainSeasons: [2014], validationSeason: 2015, nthread: 1, ...FAST }),
    ).rejects.toThrow(/Validation season 2015 has 1500 labelled rows but 0 successes/);
    await expect(
      trainChampion({ dataset, trainSeasons: [2014, 2015], validationSeason: 2015, nthread: 1 }),
    ).rejects.toThrow(/must not be training seasons/);
  });

  it('weighs successes by the class ratio, its square root or not at all', () => {
    expect(scalePosWeight('balanced', 10, 90)).toBe(9);
    expect(scalePosWeight('sqrt', 10, 90)).toBe(3);
    expect(scalePosWeight('none', 10, 90)).toBe(1);
  });

  it('refuses a model version that could escape the folder', async () => {
    await expect(saveChampion('/tmp', '../x', {} as never)).rejects.toThrow(/may hold only letters/);
  });
});

describe('splitSeasons', () => {
  it('trains on all but the newest two labelled seasons, stops and calibrates on the second newest, holds out the newest', () => {
    expect(splitSeasons([2015, 2016, 2017, 2018])).toEqual({
      trainSeasons: [2015, 2016],
      validationSeason: 2017,
      holdoutSeason: 2018,
    });
    expect(splitSeasons([2005, 2006, 2007])).toEqual({
      trainSeasons: [2005],
      validationSeason: 2006,
      holdoutSeason: 2007,
    });
  });
  it('refuses with fewer than three seasons: no season would be left that the model never saw', () => {
    expect(splitSeasons([2016, 2017])).toBeNull();
    expect(splitSeasons([])).toBeNull();
  });
});

describe('monotoneConstraints', () => {
  it('constrains age relative to the level to never raise the odds, and leaves other columns free', () => {
    expect(monotoneConstraints(['level_ordinal', 'age_rel_level', 'draft_pick'])).toBe('(0,-1,0)');
    expect(monotoneConstraints(['level_ordinal'])).toBeUndefined();
  });
});
