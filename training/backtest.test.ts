/** The rolling-origin backtest end to end on a small generated universe, and its refusals of unusable ranges. */
import { describe, expect, it } from 'vitest';
import { generateUniverse } from '../sources/sample/universe.ts';
import { BacktestError, MODEL_NAMES, planBacktest, runBacktest, runRollingBacktest } from './backtest.ts';
import { buildDataset, type Dataset } from './dataset.ts';
import { drawPlayers, withoutPlayersOf } from './model.ts';
import { universeHistory } from '../sources/sample/history.ts';

/** The universe's clean history in the shapes `loadHistory` returns from the database. */
function universeDataset(): Dataset {
  const universe = generateUniverse({ seed: 5, scale: 0.05, fromSeason: 2010, toSeason: 2022 });
  const asOfSeasons = Array.from({ length: 13 }, (_, i) => 2010 + i);
  return buildDataset({ asOfSeasons, ...universeHistory(universe), lastCompleteSeason: 2022 });
}

describe('runBacktest', () => {
  const dataset = universeDataset();

  it('scores later cohorts with every metric for the model, the challenger and both baselines', async () => {
    const report = await runBacktest({
      dataset,
      trainTo: 2015,
      testFrom: 2016,
      testTo: 2018,
      nthread: 2,
      // About 2,000 training rows: shallow trees and a faster rate keep the test quick and the comparison stable.
      params: { eta: 0.05, max_depth: 2 },
      rounds: 400,
      earlyStoppingRounds: 50,
      mlp: { maxEpochs: 10 },
    });
    expect(report.trainSeasons).toEqual([2010, 2011, 2012, 2013, 2014]);
    expect(report.validationSeason).toBe(2015);
    expect(report.testSeasons).toEqual([2016, 2017, 2018]);
    expect(report.perSeason.map((s) => s.season)).toEqual([2016, 2017, 2018]);
    for (const { scores } of [...report.perSeason, report.overall]) {
      for (const name of MODEL_NAMES) {
        const s = scores[name];
        expect(s.positives).toBeGreaterThan(0);
        for (const value of [s.rocAuc, s.prAuc, s.brier, s.logLoss]) expect(Number.isFinite(value)).toBe(true);
      }
    }
    const { overall } = report;
    expect(overall.scores.model.rocAuc).toBeGreaterThan(overall.scores.levelAge.rocAuc);
    expect(overall.scores.model.rocAuc).toBeGreaterThan(overall.scores.draftPick.rocAuc);
    expect(overall.reliability.reduce((n, b) => n + b.count, 0)).toBe(overall.scores.model.rows);

    expect(report.rows).toHaveLength(overall.scores.model.rows);
    expect(new Set(report.rows.map((r) => r.asOfSeason))).toEqual(new Set([2016, 2017, 2018]));
    expect(report.rows.every((r) => r.probability > 0 && r.probability < 1 && (r.label === 0 || r.label === 1))).toBe(
      true,
    );
    // Every model's probability and the role travel with each row, for the CSV.
    for (const r of report.rows) {
      expect(r.probabilities.model).toBe(r.probability);
      for (const name of MODEL_NAMES) expect(r.probabilities[name]).toBeGreaterThan(0);
      expect(['hitting', 'pitching']).toContain(r.group);
    }
    const { hitting, pitching } = overall.perRole;
    expect(hitting!.scores.model.rows + pitching!.scores.model.rows).toBe(overall.scores.model.rows);
    for (const name of MODEL_NAMES) {
      const ci = overall.intervals![name];
      expect(ci.rocAuc.low).toBeLessThan(overall.scores[name].rocAuc);
      expect(ci.rocAuc.high).toBeGreaterThan(overall.scores[name].rocAuc);
      expect(ci.brier.low).toBeLessThan(ci.brier.high);
    }
  });

  it('rolls the origin: each test season scored by a model that neither trained, stopped nor calibrated on it', async () => {
    const report = await runRollingBacktest({
      dataset,
      testSeasons: [2011, 2015, 2016],
      nthread: 2,
      params: { eta: 0.1, max_depth: 2 },
      rounds: 150,
      earlyStoppingRounds: 30,
      mlp: { maxEpochs: 5 },
      bootstrap: { reps: 200, seed: 3 },
    });
    // 2011 would need two earlier labelled seasons (one to train, one to stop and calibrate); the data start in 2010.
    expect(report.skippedOrigins.map((s) => s.season)).toEqual([2011]);
    expect(report.skippedOrigins[0]!.reason).toMatch(/at least two as-of seasons up to 2010/);
    expect(report.origins.map((o) => [o.testSeason, o.validationSeason, o.trainSeasons.at(-1)])).toEqual([
      [2015, 2014, 2013],
      [2016, 2015, 2014],
    ]);
    for (const o of report.origins) expect([...o.trainSeasons, o.validationSeason]).not.toContain(o.testSeason);
    // By default every player of the training seasons is learned from.
    for (const o of report.origins) expect(o.excluded).toEqual({ players: 0, rows: 0 });
    expect(report.rows.length).toBe(report.origins.reduce((n, o) => n + o.scores.model.rows, 0));
    expect(report.pooled.scores.model.rows).toBe(report.rows.length);
    expect(report.pooled.intervals!.model.rocAuc.low).toBeGreaterThan(0.5);
  });

  it('with the player-disjoint split, trains, stops and calibrates only on players who have no row in the test seasons', async () => {
    const testSeasons = [2016, 2017];
    const testPlayers = new Set(dataset.rows.filter((r) => testSeasons.includes(r.asOfSeason)).map((r) => r.playerId));
    const labelledIn = (rows: Dataset['rows'], seasons: number[]) =>
      rows.filter((r) => seasons.includes(r.asOfSeason) && r.label !== null);
    const trainSeasons = [2010, 2011, 2012, 2013, 2014];
    // Cohorts overlap: without the exclusion, many test players would have training and validation rows.
    const overlapping = labelledIn(dataset.rows, [...trainSeasons, 2015]).filter((r) => testPlayers.has(r.playerId));
    expect(overlapping.length).toBeGreaterThan(100);

    const { dataset: learn, droppedPlayers, droppedRows } = withoutPlayersOf(dataset, testSeasons);
    expect(droppedPlayers).toBe(testPlayers.size);
    expect(learn.rows.some((r) => testPlayers.has(r.playerId))).toBe(false);
    expect(learn.rows.length + droppedRows).toBe(dataset.rows.length);
    // Every other row is kept whole, its features with it.
    const width = dataset.featureNames.length;
    const kept = dataset.rows.flatMap((r, i) => (testPlayers.has(r.playerId) ? [] : [i]));
    expect(learn.rows).toEqual(kept.map((i) => dataset.rows[i]));
    expect(Array.from(learn.matrix.subarray(0, width))).toEqual(
      Array.from(dataset.matrix.subarray(kept[0]! * width, (kept[0]! + 1) * width)),
    );

    const report = await runBacktest({
      dataset,
      trainTo: 2015,
      testFrom: 2016,
      testTo: 2017,
      nthread: 2,
      params: { eta: 0.1, max_depth: 2 },
      rounds: 100,
      earlyStoppingRounds: 20,
      mlp: { maxEpochs: 3 },
      bootstrap: false,
      split: 'player-disjoint',
    });
    expect(report.excluded).toEqual({ players: testPlayers.size, rows: droppedRows });
    // The champion trained and stopped on exactly the labelled rows of players absent from 2016-2017.
    expect(report.champion.trainRows).toBe(
      labelledIn(dataset.rows, trainSeasons).filter((r) => !testPlayers.has(r.playerId)).length,
    );
    expect(report.champion.validationRows).toBe(
      labelledIn(dataset.rows, [2015]).filter((r) => !testPlayers.has(r.playerId)).length,
    );
    expect(report.champion.trainRows).toBeLessThan(labelledIn(dataset.rows, trainSeasons).length);
    // ...and every test row is still scored.
    expect(report.rows.length).toBe(labelledIn(dataset.rows, testSeasons).length);
  });

  it('with the player-grouped split, scores a random half of all players and learns only from the other half', async () => {
    const report = await runBacktest({
      dataset,
      trainTo: 2015,
      testFrom: 2016,
      testTo: 2017,
      nthread: 2,
      params: { eta: 0.1, max_depth: 2 },
      rounds: 100,
      earlyStoppingRounds: 20,
      mlp: { maxEpochs: 3 },
      bootstrap: false,
      split: 'player-grouped',
      splitSeed: 7,
    });
    const scored = drawPlayers(dataset, 0.5, 7);
    expect(drawPlayers(dataset, 0.5, 7)).toEqual(scored);
    const labelled = (seasons: number[], keep: (id: number) => boolean) =>
      dataset.rows.filter((r) => seasons.includes(r.asOfSeason) && r.label !== null && keep(r.playerId)).length;
    // Only the drawn players are scored, all of their labelled test rows, and they are about half of the test rows.
    expect(report.rows.every((r) => scored.has(r.playerId))).toBe(true);
    expect(report.rows.length).toBe(labelled([2016, 2017], (id) => scored.has(id)));
    const share = report.rows.length / labelled([2016, 2017], () => true);
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    // No drawn player trains, stops or calibrates.
    expect(report.excluded.players).toBe(scored.size);
    expect(report.champion.trainRows).toBe(labelled([2010, 2011, 2012, 2013, 2014], (id) => !scored.has(id)));
    expect(report.champion.validationRows).toBe(labelled([2015], (id) => !scored.has(id)));
  });

  it('skips seasons without rows or with open outcome windows, and says why', () => {
    const plan = planBacktest(dataset, 2015, 2016, 2020);
    expect(plan.testSeasons).toEqual([2016, 2017, 2018]);
    expect(plan.skippedSeasons.map((s) => s.season)).toEqual([2019, 2020]);
    expect(plan.skippedSeasons[0]!.reason).toMatch(/labels are not known yet/);
    expect(plan.skippedSeasons[1]!.reason).toMatch(/no prospects/);
  });

  it('fails with a precise message when a range cannot be used', () => {
    const fail = (trainTo: number, from: number, to: number) => () => planBacktest(dataset, trainTo, from, to);
    expect(fail(2015, 2019, 2022)).toThrow(BacktestError);
    expect(fail(2015, 2019, 2022)).toThrow(
      /No as-of season in 2019-2022 can be scored: the data has as-of seasons 2010-2022 and labels are fully known up to as-of season 2018/,
    );
    expect(fail(2010, 2016, 2018)).toThrow(/at least two as-of seasons up to 2010 .* found 1 \(2010-2010\)/);
    expect(fail(2005, 2016, 2018)).toThrow(/found none/);
    expect(fail(2016, 2016, 2018)).toThrow(/trainTo \(2016\) must be before testFrom \(2016\)/);
    expect(fail(2014, 2018, 2016)).toThrow(/2018-2016 is empty/);
    expect(fail(2015, 2030, 2031)).toThrow(/No as-of season in 2030-2031/);
  });
});
