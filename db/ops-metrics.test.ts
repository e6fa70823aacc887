import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { promoteToChampion, registerModel } from './models.ts';
import {
  latestBatchQuarantine,
  secondsSinceSeasonLoad,
  servingModelFigures,
  withStatementTimeout,
} from './ops-metrics.ts';

const SOURCE = 'mlb-stats-api';

describe('the operational figures the worker exports', () => {
  let db: TestDatabase;

  /** A batch as a season load leaves it: loaded with its accounting and finish time, or breached (no finish time). */
  const batch = async (b: {
    season: number;
    fetched: number;
    loaded: number;
    quarantined: number;
    finishedAgo?: string;
    breached?: boolean;
    source?: string;
  }) => {
    const { rows } = await db.pool.query<{ batch_id: string }>(
      `INSERT INTO ingest_batches (source, season, started_at, finished_at, rows_fetched, rows_loaded, rows_quarantined, duplicates_merged, status)
       VALUES ($1, $2, now() - interval '1 day', CASE WHEN $3::text IS NULL THEN NULL ELSE now() - ($3::text)::interval END, $4::int, $5::int, $6::int, $4::int - $5::int - $6::int, $7)
       RETURNING batch_id`,
      [
        b.source ?? SOURCE,
        b.season,
        b.breached ? null : (b.finishedAgo ?? '0 seconds'),
        b.fetched,
        b.loaded,
        b.quarantined,
        b.breached ? 'breached' : 'loaded',
      ],
    );
    return Number(rows[0]!.batch_id);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('knows nothing before the first load and the first promotion', async () => {
    expect(await secondsSinceSeasonLoad(db.pool, SOURCE)).toBeNull();
    expect(await latestBatchQuarantine(db.pool, SOURCE)).toBeNull();
    expect(await servingModelFigures(db.pool)).toBeNull();
  });

  it('times freshness from the newest load with season lines, not a bio refresh or another source', async () => {
    await batch({ season: 2021, fetched: 100, loaded: 90, quarantined: 10, finishedAgo: '3 hours' });
    await batch({ season: 2022, fetched: 200, loaded: 198, quarantined: 2, finishedAgo: '2 hours' });
    await batch({ season: 2022, fetched: 0, loaded: 0, quarantined: 0, finishedAgo: '1 minute' }); // a bio refresh
    await batch({
      season: 2022,
      fetched: 50,
      loaded: 50,
      quarantined: 0,
      finishedAgo: '1 minute',
      source: 'fangraphs-csv',
    });
    const seconds = await secondsSinceSeasonLoad(db.pool, SOURCE);
    expect(seconds).toBeGreaterThanOrEqual(7200);
    expect(seconds).toBeLessThan(7260);
    expect(await latestBatchQuarantine(db.pool, SOURCE)).toMatchObject({
      season: 2022,
      rowsFetched: 200,
      rowsQuarantined: 2,
      rate: 0.01,
    });
  });

  it('shows a breached load as the latest quarantine, without making the data fresher', async () => {
    const breached = await batch({ season: 2023, fetched: 100, loaded: 0, quarantined: 40, breached: true });
    // A breach keeps no finish time; it sorts by its fetch's start (a day ago), after loads finished before that.
    await db.pool.query(`UPDATE ingest_batches SET started_at = now() WHERE batch_id = $1`, [breached]);
    expect(await latestBatchQuarantine(db.pool, SOURCE)).toEqual({
      batchId: breached,
      season: 2023,
      rowsFetched: 100,
      rowsQuarantined: 40,
      rate: 0.4,
    });
    expect(await secondsSinceSeasonLoad(db.pool, SOURCE)).toBeGreaterThanOrEqual(7200);
  });

  it("reads the serving model's held-out AUC, Brier score, calibration error and age", async () => {
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2020}', '{a}', 0, '/fs.arrow')`,
    );
    const reliability = [
      { from: 0, to: 0.1, predicted: 0.05, observed: 0.07, count: 300 }, // gap 0.02
      { from: 0.1, to: 0.2, predicted: 0.15, observed: 0.1, count: 100 }, // gap 0.05
    ];
    for (const [modelVersion, rocAuc] of [
      ['old', 0.7],
      ['new', 0.85],
    ] as const) {
      await registerModel(db.pool, {
        modelVersion,
        params: {},
        featureNames: ['a'],
        snapshotId: 'fs',
        artifactPath: `/m/${modelVersion}`,
        holdoutSeason: 2019,
        calibrator: null,
        metrics: { rocAuc, brier: 0.04, holdout: { rocAuc, brier: 0.04 }, reliability },
      });
    }
    await withTransaction(db.pool, (c) => promoteToChampion(c, 'old'));
    await withTransaction(db.pool, (c) => promoteToChampion(c, 'new'));
    await db.pool.query(`UPDATE models SET created_at = now() - interval '2 days' WHERE model_version = 'new'`);
    const figures = await servingModelFigures(db.pool);
    expect(figures).toMatchObject({ modelVersion: 'new', auc: 0.85, brier: 0.04 });
    expect(figures!.calibrationError).toBeCloseTo((300 * 0.02 + 100 * 0.05) / 400, 10);
    expect(figures!.ageSeconds).toBeGreaterThanOrEqual(2 * 86_400);
    expect(figures!.ageSeconds).toBeLessThan(2 * 86_400 + 60);
  });

  it('leaves a figure the model did not store unknown rather than zero', async () => {
    // JSON has no NaN: a held-out season with one class stores its AUC as null; an old model has no reliability table.
    await db.pool.query(
      `UPDATE models SET metrics = '{"holdout": {"rocAuc": null, "brier": 0.05}}' WHERE model_version = 'new'`,
    );
    expect(await servingModelFigures(db.pool)).toMatchObject({
      modelVersion: 'new',
      auc: null,
      brier: 0.05,
      calibrationError: null,
    });
  });

  it('cancels a read that outlasts its timeout on the server', async () => {
    const started = performance.now();
    await expect(withStatementTimeout(db.pool, 100, (q) => q.query('SELECT pg_sleep(5)'))).rejects.toThrow(
      /statement timeout/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await withStatementTimeout(db.pool, 1_000, (q) => secondsSinceSeasonLoad(q, SOURCE))).toBeGreaterThan(0);
    await expect(withStatementTimeout(db.pool, 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
