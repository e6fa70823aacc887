/**
 * publishSnapshot writes the snapshot file, its ranking_snapshots row and the prospect cards the API serves
 * (published_prospects) together, and a retry replaces the cards rather than adding to them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import type { Snapshot } from '../lib/snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { createPublishActivities } from './publish.ts';

const FEATURES = FEATURE_CATALOG.slice(0, 3).map((f) => f.name as string);

describe('publishSnapshot', () => {
  let db: TestDatabase;
  let dir: string;
  let activities: ReturnType<typeof createPublishActivities>;
  type PublishSnapshot = ReturnType<typeof createPublishActivities>['publishSnapshot'];
  const publish = (predictionRunId: string, rankingSnapshotId: string) =>
    new MockActivityEnvironment().run<
      Parameters<PublishSnapshot>,
      Awaited<ReturnType<PublishSnapshot>>,
      PublishSnapshot
    >(activities.publishSnapshot.bind(activities), { predictionRunId, rankingSnapshotId });
  const cards = async (snapshotId: string) =>
    (
      await db.pool.query(
        `SELECT player_id, rank, name, search_name, position, is_pitcher, org_id, org_abbreviation, level, age, eta, confidence, probability, dynasty_value, card
     FROM published_prospects WHERE ranking_snapshot_id = $1 ORDER BY rank`,
        [snapshotId],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'afwd-publish-'));
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
               (1, 'José Pérez', '2003-05-01', 'SS'), (2, 'Bob Baker', '2002-01-01', 'P'), (3, 'Zoë Ñúñez', '2004-07-04', 'CF')`);
    await q(`INSERT INTO organizations (org_id, name, abbreviation) VALUES (136, 'Seattle Mariners', 'SEA')`);
    await q(
      `INSERT INTO affiliates (team_id, season, sport_id, name, org_id) VALUES (8001, 2025, 12, 'Arkansas Travelers', 136)`,
    );
    await q(`INSERT INTO player_season_stats (season, player_id, sport_id, team_id, stat_group, games, games_started, outs, batters_faced, hits,
               home_runs, base_on_balls, hit_by_pitch, strike_outs, earned_runs, source)
             VALUES (2025, 2, 12, 8001, 'pitching', 25, 25, 420, 600, 130, 15, 45, 6, 140, 60, 'test')`);
    await q(
      `INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ('pr', 'm', 'fs', 2025)`,
    );
    for (const [player, rank, probability] of [
      [1, 1, 0.7],
      [2, 2, 0.5],
      [3, 3, 0.3],
    ] as const) {
      await q(
        `INSERT INTO predictions (prediction_run_id, player_id, model_version, as_of_season, probability, confidence, base_value, shap, rank, eta, dynasty)
               VALUES ('pr', $1, 'm', 2025, $2, 'High', -2, '{0.1,0.2,0.3}', $3, 2027, $4)`,
        [player, probability, rank, { roleWeight: 1, yearsToEta: 2, value: 80 * probability }],
      );
    }
    activities = createPublishActivities({
      pool: db.pool,
      config: loadConfig({ AFWD_DATA_DIR: dir, LOG_LEVEL: 'warn' }),
      log: createLogger({ level: 'warn' }),
      mlbBaseUrl: 'http://127.0.0.1:1',
    });
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores one card per prospect of the snapshot, with the columns the API filters, sorts and searches on', async () => {
    const result = await publish('pr', 'rs-1');
    expect(result.prospects).toBe(3);
    const snapshot = JSON.parse(await readFile(result.snapshotPath, 'utf8')) as Snapshot;
    const rows = await cards('rs-1');
    expect(rows.map((r) => r.card)).toEqual(snapshot.prospects);
    expect(rows.map((r) => [r.player_id, r.rank, r.name, r.search_name])).toEqual([
      [1, 1, 'José Pérez', 'jose perez'],
      [2, 2, 'Bob Baker', 'bob baker'],
      [3, 3, 'Zoë Ñúñez', 'zoe nunez'],
    ]);
    expect(rows[1]).toMatchObject({
      position: 'P',
      is_pitcher: true,
      org_id: 136,
      org_abbreviation: 'SEA',
      level: 'AA',
      eta: 2027,
      confidence: 'High',
      probability: expect.closeTo(0.5, 6) as number,
      dynasty_value: expect.closeTo(40, 4) as number,
      age: expect.closeTo(23.5, 4) as number,
    });
    expect(rows[0]).toMatchObject({ is_pitcher: false, org_id: null, org_abbreviation: null, level: 'ROK' });
  });

  it("replaces the cards of a snapshot written again, and leaves other snapshots' alone", async () => {
    await publish('pr', 'rs-2');
    await db.pool.query(`DELETE FROM predictions WHERE prediction_run_id = 'pr' AND player_id = 3`);
    await publish('pr', 'rs-1');
    expect((await cards('rs-1')).map((r) => r.player_id)).toEqual([1, 2]);
    expect((await cards('rs-2')).map((r) => r.player_id)).toEqual([1, 2, 3]);
    const { rows } = await db.pool.query(`SELECT prospect_count FROM ranking_snapshots WHERE snapshot_id = 'rs-1'`);
    expect(rows).toEqual([{ prospect_count: 2 }]);
  });
});
