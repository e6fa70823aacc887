import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { buildSnapshot } from './snapshot.ts';

const FEATURES = FEATURE_CATALOG.slice(0, 3).map((f) => f.name as string);

// Two prediction runs of three prospects, the first already published: the second's snapshot must carry each
// prospect's history and trend, and its movers with the factor whose SHAP contribution moved most their way.
describe('buildSnapshot', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
    await q(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2025}', $1, 3, '/fs.arrow')`,
      [FEATURES],
    );
    await q(
      `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, artifact_path) VALUES ('m', 'xgboost', '{}', $1, 'fs', '/m')`,
      [FEATURES],
    );
    await q(`INSERT INTO players (player_id, full_name, birth_date, primary_position) VALUES
               (1, 'Ann Able', '2003-05-01', 'SS'), (2, 'Bob Baker', '2002-01-01', 'P'), (3, 'Cy Cole', '2004-07-04', 'CF')`);
    for (const run of ['pr-old', 'pr-new']) {
      await q(
        `INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ($1, 'm', 'fs', 2025)`,
        [run],
      );
    }
    const predict = (run: string, player: number, rank: number, probability: number, shap: number[]) =>
      q(
        `INSERT INTO predictions (prediction_run_id, player_id, model_version, as_of_season, probability, confidence, base_value, shap, rank)
         VALUES ($1, $2, 'm', 2025, $3, 'Medium', -2, $4, $5)`,
        [run, player, probability, shap, rank],
      );
    await predict('pr-old', 1, 3, 0.2, [0.1, 0.0, 0.0]);
    await predict('pr-old', 2, 1, 0.6, [0.5, 0.4, 0.0]);
    await predict('pr-old', 3, 2, 0.4, [0.0, 0.0, 0.3]);
    // Ann rises from 3 to 1 (her second feature gained most); Bob falls from 1 to 2 (his second feature lost most).
    await predict('pr-new', 1, 1, 0.7, [0.2, 0.9, 0.0]);
    await predict('pr-new', 2, 2, 0.5, [0.5, -0.2, 0.1]);
    await predict('pr-new', 3, 3, 0.3, [0.0, 0.0, 0.3]);
    await q(
      `INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count, generated_at) VALUES ('rs-old', 'pr-old', '/old.json', 3, '2025-06-01T12:00:00Z')`,
    );
  });
  afterAll(() => db.drop());

  it('carries history, trend and movers from the previous snapshot', async () => {
    const snapshot = await buildSnapshot(db.pool, loadConfig({}), {
      predictionRunId: 'pr-new',
      rankingSnapshotId: 'rs-new',
    });
    expect(snapshot.previousSnapshotId).toBe('rs-old');
    const byName = new Map(snapshot.prospects.map((p) => [p.name, p]));
    expect(snapshot.prospects.map((p) => [p.name, p.rank, p.trend])).toEqual([
      ['Ann Able', 1, 2],
      ['Bob Baker', 2, -1],
      ['Cy Cole', 3, -1],
    ]);
    const ann = byName.get('Ann Able')!;
    expect(ann.history).toHaveLength(2);
    expect(ann.history[0]).toEqual({
      date: '2025-06-01T12:00:00.000Z',
      rank: 3,
      probability: expect.closeTo(0.2, 6) as number,
    });
    expect(ann.history[1]).toMatchObject({ rank: 1 });
    expect(snapshot.movers.risers).toEqual([
      expect.objectContaining({
        name: 'Ann Able',
        previousRank: 3,
        rank: 1,
        factor: expect.objectContaining({ feature: FEATURES[1], delta: expect.closeTo(0.9, 5) }),
      }),
    ]);
    expect(snapshot.movers.fallers.map((m) => [m.name, m.factor?.feature])).toEqual([
      ['Bob Baker', FEATURES[1]],
      ['Cy Cole', FEATURES[0]],
    ]);
  });

  it('has no history or movers for a first snapshot', async () => {
    await db.pool.query("DELETE FROM ranking_snapshots WHERE snapshot_id = 'rs-old'");
    const snapshot = await buildSnapshot(db.pool, loadConfig({}), {
      predictionRunId: 'pr-new',
      rankingSnapshotId: 'rs-new',
    });
    expect(snapshot.previousSnapshotId).toBeNull();
    expect(snapshot.prospects.every((p) => p.trend === null && p.history.length === 1)).toBe(true);
    expect(snapshot.movers).toEqual({ risers: [], fallers: [] });
  });
});
