/**
 * monitorModel against a real database and real Arrow feature files: drift of the serving model's scoring rows
 * against its training rows, live calibration of the serving and an earlier model from stored predictions whose
 * outcome is now labelled, a re-run of the day replacing its rows, the threshold warnings, the drift rise since the
 * model's first measured day (0 on that day, against it on later days), and 'not-enough-data' recorded (not thrown)
 * when a model has no training set on record and no outcome is known yet.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceFeatureSnapshot } from '../db/features.ts';
import { registerModel } from '../db/models.ts';
import { latestMonitoringDay, monitoringOfRun } from '../db/monitoring.ts';
import { replacePredictionRun, type PredictionRecord } from '../db/prediction-runs.ts';
import { loadConfig } from '../lib/config.ts';
import { withTransaction } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { mulberry32 } from '../lib/random.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { writeFeatureMatrix } from '../training/arrow.ts';
import type { Dataset } from '../training/dataset.ts';
import { createMonitoringActivities, type MonitorModelInput, type MonitorModelResult } from './monitoring.ts';

const FEATURES = ['age', 'draft_pick', 'bats_left'];

interface Row {
  playerId: number;
  asOfSeason: number;
  label: 0 | 1 | null;
  values: number[];
}

/** Standard normal draw (Box-Muller). */
const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

describe('monitorModel', () => {
  let db: TestDatabase;
  let dir: string;
  const logLines: { level: number; msg: string }[] = [];
  let activities: ReturnType<typeof createMonitoringActivities>;
  /** Every row of the day's snapshot 'fs-day'. */
  let rows: Row[];
  type MonitorModel = (input: MonitorModelInput) => Promise<MonitorModelResult>;
  const monitor = (input: MonitorModelInput) =>
    new MockActivityEnvironment().run<[MonitorModelInput], MonitorModelResult, MonitorModel>(
      activities.monitorModel.bind(activities),
      input,
    );

  /** Writes a feature snapshot (Arrow file and rows) of `rows`. */
  async function snapshot(snapshotId: string, rows: Row[]): Promise<void> {
    const dataset: Dataset = {
      featureNames: FEATURES,
      rows: rows.map((r) => ({ playerId: r.playerId, asOfSeason: r.asOfSeason, group: 'hitting', label: r.label })),
      matrix: Float32Array.from(rows.flatMap((r) => r.values)),
    };
    const arrowPath = path.join(dir, `${snapshotId}.arrow`);
    await writeFeatureMatrix(arrowPath, dataset);
    const asOfSeasons = [...new Set(rows.map((r) => r.asOfSeason))];
    await withTransaction(db.pool, (client) =>
      replaceFeatureSnapshot(client, {
        snapshotId,
        asOfSeasons,
        featureNames: FEATURES,
        arrowPath,
        rows: rows.map((r) => ({
          playerId: r.playerId,
          asOfSeason: r.asOfSeason,
          group: 'hitting',
          label: r.label,
          features: r.values,
        })),
      }),
    );
  }

  async function model(modelVersion: string, snapshotId: string, metrics: Record<string, unknown>): Promise<void> {
    await registerModel(db.pool, {
      modelVersion,
      params: {},
      featureNames: FEATURES,
      snapshotId,
      metrics,
      artifactPath: '/unused',
      holdoutSeason: 2014,
      calibrator: null,
    });
  }

  async function predictions(
    predictionRunId: string,
    modelVersion: string,
    snapshotId: string,
    asOfSeason: number,
    probabilities: Map<number, number>,
  ): Promise<void> {
    const records = [...probabilities].map(([playerId, probability], i): PredictionRecord => ({
      playerId,
      probability,
      rawProbability: probability,
      confidence: 'Medium',
      baseValue: -2,
      shap: [0, 0, 0],
      rank: i + 1,
      positionRank: null,
      organizationRank: null,
      spread: null,
      eta: null,
      dynasty: null,
      evidence: null,
      narrative: [],
      comparables: [],
    }));
    await withTransaction(db.pool, (client) =>
      replacePredictionRun(client, { predictionRunId, modelVersion, snapshotId, asOfSeason }, records),
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'afwd-monitoring-'));
    const u = mulberry32(7);
    // Cohorts 2010-2016 are labelled as of the day; 2020 is the season scored. Each player has one row per cohort.
    // 2020's ages are a full standard deviation older (drift); draft picks and handedness are drawn as in training.
    const truth = new Map<string, number>(); // player/season -> true success probability
    rows = [];
    let id = 1;
    for (const season of [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2020]) {
      for (let k = 0; k < 300; k++, id++) {
        const p = u() ** 2 * 0.6;
        truth.set(`${id}/${season}`, p);
        const label = season === 2020 ? null : u() < p ? 1 : 0;
        const age = 21 + 2 * normal(u) + (season === 2020 ? 2 : 0);
        const pick = u() < 0.3 ? NaN : Math.floor(u() * 600) + 1;
        rows.push({ playerId: id, asOfSeason: season, label, values: [age, pick, u() < 0.35 ? 1 : 0] });
      }
    }
    // The earlier model trained through 2011 on a snapshot of its own (cohorts 2010-2013 labelled then).
    await snapshot(
      'fs-old',
      rows.filter((r) => r.asOfSeason <= 2013),
    );
    await model('m-old', 'fs-old', { trainThrough: 2011 });
    // The serving model trained through 2012 on the day's snapshot; it was stopped on 2013 and held out 2014.
    await snapshot('fs-day', rows);
    await model('m-new', 'fs-day', { trainThrough: 2012 });
    const cohort = (season: number, probability: (p: number) => number) =>
      new Map(
        rows
          .filter((r) => r.asOfSeason === season)
          .map((r) => [r.playerId, probability(truth.get(`${r.playerId}/${season}`)!)]),
      );
    // Stored predictions made when the 2015 and 2016 cohorts were scored, before their outcomes were known: the
    // earlier model was over-confident (twice the true odds), the serving one calibrated. A second, older run of the
    // serving model on 2016 must not count twice.
    await predictions(
      'pr-old-2015',
      'm-old',
      'fs-old',
      2015,
      cohort(2015, (p) => Math.min(1, 2 * p)),
    );
    await predictions(
      'pr-new-2016-a',
      'm-new',
      'fs-day',
      2016,
      cohort(2016, (p) => Math.min(1, 2 * p)),
    );
    await db.pool.query(
      `UPDATE prediction_runs SET created_at = now() - interval '1 day' WHERE prediction_run_id = 'pr-new-2016-a'`,
    );
    await predictions(
      'pr-new-2016',
      'm-new',
      'fs-day',
      2016,
      cohort(2016, (p) => p),
    );
    await predictions(
      'pr-day',
      'm-new',
      'fs-day',
      2020,
      cohort(2020, (p) => p),
    );
    // In-sample predictions (a dailyUpdate run with a past day): the serving model on its validation and held-out
    // seasons, which it was stopped, calibrated and selected on. They must not count in live calibration.
    await predictions(
      'pr-new-2013',
      'm-new',
      'fs-day',
      2013,
      cohort(2013, (p) => p),
    );
    await predictions(
      'pr-new-2014',
      'm-new',
      'fs-day',
      2014,
      cohort(2014, (p) => p),
    );

    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logLines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    activities = createMonitoringActivities({
      pool: db.pool,
      config: loadConfig({ AFWD_DATA_DIR: dir, LOG_LEVEL: 'info' }),
      mlbBaseUrl: 'http://127.0.0.1:1',
      log: createLogger({ level: 'info', destination }),
    });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("records drift per feature and live calibration per model for the day; the model's first day is its own drift baseline", async () => {
    const result = await monitor({ day: '2026-07-15', predictionRunId: 'pr-day' });
    expect(result).toMatchObject({
      day: '2026-07-15',
      modelVersion: 'm-new',
      driftStatus: 'measured',
      psiMaxFeature: 'age',
      calibrationStatus: 'measured',
      liveOutcomes: 300,
      baselineDay: '2026-07-15',
      psiRiseMax: 0,
    });
    // Age is a standard deviation older than in training, but it already was when the model began serving: no warning.
    expect(result.psiMax).toBeGreaterThan(0.25);
    expect(result.warnings).toEqual([]);
    expect(logLines.filter((l) => l.level === 40)).toEqual([]);

    const day = (await latestMonitoringDay(db.pool))!;
    expect(day).toMatchObject({
      day: '2026-07-15',
      modelVersion: 'm-new',
      predictionRunId: 'pr-day',
      featureSnapshotId: 'fs-day',
      trainingSnapshotId: 'fs-day',
      // The serving model's training rows: the labelled cohorts through 2012.
      trainingRows: 900,
      scoringRows: 300,
      driftStatus: 'measured',
      driftReason: null,
      psiMaxFeature: 'age',
    });
    expect(day.psiMax).toBeCloseTo(result.psiMax!, 10);
    expect(day.drift.map((d) => d.feature)).toEqual([
      'age',
      ...['bats_left', 'draft_pick'].sort((a, b) => {
        const psi = (f: string) => day.drift.find((d) => d.feature === f)!.psi;
        return psi(b) - psi(a);
      }),
    ]);
    const byFeature = new Map(day.drift.map((d) => [d.feature, d]));
    expect(byFeature.get('bats_left')).toMatchObject({ binning: 'categorical' });
    expect(byFeature.get('bats_left')!.psi).toBeLessThan(0.1);
    expect(byFeature.get('draft_pick')).toMatchObject({ binning: 'quantile' });
    expect(byFeature.get('draft_pick')!.psi).toBeLessThan(0.1);
    expect(byFeature.get('draft_pick')!.trainingMissing).toBeGreaterThan(200);
    expect(byFeature.get('draft_pick')!.bins.at(-1)!.label).toBe('missing');
    expect(day.baselineDay).toBe('2026-07-15');
    for (const d of day.drift) expect(d.baselinePsi).toBe(d.psi);

    // Serving first. The 2016 cohort counts once per player (the newer run's calibrated probabilities); its in-sample
    // 2013 and 2014 predictions do not count.
    const [serving, earlier] = day.calibration;
    expect(day.calibration).toHaveLength(2);
    expect(serving).toMatchObject({
      modelVersion: 'm-new',
      serving: true,
      status: 'measured',
      outcomes: 300,
      asOfSeasons: [2016],
      reason: null,
    });
    expect(serving!.ece).toBeLessThan(0.06);
    expect(serving!.auc).toBeGreaterThan(0.6);
    expect(serving!.reliability).toHaveLength(10);
    expect(serving!.reliability!.reduce((s, b) => s + b.count, 0)).toBe(300);
    expect(earlier).toMatchObject({
      modelVersion: 'm-old',
      serving: false,
      status: 'measured',
      outcomes: 300,
      asOfSeasons: [2015],
    });
    expect(earlier!.ece).toBeGreaterThan(serving!.ece!);
    const labels = await db.pool.query<{ positives: number }>(
      `SELECT count(*)::int AS positives FROM player_features WHERE snapshot_id = 'fs-day' AND as_of_season = 2016 AND label = 1`,
    );
    expect(serving!.positives).toBe(labels.rows[0]!.positives);
    expect(await monitoringOfRun(db.pool, 'pr-day')).toEqual(day);
  });

  it('replaces a day on a re-run instead of adding to it', async () => {
    await monitor({ day: '2026-07-15', predictionRunId: 'pr-day' });
    const count = async (table: string) =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE day = '2026-07-15'`)).rows[0]!
        .n;
    expect(await count('monitoring_days')).toBe(1);
    expect(await count('feature_drift')).toBe(3);
    expect(await count('live_calibration')).toBe(2);
  });

  it("records 'not enough data' when the model has no training set on record and no outcome is known", async () => {
    // A model registered without its last training season, scoring a snapshot whose cohorts are all unlabelled.
    await snapshot('fs-fresh', [{ playerId: 1, asOfSeason: 2020, label: null, values: [21, 5, 0] }]);
    await model('m-bare', 'fs-fresh', {});
    await predictions('pr-fresh', 'm-bare', 'fs-fresh', 2020, new Map([[1, 0.2]]));
    const result = await monitor({ day: '2026-07-16', predictionRunId: 'pr-fresh' });
    expect(result).toMatchObject({
      driftStatus: 'not-enough-data',
      psiMax: null,
      calibrationStatus: 'not-enough-data',
      liveOutcomes: 0,
      liveEce: null,
      warnings: [],
    });
    const day = (await latestMonitoringDay(db.pool))!;
    expect(result).toMatchObject({ baselineDay: null, psiRiseMax: null, psiRiseMaxFeature: null });
    expect(day).toMatchObject({
      day: '2026-07-16',
      driftStatus: 'not-enough-data',
      psiMax: null,
      drift: [],
      trainingRows: 0,
      scoringRows: 1,
      baselineDay: null,
    });
    expect(day.driftReason).toMatch(/m-bare records no last training season/);
    expect(day.calibration).toEqual([
      {
        modelVersion: 'm-bare',
        serving: true,
        status: 'not-enough-data',
        reason: '0 known outcomes; live calibration needs at least 50',
        outcomes: 0,
        positives: 0,
        asOfSeasons: [],
        ece: null,
        brier: null,
        auc: null,
        reliability: null,
      },
    ]);
    // The earlier day is still there.
    expect((await monitoringOfRun(db.pool, 'pr-day'))?.day).toBe('2026-07-15');
  });

  it("measures a later day's rise against the model's first day, and warns on a rise past 0.25", async () => {
    const first = (await monitoringOfRun(db.pool, 'pr-day'))!;
    const firstPsi = new Map(first.drift.map((d) => [d.feature, d.psi]));
    // Five days on, the serving model scores a 2020 cohort another standard deviation older; the rest is as it was.
    const older = rows.map((r) =>
      r.asOfSeason === 2020 ? { ...r, values: [r.values[0]! + 2, r.values[1]!, r.values[2]!] } : r,
    );
    await snapshot('fs-day2', older);
    const scored = new Map(older.filter((r) => r.asOfSeason === 2020).map((r) => [r.playerId, 0.1]));
    await predictions('pr-day2', 'm-new', 'fs-day2', 2020, scored);
    const warned = logLines.length;
    const result = await monitor({ day: '2026-07-20', predictionRunId: 'pr-day2' });
    expect(result).toMatchObject({
      modelVersion: 'm-new',
      driftStatus: 'measured',
      baselineDay: '2026-07-15',
      psiMaxFeature: 'age',
      psiRiseMaxFeature: 'age',
    });
    expect(result.psiMax).toBeGreaterThan(firstPsi.get('age')! + 0.25);
    expect(result.psiRiseMax).toBeCloseTo(result.psiMax! - firstPsi.get('age')!, 12);
    expect(result.warnings).toEqual([
      `FeatureDrift: PSI rose by more than 0.25 since 2026-07-15 for age (${result.psiMax!.toFixed(3)}, was ${firstPsi.get('age')!.toFixed(3)})`,
    ]);
    expect(
      logLines
        .slice(warned)
        .filter((l) => l.level === 40)
        .map((l) => l.msg),
    ).toEqual(result.warnings);

    const day = (await latestMonitoringDay(db.pool))!;
    expect(day).toMatchObject({ day: '2026-07-20', modelVersion: 'm-new', baselineDay: '2026-07-15' });
    for (const d of day.drift) expect(d.baselinePsi, d.feature).toBe(firstPsi.get(d.feature));
    // Draft picks and handedness are the same values as on the first day: the same PSI, no rise.
    expect(day.drift.filter((d) => d.feature !== 'age').every((d) => d.psi === d.baselinePsi)).toBe(true);
    expect(await monitoringOfRun(db.pool, 'pr-day2')).toEqual(day);
    // A re-run of the later day keeps the first day as its baseline.
    expect(await monitor({ day: '2026-07-20', predictionRunId: 'pr-day2' })).toMatchObject({
      baselineDay: '2026-07-15',
      psiRiseMax: result.psiRiseMax,
    });

    // A new model's first day is its own baseline, however far today's rows are from its training rows.
    await model('m-next', 'fs-day', { trainThrough: 2012 });
    await predictions('pr-next', 'm-next', 'fs-day2', 2020, scored);
    const next = await monitor({ day: '2026-07-21', predictionRunId: 'pr-next' });
    expect(next).toMatchObject({ modelVersion: 'm-next', baselineDay: '2026-07-21', psiRiseMax: 0, warnings: [] });
    expect(next.psiMax).toBeCloseTo(result.psiMax!, 12);
    const nextDay = (await latestMonitoringDay(db.pool))!;
    expect(nextDay.baselineDay).toBe('2026-07-21');
    for (const d of nextDay.drift) expect(d.baselinePsi).toBe(d.psi);
  });

  it('refuses a malformed day and an unknown prediction run, non-retryably', async () => {
    await expect(monitor({ day: '15/07/2026', predictionRunId: 'pr-day' })).rejects.toMatchObject({
      type: 'InvalidMonitoringInput',
      nonRetryable: true,
    });
    await expect(monitor({ day: '2026-07-17', predictionRunId: 'nope' })).rejects.toMatchObject({
      type: 'UnknownPredictionRun',
      nonRetryable: true,
    });
  });
});
