import { describe, expect, it } from 'vitest';
import type { OrganizedLine } from '../db/history.ts';
import type { MonitoringDay } from '../db/monitoring.ts';
import type { PredictionRunModel, StoredPrediction } from '../db/prediction-runs.ts';
import type { SeasonLine } from '../lib/domain.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import {
  ageOn,
  assembleSnapshot,
  monitoringSection,
  slugify,
  statLine,
  TOP_DRIFT_FEATURES,
  type SnapshotInput,
} from './snapshot.ts';

const FEATURES = FEATURE_CATALOG.slice(0, 3).map((f) => f.name as string);
const run: PredictionRunModel = {
  predictionRunId: 'pr',
  asOfSeason: 2025,
  snapshotId: 'fs',
  modelVersion: 'm',
  modelCreatedAt: new Date('2025-11-01T00:00:00Z'),
  featureNames: FEATURES,
  metrics: {
    rocAuc: 0.9,
    holdoutSeason: 2021,
    validationSeason: 2020,
    trainThrough: 2019,
    holdout: { rows: 10, positives: 2, rocAuc: 0.9, prAuc: 0.5, brier: 0.05, logLoss: 0.2 },
  },
};
const prediction = (
  playerId: number,
  fullName: string,
  rank: number,
  shap: number[],
  extra: Partial<StoredPrediction> = {},
): StoredPrediction => ({
  playerId,
  fullName,
  birthDate: '2003-07-01',
  primaryPosition: 'SS',
  probability: 0.5 - rank / 10,
  confidence: 'Medium',
  baseValue: -2,
  shap,
  rank,
  positionRank: null,
  organizationRank: null,
  eta: null,
  dynasty: null,
  evidence: null,
  narrative: null,
  comparables: null,
  features: [0.1, Number.NaN, 3],
  ...extra,
});
const hitting = (playerId: number, season: number, sportId: number): SeasonLine => ({
  playerId,
  season,
  sportId,
  teamId: 1,
  group: 'hitting',
  stats: {
    games: 100,
    plateAppearances: 400,
    atBats: 350,
    hits: 100,
    doubles: 20,
    triples: 2,
    homeRuns: 10,
    baseOnBalls: 40,
    intentionalWalks: 0,
    hitByPitch: 5,
    strikeOuts: 80,
    stolenBases: 5,
    caughtStealing: 1,
    sacFlies: 3,
  },
});
const org = { id: 136, name: 'Seattle Mariners', abbreviation: 'SEA' };
const base: SnapshotInput = {
  rankingSnapshotId: 'rs',
  generatedAt: '2025-11-02T00:00:00.000Z',
  run,
  predictions: [
    prediction(1, 'José Pérez', 1, [0.2, 0.9, -1.5]),
    prediction(2, 'Bob Baker', 2, [0.5, -0.2, 0.1], { primaryPosition: null }),
  ],
  lines: new Map<number, OrganizedLine[]>([
    [
      1,
      [
        { line: hitting(1, 2024, 14), organization: null },
        { line: hitting(1, 2025, 13), organization: null },
        { line: hitting(1, 2025, 12), organization: org },
      ],
    ],
  ]),
  history: new Map([[1, [{ date: '2025-06-01T00:00:00.000Z', rank: 3, probability: 0.2 }]]]),
  previous: {
    snapshotId: 'rs-old',
    ranks: new Map([
      [1, { rank: 3, shap: [0.1, 0, 0] }],
      [2, { rank: 1, shap: [0.5, 0.4, 0] }],
    ]),
  },
  sources: [{ source: 'mlb-stats-api', lastSuccess: null, stale: true }],
};

describe('assembleSnapshot', () => {
  it('builds each prospect from his prediction, his highest level this season and his history', () => {
    const snapshot = assembleSnapshot(base);
    const [jose, bob] = snapshot.prospects;
    expect(jose).toMatchObject({
      slug: 'jose-perez-1',
      name: 'José Pérez',
      level: 'AA',
      organization: org,
      isPitcher: false,
      position: 'SS',
      age: 22,
      trend: 2,
      positionRank: 1,
      dynasty: { value: 40 },
    });
    expect(jose!.factors.map((f) => [f.feature, f.value])).toEqual([
      [FEATURES[2], 3],
      [FEATURES[1], null],
      [FEATURES[0], 0.1],
    ]);
    expect(jose!.history).toEqual([
      { date: '2025-06-01T00:00:00.000Z', rank: 3, probability: 0.2 },
      { date: base.generatedAt, rank: 1, probability: 0.4 },
    ]);
    expect(jose!.stats.map((s) => [s.season, s.level])).toEqual([
      [2024, 'A'],
      [2025, 'A+'],
      [2025, 'AA'],
    ]);
    // No line this season: the lowest level, no organization; no position on file: a utility man.
    expect(bob).toMatchObject({ level: 'ROK', organization: null, position: 'UT', trend: -1, history: [{ rank: 2 }] });
  });

  it('lists movers against the previous snapshot and carries the model and its methodology', () => {
    const snapshot = assembleSnapshot(base);
    expect(snapshot.previousSnapshotId).toBe('rs-old');
    expect(snapshot.movers.risers.map((m) => [m.name, m.factor?.feature])).toEqual([['José Pérez', FEATURES[1]]]);
    expect(snapshot.movers.fallers.map((m) => [m.name, m.factor?.feature])).toEqual([['Bob Baker', FEATURES[1]]]);
    expect(snapshot.model).toEqual({
      version: 'm',
      trainedAt: '2025-11-01T00:00:00.000Z',
      metrics: { rocAuc: 0.9, holdoutSeason: 2021, validationSeason: 2020, trainThrough: 2019 },
    });
    expect(snapshot.methodology.backtest).toMatchObject({
      trainThrough: 2019,
      validationSeason: 2020,
      testSeasons: [2021],
      model: { brier: 0.05 },
    });
    expect(snapshot.methodology.sources).toEqual(base.sources);
  });

  it('has no trend, earlier history or movers in a first snapshot', () => {
    const snapshot = assembleSnapshot({ ...base, previous: null, history: new Map() });
    expect(snapshot.previousSnapshotId).toBeNull();
    expect(snapshot.prospects.every((p) => p.trend === null && p.history.length === 1)).toBe(true);
    expect(snapshot.movers).toEqual({ risers: [], fallers: [] });
  });
});

describe('snapshot helpers', () => {
  it('slugs names without accents or punctuation and keeps them unique by id', () => {
    expect(slugify("Ke'Bryan Hayes Jr.", 7)).toBe('ke-bryan-hayes-jr-7');
    expect(slugify('***', 8)).toBe('player-8');
  });

  it('gives the age on 1 July to a tenth of a year', () => {
    expect(ageOn('2003-07-01', 2025)).toBe(22);
    expect(ageOn(null, 2025)).toBeNull();
  });

  it('summarises a pitching line with innings from outs and no average', () => {
    const line: SeasonLine = {
      playerId: 1,
      season: 2025,
      sportId: 11,
      teamId: null,
      group: 'pitching',
      stats: {
        games: 20,
        gamesStarted: 20,
        outs: 500,
        battersFaced: 400,
        hits: 80,
        homeRuns: 8,
        baseOnBalls: 40,
        hitByPitch: 4,
        strikeOuts: 120,
        earnedRuns: 40,
      },
    };
    expect(statLine(line)).toEqual({
      season: 2025,
      level: 'AAA',
      group: 'pitching',
      games: 20,
      battersOrPa: 400,
      innings: 166.67,
      strikeoutRate: 0.3,
      walkRate: 0.1,
      powerRate: 0.02,
      average: null,
    });
  });
});

describe('monitoringSection', () => {
  const drift = (feature: string, psi: number) => ({
    feature,
    psi,
    binning: 'quantile' as const,
    trainingMissing: 0,
    scoringMissing: 0,
    bins: [],
    baselinePsi: psi / 2,
  });
  const day: MonitoringDay = {
    day: '2025-11-02',
    modelVersion: 'm',
    predictionRunId: 'pr',
    featureSnapshotId: 'fs',
    trainingSnapshotId: 'fs',
    trainingRows: 900,
    scoringRows: 300,
    driftStatus: 'measured',
    driftReason: null,
    psiMax: 0.4,
    psiMaxFeature: 'f13',
    baselineDay: '2025-10-01',
    computedAt: new Date(),
    drift: Array.from({ length: 15 }, (_, i) => drift(`f${i}`, i / 30)),
    calibration: [
      {
        modelVersion: 'old',
        serving: false,
        status: 'measured',
        reason: null,
        outcomes: 400,
        positives: 30,
        asOfSeasons: [2020],
        ece: 0.2,
        brier: 0.1,
        auc: 0.7,
        reliability: [],
      },
      {
        modelVersion: 'm',
        serving: true,
        status: 'not-enough-data',
        reason: '3 known outcomes',
        outcomes: 3,
        positives: 0,
        asOfSeasons: [2021],
        ece: null,
        brier: null,
        auc: null,
        reliability: null,
      },
    ],
  };

  it("lists the features that drifted most, largest first, and the serving model's calibration", () => {
    const section = monitoringSection(day, (f) => f.toUpperCase());
    expect(section.drift.features).toBe(15);
    expect(section.drift.top).toHaveLength(TOP_DRIFT_FEATURES);
    expect(section.drift.top[0]).toEqual({ feature: 'f14', label: 'F14', psi: 14 / 30, baselinePsi: 14 / 60 });
    expect(section.drift.baselineDay).toBe('2025-10-01');
    expect(section.calibration).toEqual({
      status: 'not-enough-data',
      reason: '3 known outcomes',
      outcomes: 3,
      positives: 0,
      asOfSeasons: [2021],
      ece: null,
      brier: null,
      auc: null,
      reliability: [],
    });
    // In the snapshot, validated by its schema (labels from the catalog, which knows no "f14"); without monitoring, null.
    expect(assembleSnapshot({ ...base, monitoring: day }).methodology.monitoring).toEqual(
      monitoringSection(day, (f) => f),
    );
    expect(assembleSnapshot(base).methodology.monitoring).toBeNull();
  });

  it('says so when no row of the serving model was recorded', () => {
    const section = monitoringSection({ ...day, calibration: [day.calibration[0]!] }, (f) => f);
    expect(section.calibration).toMatchObject({
      status: 'not-enough-data',
      outcomes: 0,
      reason: 'no live calibration was recorded for the serving model',
    });
  });
});
