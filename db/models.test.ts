import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  candidateAndChampion,
  championForFeatures,
  modelArtifactPath,
  promoteToChampion,
  recordModelEvent,
  registerModel,
  restorePreviousChampion,
  servingAndPrevious,
  servingModel,
} from './models.ts';

describe('the model registry', () => {
  let db: TestDatabase;
  const register = (modelVersion: string, holdoutSeason: number, featureNames = ['a', 'b']) =>
    registerModel(db.pool, {
      modelVersion,
      params: { eta: 0.1 },
      featureNames,
      snapshotId: 'fs',
      metrics: { holdout: { rocAuc: 0.8 } },
      artifactPath: `/models/${modelVersion}`,
      holdoutSeason,
      calibrator: null,
    });
  const events = async () =>
    (
      await db.pool.query<{ model_version: string; event: string }>(
        'SELECT model_version, event FROM model_events ORDER BY event_id',
      )
    ).rows.map((r) => `${r.model_version}:${r.event}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2020}', '{a,b}', 0, '/fs.arrow')`,
    );
  });
  afterAll(() => db.drop());

  it('registers candidates, a retry rewriting its folder, and knows no champion before a promotion', async () => {
    await register('m1', 2019);
    await registerModel(db.pool, {
      modelVersion: 'm1',
      params: {},
      featureNames: ['a', 'b'],
      snapshotId: 'fs',
      metrics: { holdout: { rocAuc: 0.8 } },
      artifactPath: '/models/m1/a2',
      holdoutSeason: 2019,
      calibrator: null,
    });
    expect(await modelArtifactPath(db.pool, 'm1')).toBe('/models/m1/a2');
    expect(await modelArtifactPath(db.pool, 'nope')).toBeNull();
    expect(await candidateAndChampion(db.pool, 'm1')).toMatchObject({
      candidate: { modelVersion: 'm1', status: 'candidate', holdoutSeason: 2019 },
      champion: null,
    });
    expect(await servingModel(db.pool)).toBeNull();
  });

  it('promotes a champion, retiring the one before, and serves it only on the same features', async () => {
    await withTransaction(db.pool, (client) => promoteToChampion(client, 'm1'));
    await register('m2', 2020);
    await withTransaction(db.pool, async (client) => {
      await promoteToChampion(client, 'm2');
      await recordModelEvent(client, { modelVersion: 'm2', event: 'promoted', reason: 'better' });
    });
    expect(await candidateAndChampion(db.pool, 'm3')).toMatchObject({
      candidate: null,
      champion: { modelVersion: 'm2', status: 'champion' },
    });
    expect(await servingAndPrevious(db.pool)).toMatchObject({
      serving: { modelVersion: 'm2' },
      previous: { modelVersion: 'm1', status: 'retired' },
    });
    expect(await championForFeatures(db.pool, 'fs')).toBe('m2');
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs2', '{2020}', '{a,c}', 0, '/fs2.arrow')`,
    );
    expect(await championForFeatures(db.pool, 'fs2')).toBeNull();
    expect(await events()).toEqual(['m2:promoted']);
  });

  it('restores the previous champion only while the one it replaces still serves', async () => {
    expect(
      await withTransaction(db.pool, (client) =>
        restorePreviousChampion(client, { serving: 'm1', previous: 'm2', reason: 'stale read' }),
      ),
    ).toBe(false);
    expect((await servingModel(db.pool))?.modelVersion).toBe('m2');
    expect(
      await withTransaction(db.pool, (client) =>
        restorePreviousChampion(client, { serving: 'm2', previous: 'm1', reason: 'worse' }),
      ),
    ).toBe(true);
    expect(await servingAndPrevious(db.pool)).toMatchObject({
      serving: { modelVersion: 'm1' },
      previous: { modelVersion: 'm2' },
    });
    const { rows } = await db.pool.query(`SELECT model_version, retired_reason FROM models ORDER BY model_version`);
    expect(rows).toEqual([
      { model_version: 'm1', retired_reason: null },
      { model_version: 'm2', retired_reason: 'worse' },
    ]);
  });
});
