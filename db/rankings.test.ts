import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  analyzePublishedProspects,
  latestPublishedSnapshot,
  markPublished,
  PUBLISHED_CHANNEL,
  replacePublishedProspects,
  snapshotBefore,
  upsertRankingSnapshot,
} from './rankings.ts';

describe('publication of a ranking snapshot', () => {
  let db: TestDatabase;
  let listener: pg.Client;
  const heard: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2025}', '{a}', 0, '/fs.arrow')`,
    );
    await db.pool.query(
      `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, artifact_path) VALUES ('m', 'xgboost', '{}', '{a}', 'fs', '/m')`,
    );
    await db.pool.query(
      `INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ('pr', 'm', 'fs', 2025)`,
    );
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => {
      if (n.channel === PUBLISHED_CHANNEL) heard.push(n.payload ?? '');
    });
    await listener.query(`LISTEN ${PUBLISHED_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await db.drop();
  });

  // A round trip on the listener's connection: notifications committed before it have been delivered by its end.
  const settle = () => listener.query('SELECT 1');

  it('serves nothing and announces nothing when the switch rolls back', async () => {
    await upsertRankingSnapshot(db.pool, {
      snapshotId: 'rs-1',
      predictionRunId: 'pr',
      path: '/rs-1.json',
      prospectCount: 0,
    });
    const failed = withTransaction(db.pool, async (client) => {
      await markPublished(client, 'rs-1', '/site/rs-1');
      throw new Error('the symlink could not be switched');
    });
    await expect(failed).rejects.toThrow('symlink');
    await settle();
    expect(heard).toEqual([]);
    expect(await latestPublishedSnapshot(db.pool)).toBeNull();
  });

  it('announces the snapshot id on PUBLISHED_CHANNEL once the switch commits, and serves it', async () => {
    await withTransaction(db.pool, async (client) => {
      await markPublished(client, 'rs-1', '/site/rs-1');
      await settle();
      // Not before the commit: the API must not start a cache version for a publication that may still roll back.
      expect(heard).toEqual([]);
    });
    await vi.waitFor(() => expect(heard).toEqual(['rs-1']));
    expect(await latestPublishedSnapshot(db.pool)).toMatchObject({ snapshotId: 'rs-1', predictionRunId: 'pr' });
    const { rows } = await db.pool.query(`SELECT site_path FROM ranking_snapshots WHERE snapshot_id = 'rs-1'`);
    expect(rows).toEqual([{ site_path: '/site/rs-1' }]);
  });

  it('leaves the cards of a published snapshot as they are when its publish step runs again', async () => {
    await db.pool
      .query(`INSERT INTO published_prospects (ranking_snapshot_id, player_id, rank, name, search_name, position, is_pitcher, level,
                           confidence, probability, dynasty_value, card)
                         VALUES ('rs-1', 1, 1, 'A', 'a', 'SS', false, 'AA', 'High', 0.5, 10, '{}')`);
    const written = await withTransaction(db.pool, (client) => replacePublishedProspects(client, 'rs-1', []));
    expect(written).toBe(0);
    const { rows } = await db.pool.query(
      `SELECT player_id FROM published_prospects WHERE ranking_snapshot_id = 'rs-1'`,
    );
    expect(rows).toEqual([{ player_id: 1 }]);
  });

  it('finds the snapshot generated before another', async () => {
    await upsertRankingSnapshot(db.pool, {
      snapshotId: 'rs-2',
      predictionRunId: 'pr',
      path: '/rs-2.json',
      prospectCount: 0,
    });
    expect(await snapshotBefore(db.pool, 'rs-2')).toEqual({ snapshotId: 'rs-1', predictionRunId: 'pr' });
    expect(await snapshotBefore(db.pool, 'rs-1')).toBeNull();
  });

  it('refreshes the planner statistics of the published cards', async () => {
    const analyzed = async () =>
      (
        await db.pool.query<{ at: Date | null }>(
          `SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = 'published_prospects'`,
        )
      ).rows[0]?.at ?? null;
    const before = await analyzed();
    await analyzePublishedProspects(db.pool);
    // The statistics collector reports asynchronously: wait for the record of this ANALYZE.
    let after: Date | null = null;
    for (let i = 0; i < 50 && (after === null || (before !== null && after <= before)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await analyzed();
    }
    expect(after).not.toBeNull();
    if (before) expect(after!.getTime()).toBeGreaterThan(before.getTime());
  });
});
