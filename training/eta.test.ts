/** Time-to-debut model: classes, the ETA rule, and its behaviour on a small generated universe. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeasonLine } from '../lib/domain.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { buildDataset, type Dataset } from './dataset.ts';
import { takeRows } from './ensemble.ts';
import { etaClass, etaError, etaFromDistribution, EtaModel, etaTrainingRows, trainEtaModel } from './eta.ts';
import { FEATURE_COUNT, FEATURE_INDEX } from './feature-catalog.ts';
import { mlbDebutSeason } from './labels.ts';
import { universeHistory } from '../sources/sample/history.ts';

describe('etaClass', () => {
  it.each([
    ['debut the next season', 2015, 2016, 0],
    ['debut four seasons later', 2015, 2019, 3],
    ['debut five seasons later', 2015, 2020, 4],
    ['never debuted', 2015, null, 4],
    ['debuted already (cannot train)', 2015, 2015, null],
    ['window still open (cannot train)', 2023, null, null],
  ])('%s', (_name, asOf, debut, expected) => {
    expect(etaClass(asOf, debut, 2022)).toBe(expected);
  });
});

describe('etaFromDistribution', () => {
  it('takes the median debut season given a debut within the window', () => {
    expect(etaFromDistribution([0.1, 0.1, 0.05, 0.05, 0.7], 2026)).toBe(2028);
    expect(etaFromDistribution([0.6, 0.1, 0, 0, 0.3], 2026)).toBe(2027);
    expect(etaFromDistribution([0, 0, 0, 0.2, 0.8], 2026)).toBe(2030);
  });
  it('cannot say when a debut within the window is nearly impossible', () => {
    expect(etaFromDistribution([0.004, 0.002, 0.002, 0.001, 0.991], 2026)).toBeNull();
  });
});

describe('etaError', () => {
  it('scores only rows with both an ETA and a debut', () => {
    expect(etaError([2020, 2022, null, 2019], [2021, 2022, 2020, null])).toEqual({
      rows: 2,
      mae: 0.5,
      bias: -0.5,
      exact: 0.5,
      withinOne: 1,
    });
  });
});

function universeDataset(): { dataset: Dataset; debut: Map<number, number | null> } {
  const u = generateUniverse({ seed: 9, scale: 0.05 });
  const seasons = Array.from(
    { length: u.options.toSeason - u.options.fromSeason + 1 },
    (_, i) => u.options.fromSeason + i,
  );
  const dataset = buildDataset({ asOfSeasons: seasons, ...universeHistory(u), lastCompleteSeason: u.options.toSeason });
  const byPlayer = Map.groupBy(u.lines, (l: SeasonLine) => l.playerId);
  const debut = new Map([...byPlayer].map(([id, own]) => [id, mlbDebutSeason(id, own)]));
  return { dataset, debut };
}

describe('trainEtaModel on a generated universe', () => {
  let dataset: Dataset;
  let debutSeasonOf: (playerId: number) => number | null;
  let model: EtaModel;
  let dir: string;
  const rowsOf = (season: number) => dataset.rows.flatMap((r, i) => (r.asOfSeason === season ? [i] : []));
  const value = (i: number, name: keyof typeof FEATURE_INDEX) =>
    dataset.matrix[i * FEATURE_COUNT + FEATURE_INDEX[name]]!;

  beforeAll(() => {
    const u = universeDataset();
    dataset = u.dataset;
    debutSeasonOf = (id) => u.debut.get(id) ?? null;
    // One thread: with two, XGBoost's OpenMP threads spin-wait and crawl when parallel suites share the cores.
    model = trainEtaModel({ dataset, debutSeasonOf, lastCompleteSeason: 2026, nthread: 1 });
    dir = mkdtempSync(join(tmpdir(), 'eta-'));
  });
  afterAll(() => {
    model.free();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains only on rows whose window is complete and who had not debuted', () => {
    const { indexes } = etaTrainingRows({ dataset, debutSeasonOf, lastCompleteSeason: 2026 });
    expect(indexes.length).toBeGreaterThan(1000);
    for (const i of indexes) {
      const row = dataset.rows[i]!;
      expect(row.asOfSeason).toBeLessThanOrEqual(2022);
      const debut = debutSeasonOf(row.playerId);
      expect(debut === null || debut > row.asOfSeason).toBe(true);
    }
  });

  it('expects higher-level prospects sooner', () => {
    const current = rowsOf(2026);
    const eta = model.predictEta(
      takeRows(dataset.matrix, FEATURE_COUNT, current),
      current.map(() => 2026),
    );
    const yearsAt = (levels: number[]) => {
      const years = current.flatMap((i, k) => {
        const e = eta[k];
        const debuted = value(i, 'mlb_ab_to_date') > 0 || value(i, 'mlb_outs_to_date') > 0;
        return levels.includes(value(i, 'level_ordinal')) && e !== null && e !== undefined && !debuted
          ? [e - 2026]
          : [];
      });
      return years.reduce((s, y) => s + y, 0) / years.length;
    };
    expect(yearsAt([6, 7])).toBeLessThan(yearsAt([1, 2, 3, 4]) - 0.5);
    for (const e of eta) if (e !== null) expect(e).toBeGreaterThanOrEqual(2026);
  });

  it('puts a prospect with MLB time already at his as-of season', () => {
    const debuted = dataset.rows.flatMap((r, i) =>
      value(i, 'mlb_ab_to_date') > 0 || value(i, 'mlb_outs_to_date') > 0 ? [i] : [],
    );
    expect(debuted.length).toBeGreaterThan(0);
    const eta = model.predictEta(
      takeRows(dataset.matrix, FEATURE_COUNT, debuted),
      debuted.map((i) => dataset.rows[i]!.asOfSeason),
    );
    expect(eta).toEqual(debuted.map((i) => dataset.rows[i]!.asOfSeason));
  });

  it('dates the debuts of a later, held-out cohort within about a season', () => {
    // Trained as of the end of 2020 (cohorts up to 2016), scored on the 2021 and 2022 cohorts, whose windows closed by 2026.
    using early = trainEtaModel({ dataset, debutSeasonOf, lastCompleteSeason: 2020, nthread: 1 });
    const test = [...rowsOf(2021), ...rowsOf(2022)].filter((i) => {
      const debut = debutSeasonOf(dataset.rows[i]!.playerId);
      return debut !== null && debut > dataset.rows[i]!.asOfSeason && debut <= dataset.rows[i]!.asOfSeason + 4;
    });
    const eta = early.predictEta(
      takeRows(dataset.matrix, FEATURE_COUNT, test),
      test.map((i) => dataset.rows[i]!.asOfSeason),
    );
    const error = etaError(
      eta,
      test.map((i) => debutSeasonOf(dataset.rows[i]!.playerId)),
    );
    console.info(`ETA held-out MAE (2021-2022 cohorts, debuted within 4 seasons): ${JSON.stringify(error)}`);
    expect(error.rows).toBeGreaterThan(30);
    expect(error.mae).toBeLessThan(1.2);
  });

  it('saves and loads to the same ETAs', () => {
    const current = rowsOf(2026);
    const matrix = takeRows(dataset.matrix, FEATURE_COUNT, current);
    const path = join(dir, 'eta.ubj');
    model.save(path);
    using loaded = EtaModel.load(path);
    expect(
      loaded.predictEta(
        matrix,
        current.map(() => 2026),
      ),
    ).toEqual(
      model.predictEta(
        matrix,
        current.map(() => 2026),
      ),
    );
    expect(loaded.ncol).toBe(FEATURE_COUNT);
  });

  it('refuses data without two trainable as-of seasons', () => {
    expect(() => trainEtaModel({ dataset, debutSeasonOf, lastCompleteSeason: 2014 })).toThrow(/at least 2/);
  });
});
