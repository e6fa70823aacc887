import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { FEATURE_INDEX } from '../training/feature-catalog.ts';
import { computeFeatures } from '../training/features.ts';
import { loadHistory } from './history.ts';

describe('loadHistory', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO players (player_id, full_name, birth_date, primary_position, bat_side, pitch_hand)
      VALUES (800001, 'Grade Tester', '2003-05-01', 'SS', 'R', 'R'), (800002, 'No Grades', '2003-05-01', 'SS', 'R', 'R')`);
    await db.pool
      .query(`INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, games, hits, home_runs, base_on_balls,
      hit_by_pitch, strike_outs, plate_appearances, at_bats, doubles, triples, intentional_walks, stolen_bases, caught_stealing, sac_flies, source)
      SELECT 2024, id, 12, 'hitting', 100, 110, 12, 40, 5, 90, 420, 370, 20, 3, 2, 10, 3, 4, 'test' FROM unnest(ARRAY[800001, 800002]) AS id`);
    await db.pool
      .query(`INSERT INTO scouting_grades (source, season, player_id, match_confidence, name, organization, position, future_value, tools)
      VALUES ('fangraphs', 2024, 800001, 0.95, 'Grade Tester', 'SEA', 'SS', 55, '{"hit": {"present": 30, "future": 55}, "gamePower": {"present": 20, "future": 50}}'),
             ('fangraphs', 2025, 800001, 0.95, 'Grade Tester', 'SEA', 'SS', 60, '{}'),
             ('fangraphs', 2024, NULL, NULL, 'Unmatched Guy', 'SEA', 'SS', 45, '{}')`);
    await db.pool.query(`INSERT INTO affiliates (team_id, season, sport_id, name, league)
      VALUES (8001, 2024, 12, 'Named League', 'SAL'), (8002, 2024, 12, 'No League', NULL)`);
  });
  afterAll(() => db.drop());

  it('reads matched scouting grades from the database into point-in-time features', async () => {
    const history = await loadHistory(db.pool);
    expect(history.grades).toHaveLength(2);
    const rows = computeFeatures({ asOfSeason: 2024, ...history });
    const graded = rows.find((r) => r.playerId === 800001)!;
    const ungraded = rows.find((r) => r.playerId === 800002)!;
    // The 2025 list is not known as of 2024: FV 55, not 60.
    expect(graded.values[FEATURE_INDEX.fg_fv]).toBeCloseTo(0.5);
    expect(graded.values[FEATURE_INDEX.fg_hit_future]).toBeCloseTo(0.25);
    expect(ungraded.values[FEATURE_INDEX.fg_fv]).toBeNaN();
  });

  it('reads the league of each team and season that has one', async () => {
    const history = await loadHistory(db.pool);
    expect(history.leagues).toEqual([{ teamId: 8001, season: 2024, league: 'SAL' }]);
  });
});
