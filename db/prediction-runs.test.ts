import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  predictionRunModel,
  replacePredictionRun,
  runPredictions,
  runRanks,
  type PredictionRecord,
} from './prediction-runs.ts';

const run = { predictionRunId: 'pr', modelVersion: 'm', snapshotId: 'fs', asOfSeason: 2025 };
const record = (playerId: number, rank: number): PredictionRecord => ({
  playerId,
  probability: 0.5,
  rawProbability: 0.4,
  confidence: 'Low',
  baseValue: -2,
  shap: [0.25, -0.5],
  rank,
  positionRank: 1,
  organizationRank: null,
  spread: 0.01,
  eta: 2027,
  dynasty: { roleWeight: 1, yearsToEta: 2, value: 41 },
  evidence: { seasonWorkload: 400, careerWorkload: 900, seasons: 2, levels: 3, spread: 0.01 },
  narrative: ['Young for Double-A: +8 points'],
  comparables: [{ playerId: 9, name: 'Old Timer', similarity: 0.9 }],
});

describe('prediction runs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2025}', '{a,b}', 1, '/fs.arrow')`,
    );
    await db.pool.query(
      `INSERT INTO player_features (snapshot_id, player_id, as_of_season, stat_group, label, features) VALUES ('fs', 1, 2025, 'hitting', NULL, '{1.5,NaN}')`,
    );
    await db.pool.query(
      `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, artifact_path, metrics) VALUES ('m', 'xgboost', '{}', '{a,b}', 'fs', '/m', '{"rocAuc": 0.9}')`,
    );
    await db.pool.query(
      `INSERT INTO players (player_id, full_name, birth_date, primary_position) VALUES (1, 'Ann Able', '2003-05-01', 'SS'), (2, 'Bob Baker', NULL, NULL)`,
    );
  });
  afterAll(() => db.drop());

  it('writes a run whole, a rewrite replacing it, and reads it back in rank order with bios and features', async () => {
    await withTransaction(db.pool, (client) => replacePredictionRun(client, run, [record(1, 2), record(2, 1)]));
    await withTransaction(db.pool, (client) => replacePredictionRun(client, run, [record(1, 1)]));
    expect(await predictionRunModel(db.pool, 'pr')).toMatchObject({
      asOfSeason: 2025,
      snapshotId: 'fs',
      modelVersion: 'm',
      featureNames: ['a', 'b'],
      metrics: { rocAuc: 0.9 },
    });
    expect(await predictionRunModel(db.pool, 'nope')).toBeNull();
    const [ann, ...rest] = await runPredictions(db.pool, 'pr', 'fs');
    expect(rest).toEqual([]);
    expect(ann).toMatchObject({
      playerId: 1,
      fullName: 'Ann Able',
      birthDate: '2003-05-01',
      primaryPosition: 'SS',
      rank: 1,
      positionRank: 1,
      organizationRank: null,
      eta: 2027,
      shap: [0.25, -0.5],
      dynasty: { value: 41 },
      narrative: ['Young for Double-A: +8 points'],
      comparables: [{ playerId: 9, name: 'Old Timer', similarity: 0.9 }],
    });
    expect(ann!.features).toEqual([1.5, Number.NaN]);
  });

  it('reads ranks, with SHAP only when asked', async () => {
    expect(await runRanks(db.pool, 'pr', [1, 2], { withShap: false })).toEqual(new Map([[1, { rank: 1, shap: null }]]));
    expect((await runRanks(db.pool, 'pr', [1], { withShap: true })).get(1)).toEqual({ rank: 1, shap: [0.25, -0.5] });
  });
});
