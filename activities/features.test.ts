/**
 * The feature step refuses a history with a hole in it: a season never loaded, or one whose latest load breached the
 * data-quality limits, is missing data, not a season without play. Only 2020 had no minor leagues.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  createFeatureActivities,
  INCOMPLETE_HISTORY,
  type BuildFeaturesInput,
  type BuildFeaturesResult,
} from './features.ts';

const FROM = 2015;
const TO = 2021;
// 2010-2014: the MLB-only lead seasons; 2015-2021 full seasons, 2020 without minor leagues (as in reality).
const SEASONS = Array.from({ length: TO - (FROM - 5) + 1 }, (_, i) => FROM - 5 + i);
const AA = 12;

describe('buildFeatures over an incomplete history', () => {
  let db: TestDatabase;
  let dir: string;
  let activities: ReturnType<typeof createFeatureActivities>;
  let runs = 0;

  const build = (input: Partial<BuildFeaturesInput> = {}) =>
    new MockActivityEnvironment().run<
      [BuildFeaturesInput],
      BuildFeaturesResult,
      (i: BuildFeaturesInput) => Promise<BuildFeaturesResult>
    >(activities.buildFeatures.bind(activities), {
      snapshotId: `fs-test-${runs++}`,
      fromSeason: FROM,
      toSeason: TO,
      today: '2022-01-15',
      ...input,
    });
  const refusal = async (input: Partial<BuildFeaturesInput> = {}) => {
    const error = await build(input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe(INCOMPLETE_HISTORY);
    expect(failure.nonRetryable).toBe(true);
    return failure.message;
  };
  const snapshots = async () =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM feature_snapshots')).rows[0]!.n);

  const hitting = (season: number, playerId: number, sportId: number) =>
    db.pool.query(
      `INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, games, hits, home_runs, base_on_balls, hit_by_pitch,
       strike_outs, plate_appearances, at_bats, doubles, triples, intentional_walks, stolen_bases, caught_stealing, sac_flies, source)
     VALUES ($1, $2, $3, 'hitting', 100, 110, 12, 40, 5, 90, 420, 370, 20, 3, 2, 10, 3, 4, 'test')`,
      [season, playerId, sportId],
    );
  const pitching = (season: number, playerId: number, sportId: number) =>
    db.pool.query(
      `INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, games, games_started, outs, batters_faced, hits,
       home_runs, base_on_balls, hit_by_pitch, strike_outs, earned_runs, source)
     VALUES ($1, $2, $3, 'pitching', 25, 25, 420, 600, 130, 15, 45, 6, 140, 60, 'test')`,
      [season, playerId, sportId],
    );
  const loadSeason = async (season: number) => {
    await hitting(season, 1, 1);
    await pitching(season, 2, 1);
    if (season >= FROM && season !== 2020) {
      await hitting(season, 10, AA);
      await pitching(season, 11, AA);
    }
  };
  const batch = async (season: number, status: 'loaded' | 'breached', rowsFetched: number) => {
    const { rows } = await db.pool.query<{ batch_id: string }>(
      `INSERT INTO ingest_batches (source, season, status, finished_at, rows_fetched, rows_loaded, rows_quarantined)
       VALUES ('mlb-stats-api', $1, $2, CASE WHEN $2 = 'loaded' THEN now() END, $3, CASE WHEN $2 = 'loaded' THEN $3 ELSE 0 END,
               CASE WHEN $2 = 'loaded' THEN 0 ELSE $3 END)
       RETURNING batch_id`,
      [season, status, rowsFetched],
    );
    return Number(rows[0]!.batch_id);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'afwd-features-'));
    await db.pool.query(`INSERT INTO players (player_id, full_name, birth_date, primary_position, bat_side, pitch_hand)
      VALUES (1, 'Veteran Hitter', '1990-05-01', 'SS', 'R', 'R'), (2, 'Veteran Pitcher', '1990-05-01', 'P', 'R', 'R'),
             (10, 'Prospect Hitter', '1998-05-01', 'SS', 'R', 'R'), (11, 'Prospect Pitcher', '1998-05-01', 'P', 'R', 'R')`);
    for (const season of SEASONS) await loadSeason(season);
    const config = loadConfig({ AFWD_DATA_DIR: dir, LOG_LEVEL: 'warn' });
    activities = createFeatureActivities({
      pool: db.pool,
      config,
      log: createLogger({ level: 'warn' }),
      mlbBaseUrl: 'http://127.0.0.1:1',
    });
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds over a whole history, in which 2020 has MLB lines only', async () => {
    const result = await build();
    expect(result.lastCompleteSeason).toBe(TO);
    expect(result.rows).toBeGreaterThan(0);
  });

  it('refuses a missing 2016, naming it and the backfill that loads it, and writes nothing', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season = 2016');
    const before = await snapshots();
    try {
      const message = await refusal();
      expect(message).toContain(
        '2016: no MLB hitting lines, no MLB pitching lines, no minor-league hitting lines, no minor-league pitching lines',
      );
      expect(message).toContain('npm run backfill -- --from 2016 --to 2016');
      expect(message).not.toMatch(/\b2020:/);
      expect(await snapshots()).toBe(before);
    } finally {
      await loadSeason(2016);
    }
  });

  it('refuses a 2016 that holds MLB lines only (a lead season of an earlier backfill, never loaded whole)', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season = 2016 AND sport_id <> 1');
    try {
      const message = await refusal();
      expect(message).toContain('2016: no minor-league hitting lines, no minor-league pitching lines');
      expect(message).not.toContain('MLB hitting');
    } finally {
      await db.pool.query('DELETE FROM player_season_stats WHERE season = 2016');
      await loadSeason(2016);
    }
  });

  it('refuses a missing MLB lead season: labels and rookie eligibility read it', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season = 2012 AND stat_group = $1', ['pitching']);
    try {
      const message = await refusal();
      expect(message).toContain('2012: no MLB pitching lines');
      // The lead seasons come with the backfill's first season.
      expect(message).toContain(`npm run backfill -- --from ${FROM} --to ${FROM}`);
    } finally {
      await pitching(2012, 2, 1);
    }
  });

  it('accepts a lead season the source answered with no line at all (before its history), and no other empty season', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season IN (2011, 2016)');
    try {
      // Never loaded: missing.
      expect(await refusal()).toContain('2011: no MLB hitting lines, no MLB pitching lines');
      // Loaded, and the source held nothing for 2011 (the sample universe begins in its first season): nothing missing.
      await batch(2011, 'loaded', 0);
      await batch(2016, 'loaded', 0);
      const message = await refusal();
      expect(message).not.toMatch(/\b2011:/);
      // An as-of season the source answered empty is still missing: there would be no prospect in it.
      expect(message).toContain('2016: no MLB hitting lines');
    } finally {
      await loadSeason(2011);
      await loadSeason(2016);
    }
  });

  it('reads only the seasons of its range: a hole before the lead seasons or after the last finished season is no concern', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season = 2021');
    try {
      // On 15 July 2021 the last finished season is 2020: 2021 is neither labelled from nor scored.
      const result = await build({ today: '2021-07-15' });
      expect(result.lastCompleteSeason).toBe(2020);
      expect(await refusal({ today: '2022-01-15' })).toContain('2021: no MLB hitting lines');
    } finally {
      await loadSeason(2021);
    }
    // From 2016 the lead seasons are 2011-2015: the database's 2010 is not read, so it may be missing.
    await db.pool.query('DELETE FROM player_season_stats WHERE season = 2010');
    try {
      await expect(build({ fromSeason: 2016 })).resolves.toMatchObject({ lastCompleteSeason: TO });
      expect(await refusal({ fromSeason: 2015 })).toContain('2010: no MLB hitting lines');
    } finally {
      await loadSeason(2010);
    }
  });

  it('refuses a season whose latest load breached, until a later load of its lines succeeds', async () => {
    await batch(2017, 'loaded', 500);
    const breached = await batch(2017, 'breached', 500);
    // Its lines are still the older load's, but the source's latest answer for 2017 could not be loaded.
    const message = await refusal();
    expect(message).toContain(`2017: its latest load (batch ${breached}) breached the data-quality limits`);
    expect(message).toContain(`npm run quarantine -- --batch ${breached}`);
    expect(message).toContain('npm run backfill -- --from 2017 --to 2017');
    // A bio refresh (a finished batch without season lines) does not clear the breach.
    await batch(2017, 'loaded', 0);
    await refusal();
    // Re-run after the fix: a later load of the season's lines.
    await batch(2017, 'loaded', 500);
    await expect(build()).resolves.toMatchObject({ lastCompleteSeason: TO });
  });

  it('names every broken season in one message and one backfill covering them', async () => {
    await db.pool.query('DELETE FROM player_season_stats WHERE season IN (2016, 2019)');
    const breached = await batch(2018, 'breached', 500);
    try {
      const message = await refusal();
      expect(message).toMatch(/seasons 2016, 2018, 2019 are not loaded whole/);
      expect(message).toContain(`2018: its latest load (batch ${breached})`);
      expect(message).toContain('npm run backfill -- --from 2016 --to 2019');
    } finally {
      await loadSeason(2016);
      await loadSeason(2019);
      await batch(2018, 'loaded', 500);
    }
    await expect(build()).resolves.toMatchObject({ lastCompleteSeason: TO });
  });
});
