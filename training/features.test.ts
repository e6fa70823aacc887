/** Point-in-time features on a hand-built universe of a few players (as-of season 2019). */
import { describe, expect, it } from 'vitest';
import type { DraftPick, HittingCounts, PitchingCounts, PlayerBio, ScoutingGrade, SeasonLine } from '../lib/domain.ts';
import { FEATURE_CATALOG, FEATURE_INDEX, FEATURE_NAMES, type FeatureName } from './feature-catalog.ts';
import {
  classifyPlayer,
  computeFeatures,
  parseDraftRound,
  positionGroup,
  SHRINK_TRIALS,
  type FeatureRow,
} from './features.ts';
import { emptyHitting, emptyPitching } from './level-norms.ts';

const ROK = 16,
  A = 14,
  APLUS = 13,
  AAA = 11,
  MLB = 1;

function bio(
  playerId: number,
  birthDate: string | null,
  position: string | null,
  bats: string | null,
  throws: string | null,
): PlayerBio {
  return {
    playerId,
    fullName: `P${playerId}`,
    birthDate,
    primaryPosition: position,
    batSide: bats,
    pitchHand: throws,
    mlbDebutDate: null,
  };
}

/** A hitter line with plausible counts scaled from PA; `k` overrides strikeouts. */
function hit(playerId: number, season: number, sportId: number, pa: number, k = Math.round(pa * 0.2)): SeasonLine {
  const stats: HittingCounts = {
    ...emptyHitting(),
    games: Math.round(pa / 4),
    plateAppearances: pa,
    atBats: Math.round(pa * 0.88),
    hits: Math.round(pa * 0.23),
    doubles: Math.round(pa * 0.05),
    triples: Math.round(pa * 0.005),
    homeRuns: Math.round(pa * 0.02),
    baseOnBalls: Math.round(pa * 0.09),
    intentionalWalks: 0,
    hitByPitch: Math.round(pa * 0.01),
    strikeOuts: k,
    stolenBases: Math.round(pa * 0.03),
    caughtStealing: Math.round(pa * 0.01),
    sacFlies: Math.round(pa * 0.01),
  };
  return { playerId, season, sportId, teamId: null, group: 'hitting', stats };
}

function pit(playerId: number, season: number, sportId: number, outs: number, starts = 0): SeasonLine {
  const bf = Math.round(outs * 1.4);
  const stats: PitchingCounts = {
    ...emptyPitching(),
    games: Math.max(starts, Math.round(outs / 12)),
    gamesStarted: starts,
    outs,
    battersFaced: bf,
    hits: Math.round(bf * 0.22),
    homeRuns: Math.round(bf * 0.02),
    baseOnBalls: Math.round(bf * 0.09),
    strikeOuts: Math.round(bf * 0.22),
    earnedRuns: Math.round(outs / 6),
  };
  return { playerId, season, sportId, teamId: null, group: 'pitching', stats };
}

function mlbHit(playerId: number, season: number, atBats: number): SeasonLine {
  return {
    playerId,
    season,
    sportId: MLB,
    teamId: null,
    group: 'hitting',
    stats: { ...emptyHitting(), plateAppearances: atBats + 10, atBats },
  };
}

const players = [
  bio(1, '2000-03-15', 'SS', 'L', 'R'), // young hitter, ROK 2018 -> A and A+ 2019, first-round pick
  bio(2, '1995-05-01', 'CF', 'R', 'R'), // old hitter at A, undrafted
  bio(3, '1994-08-01', 'C', 'S', 'R'), // old hitter at A+, competitive-balance pick
  bio(4, '1998-01-10', 'P', 'L', 'L'), // starter at A+ who also batted a little
  bio(5, '1996-02-02', 'P', 'R', 'R'), // reliever, A 2018 -> A+ 2019
  bio(6, '1997-04-04', '3B', 'R', 'R'), // 200 MLB at-bats in 2018: no longer a prospect
  bio(7, '1996-09-09', '1B', 'R', 'R'), // 100 MLB at-bats in 2018: still a prospect
  bio(8, '1999-12-12', 'RF', null, null), // big MLB season in 2020, after the as-of date
];

const lines: SeasonLine[] = [
  hit(1, 2018, ROK, 200),
  hit(1, 2019, A, 300, 45),
  hit(1, 2019, APLUS, 150, 40),
  hit(2, 2018, A, 350),
  hit(2, 2019, A, 400, 100),
  hit(3, 2019, APLUS, 450, 80),
  pit(4, 2019, APLUS, 300, 20),
  hit(4, 2019, APLUS, 3, 2),
  pit(5, 2018, A, 150),
  pit(5, 2019, APLUS, 180),
  mlbHit(6, 2018, 200),
  hit(6, 2019, AAA, 300),
  mlbHit(7, 2018, 100),
  hit(7, 2019, AAA, 300),
  hit(8, 2019, A, 250),
];

const drafts: DraftPick[] = [
  { playerId: 1, year: 2018, round: '1', pickNumber: 12, orgId: 100, school: null },
  { playerId: 3, year: 2016, round: 'CBA', pickNumber: 35, orgId: 100, school: null },
  { playerId: 4, year: 2017, round: '5', pickNumber: 150, orgId: 100, school: null },
];

const grades: ScoutingGrade[] = [
  {
    playerId: 1,
    source: 'fangraphs',
    season: 2019,
    futureValue: 55,
    overallRank: null,
    tools: {
      hit: { present: 30, future: 60 },
      gamePower: { present: 30, future: 50 },
      speed: { present: 60, future: 60 },
    },
  },
  { playerId: 1, source: 'baseball_america', season: 2019, futureValue: null, overallRank: 42, tools: {} },
  { playerId: 5, source: 'fangraphs', season: 2017, futureValue: 40, overallRank: null, tools: {} },
  {
    playerId: 5,
    source: 'fangraphs',
    season: 2018,
    futureValue: 45,
    overallRank: null,
    tools: { fastball: { present: 50, future: 60 }, slider: { future: 55 }, command: { present: 40, future: 45 } },
  },
];

const rows = computeFeatures({ asOfSeason: 2019, players, lines, drafts, grades });

function row(playerId: number, from: FeatureRow[] = rows): FeatureRow {
  const r = from.find((x) => x.playerId === playerId);
  if (!r) throw new Error(`no row for ${playerId}`);
  return r;
}

function f(playerId: number, name: FeatureName): number {
  return row(playerId).values[FEATURE_INDEX[name]]!;
}

describe('catalog', () => {
  it('names are unique and every entry is documented', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    for (const spec of FEATURE_CATALOG) for (const text of Object.values(spec)) expect(text.length).toBeGreaterThan(0);
  });

  it('every catalog feature is computed for some player of the fixture', () => {
    const never = FEATURE_NAMES.filter((name) => rows.every((r) => Number.isNaN(r.values[FEATURE_INDEX[name]])));
    expect(never).toEqual([]);
  });
});

describe('computeFeatures', () => {
  it('keeps rookie-eligible minor leaguers of the as-of season, one row each, ordered by id', () => {
    expect(rows.map((r) => r.playerId)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(rows.every((r) => r.asOfSeason === 2019 && r.values.length === FEATURE_NAMES.length)).toBe(true);
  });

  it('excludes a player with 200 MLB at-bats before the as-of season end', () => {
    expect(rows.some((r) => r.playerId === 6)).toBe(false);
    expect(f(7, 'mlb_ab_to_date')).toBe(100);
  });

  it('excludes a pitcher past 150 MLB outs', () => {
    const more = [...lines, { ...pit(5, 2018, MLB, 151) }];
    expect(computeFeatures({ asOfSeason: 2019, players, lines: more, drafts }).some((r) => r.playerId === 5)).toBe(
      false,
    );
  });

  it('gives a young player a negative age relative to his level', () => {
    expect(f(1, 'age')).toBeCloseTo(19.3, 1);
    expect(f(1, 'age_rel_level')).toBeLessThan(-2);
    expect(f(3, 'age_rel_level')).toBeGreaterThan(2);
  });

  it('describes the level path', () => {
    expect(f(1, 'level_ordinal')).toBe(5);
    expect(f(1, 'levels_played')).toBe(2);
    expect(f(1, 'level_climb')).toBe(4);
    expect(f(1, 'seasons_pro')).toBe(2);
    expect(f(1, 'seasons_at_level')).toBe(1);
    expect(f(2, 'seasons_at_level')).toBe(2);
    expect(f(2, 'level_climb')).toBe(0);
    expect(f(3, 'level_climb')).toBeNaN();
    // Promoted from A (300 PA) to A+ (150 PA) during 2019.
    expect(f(1, 'in_season_climb')).toBe(1);
    expect(f(1, 'share_at_level')).toBeCloseTo(150 / 450, 6);
    expect(f(2, 'in_season_climb')).toBe(0);
    expect(f(2, 'share_at_level')).toBe(1);
  });

  it('marks careers that may have begun before the data as left-censored, not as rookies', () => {
    // The fixture's minor-league data begin in 2018: players seen then may have played before.
    expect(f(1, 'left_censored')).toBe(1);
    expect(f(1, 'age_first_pro')).toBeNaN();
    expect(f(2, 'left_censored')).toBe(1);
    // Player 7 was in the majors (2018) before his first minor-league line (2019): a career before the data.
    expect(f(7, 'left_censored')).toBe(1);
    // Player 3 first appears in 2019, after the window opened, with no earlier major-league line: a real debut.
    expect(f(3, 'left_censored')).toBe(0);
    expect(f(3, 'age_first_pro')).toBeCloseTo(f(3, 'age'), 6);
    expect(f(3, 'seasons_pro')).toBe(1);
    expect(f(1, 'prior_season_gap')).toBe(0);
    expect(f(1, 'seasons_since_last_line')).toBe(1);
    expect(f(3, 'seasons_since_last_line')).toBeNaN();
  });

  it('looks back across a season without minor leagues (2020): 2021 compares with 2019 and says so', () => {
    const covid = [
      hit(20, 2018, ROK, 200),
      hit(20, 2019, A, 400, 60),
      hit(20, 2021, APLUS, 400, 100),
      hit(21, 2019, A, 400, 100),
      hit(21, 2021, A, 400, 80),
      hit(22, 2018, A, 400),
      hit(22, 2021, APLUS, 300),
      mlbHit(23, 2020, 50),
    ];
    const bios = [20, 21, 22, 23].map((id) => bio(id, '1999-06-01', 'SS', 'R', 'R'));
    const at2021 = computeFeatures({ asOfSeason: 2021, players: bios, lines: covid, drafts: [] });
    const g = (id: number, name: FeatureName) => row(id, at2021).values[FEATURE_INDEX[name]]!;
    expect(g(20, 'prior_season_gap')).toBe(1);
    // Climbed from A (2019) to A+ (2021): one level, not "no previous season".
    expect(g(20, 'level_climb')).toBe(1);
    expect(g(21, 'level_climb')).toBe(0);
    expect(g(20, 'seasons_since_last_line')).toBe(2);
    // Player 22 last played in 2018: three seasons back, and no 2019 line to climb from.
    expect(g(22, 'seasons_since_last_line')).toBe(3);
    expect(g(22, 'level_climb')).toBeNaN();
    // The change in K% vs level is against 2019, and is finite.
    expect(Number.isFinite(g(21, 'hit_k_rate_delta'))).toBe(true);
    expect(g(21, 'hit_k_rate_delta')).toBeLessThan(0);
  });

  it('leaves draft features missing, not zero, for an undrafted player', () => {
    expect(f(2, 'draft_round')).toBeNaN();
    expect(f(2, 'draft_pick')).toBeNaN();
    expect(f(2, 'draft_age')).toBeNaN();
    expect(f(2, 'undrafted')).toBe(1);
    expect(f(1, 'draft_round')).toBe(1);
    expect(f(1, 'draft_pick')).toBe(12);
    expect(f(1, 'draft_age')).toBeCloseTo(18.3, 1);
    expect(f(3, 'draft_round')).toBe(1.5);
    expect(f(1, 'undrafted')).toBe(0);
  });

  it('classifies by playing time and leaves the other group missing', () => {
    expect(row(4).group).toBe('pitching');
    expect(f(4, 'is_pitcher')).toBe(1);
    expect(f(4, 'hit_pa')).toBeNaN();
    expect(f(4, 'hit_k_rate')).toBeNaN();
    expect(f(4, 'pit_gs_share')).toBeCloseTo(20 / 25, 6);
    expect(f(4, 'pit_ip')).toBeCloseTo(100, 4);
    expect(row(1).group).toBe('hitting');
    expect(f(1, 'pit_ip')).toBeNaN();
    expect(f(1, 'pit_k_rate_w3')).toBeNaN();
    expect(f(8, 'bats_left')).toBeNaN();
  });

  it('computes rates from summed counts and compares each line with its own level', () => {
    expect(f(1, 'hit_pa')).toBe(450);
    expect(f(1, 'hit_k_rate')).toBeCloseTo(85 / 450, 6);
    // Player 2 struck out in 25% of PA at A, where the level mean is (15% + 25% + 20%) / 3; his 400 PA are
    // regressed toward that mean by SHRINK_TRIALS pseudo-PA at the mean.
    expect(f(2, 'hit_k_rate_rel')).toBeCloseTo((400 * (0.25 - 0.2)) / (400 + SHRINK_TRIALS), 6);
    expect(f(2, 'hit_k_rate_delta')).toBeGreaterThan(0);
    expect(f(4, 'pit_k_bb_rate')).toBeCloseTo(f(4, 'pit_k_rate') - f(4, 'pit_bb_rate'), 6);
    // Workload: batters faced per game of the as-of season (420 in 25 games; 252 in 15).
    expect(f(4, 'pit_bf_per_game')).toBeCloseTo(420 / 25, 4);
    expect(f(5, 'pit_bf_per_game')).toBeCloseTo(252 / 15, 4);
    expect(Number.isFinite(f(5, 'pit_k_bb_w3'))).toBe(true);
    expect(f(1, 'pit_k_bb_w3')).toBeNaN();
  });

  it('compares age and rates with the league of his team as well as with his level: two leagues of one level', () => {
    // Level A, 2019: league X (teams 101, 102) strikes out 15% and 25%, league Y (team 201) 35% twice; player 34's
    // team has no known league. Ages 20 and 22 in X, 24 and 26 in Y, 23 for player 34.
    const at = (playerId: number, teamId: number, k: number): SeasonLine => ({
      ...hit(playerId, 2019, A, 400, k),
      teamId,
    });
    const two = [at(30, 101, 60), at(31, 102, 100), at(32, 201, 140), at(33, 201, 140), at(34, 999, 110)];
    const bios = [
      bio(30, '1999-07-01', 'SS', 'R', 'R'),
      bio(31, '1997-07-01', 'SS', 'R', 'R'),
      bio(32, '1995-07-01', 'SS', 'R', 'R'),
      bio(33, '1993-07-01', 'SS', 'R', 'R'),
      bio(34, '1996-07-01', 'SS', 'R', 'R'),
    ];
    const leagues = [
      { teamId: 101, season: 2019, league: 'X' },
      { teamId: 102, season: 2019, league: 'X' },
      { teamId: 201, season: 2019, league: 'Y' },
    ];
    const rows = computeFeatures({ asOfSeason: 2019, players: bios, lines: two, drafts: [], leagues });
    const v = (id: number, name: FeatureName) => rows.find((r) => r.playerId === id)!.values[FEATURE_INDEX[name]]!;
    const shrunk = (k: number, mean: number) => (k - 400 * mean) / (400 + SHRINK_TRIALS);
    // Level mean K% 27.5%; league X 20%, league Y 35%.
    expect(v(31, 'hit_k_rate_rel')).toBeCloseTo(shrunk(100, 0.275), 6);
    expect(v(31, 'hit_k_rate_rel_league')).toBeCloseTo(shrunk(100, 0.2), 6);
    expect(v(32, 'hit_k_rate_rel_league')).toBeCloseTo(0, 6);
    expect(v(32, 'hit_k_rate_rel')).toBeGreaterThan(0.05);
    // Mean age: 23 at the level, 21 in X, 25 in Y. Player 31 is young for the level but old for his league.
    expect(v(31, 'age_rel_level')).toBeCloseTo(-1, 2);
    expect(v(31, 'age_rel_league')).toBeCloseTo(1, 2);
    expect(v(33, 'age_rel_league')).toBeCloseTo(1, 2);
    // No known league: read against the level.
    expect(v(34, 'hit_k_rate_rel_league')).toBeCloseTo(v(34, 'hit_k_rate_rel'), 6);
    expect(v(34, 'age_rel_league')).toBeCloseTo(v(34, 'age_rel_level'), 6);
    // Without leagues (the sample universe) every "vs league" column equals its "vs level" column.
    const plain = computeFeatures({ asOfSeason: 2019, players: bios, lines: two, drafts: [] });
    for (const r of plain) {
      const x = (name: FeatureName) => r.values[FEATURE_INDEX[name]]!;
      expect([
        x('age_rel_league'),
        x('hit_k_rate_rel_league'),
        x('hit_bb_rate_rel_league'),
        x('hit_iso_rel_league'),
      ]).toEqual([x('age_rel_level'), x('hit_k_rate_rel'), x('hit_bb_rate_rel'), x('hit_iso_rel')]);
    }
  });

  it('uses the bio for handedness and position', () => {
    expect([f(3, 'bats_switch'), f(3, 'bats_left'), f(3, 'pos_c'), f(3, 'pos_if')]).toEqual([1, 0, 1, 0]);
    expect([f(4, 'throws_left'), f(4, 'pos_p'), f(2, 'pos_of'), f(1, 'pos_if')]).toEqual([1, 1, 1, 1]);
  });
});

describe('point in time', () => {
  const bits = (r: FeatureRow[]) => r.map((x) => [x.playerId, x.group, Array.from(new Uint8Array(x.values.buffer))]);

  it('adding later seasons and later drafts changes no feature of an earlier as-of season', () => {
    const later: SeasonLine[] = [
      hit(1, 2020, AAA, 500, 50),
      mlbHit(1, 2021, 600),
      hit(2, 2020, APLUS, 500),
      mlbHit(8, 2020, 400),
      pit(5, 2020, MLB, 400),
      hit(9, 2020, A, 400),
      hit(3, 2019 + 1, 12, 300),
    ];
    const laterDrafts: DraftPick[] = [
      { playerId: 2, year: 2020, round: '10', pickNumber: 300, orgId: 1, school: null },
      { playerId: 1, year: 2021, round: '2', pickNumber: 40, orgId: 1, school: null },
    ];
    const extended = computeFeatures({
      asOfSeason: 2019,
      players: [...players, bio(9, '2001-01-01', 'SS', 'R', 'R')],
      lines: [...later.slice(0, 3), ...lines, ...later.slice(3)],
      drafts: [...laterDrafts, ...drafts],
      grades,
    });
    expect(bits(extended)).toEqual(bits(rows));
  });

  it('grades of lists dated after the as-of season change no feature', () => {
    const laterGrades: ScoutingGrade[] = [
      {
        playerId: 2,
        source: 'fangraphs',
        season: 2020,
        futureValue: 60,
        overallRank: null,
        tools: { hit: { future: 70 } },
      },
      {
        playerId: 1,
        source: 'fangraphs',
        season: 2020,
        futureValue: 70,
        overallRank: null,
        tools: { hit: { future: 80 } },
      },
      { playerId: 5, source: 'baseball_america', season: 2021, futureValue: null, overallRank: 3, tools: {} },
    ];
    const extended = computeFeatures({ asOfSeason: 2019, players, lines, drafts, grades: [...laterGrades, ...grades] });
    expect(bits(extended)).toEqual(bits(rows));
  });

  it('also matches a run given only the data known at the time', () => {
    const earlier = computeFeatures({ asOfSeason: 2018, players, lines, drafts, grades });
    const known = computeFeatures({
      asOfSeason: 2018,
      players,
      lines: lines.filter((l) => l.season <= 2018),
      drafts: drafts.filter((d) => d.year <= 2018),
      grades: grades.filter((g) => g.season <= 2018),
    });
    expect(earlier.length).toBeGreaterThan(0);
    expect(bits(earlier)).toEqual(bits(known));
  });
});

describe('scouting grades', () => {
  const GRADE_FEATURES: FeatureName[] = ['fg_fv', 'fg_hit_future', 'fg_pitch_future', 'ba_top100_rank', 'fg_grade_age'];

  it('are missing, not zero, without grades', () => {
    const bare = computeFeatures({ asOfSeason: 2019, players, lines, drafts });
    for (const r of bare) for (const name of GRADE_FEATURES) expect(r.values[FEATURE_INDEX[name]]).toBeNaN();
    for (const name of GRADE_FEATURES) expect(f(2, name)).toBeNaN();
  });

  it('scale FV and tool grades as (grade - 50) / 10 from the latest list of each source', () => {
    expect(f(1, 'fg_fv')).toBeCloseTo(0.5);
    expect(f(1, 'fg_hit_future')).toBeCloseTo(0.5); // mean of future hit 60 and game power 50
    expect(f(1, 'fg_pitch_future')).toBeNaN();
    expect(f(1, 'fg_grade_age')).toBe(0);
    expect(f(5, 'fg_fv')).toBeCloseTo(-0.5); // the 2018 list, not 2017
    expect(f(5, 'fg_pitch_future')).toBeCloseTo((1 + 0.5 - 0.5) / 3);
    expect(f(5, 'fg_hit_future')).toBeNaN();
    expect(f(5, 'fg_grade_age')).toBe(1);
  });

  it('show a BA rank only from the season of its list on', () => {
    expect(f(1, 'ba_top100_rank')).toBe(42);
    const before = computeFeatures({ asOfSeason: 2018, players, lines, drafts, grades });
    expect(row(1, before).values[FEATURE_INDEX.ba_top100_rank]).toBeNaN();
    expect(row(1, before).values[FEATURE_INDEX.fg_fv]).toBeNaN();
    expect(row(5, before).values[FEATURE_INDEX.fg_grade_age]).toBe(0);
  });
});

describe('helpers', () => {
  it('parses draft rounds', () => {
    expect(['1', '12', '1C', 'C-1', 'CBA', 'CB-B', '2S', 'X', ''].map(parseDraftRound)).toEqual([
      1,
      12,
      1.5,
      1.5,
      1.5,
      2.5,
      2.5,
      NaN,
      NaN,
    ]);
  });

  it('groups positions', () => {
    expect(['SS', '6', 'Shortstop', 'C', 'LF', 'Outfielder', 'P', 'TWP', 'DH', null, '?'].map(positionGroup)).toEqual([
      'IF',
      'IF',
      'IF',
      'C',
      'OF',
      'OF',
      'P',
      'P',
      'DH',
      undefined,
      undefined,
    ]);
  });

  it('breaks a playing-time tie by position', () => {
    const tie = [
      hit(10, 2019, A, 100),
      { ...pit(10, 2019, A, 70), stats: { ...emptyPitching(), battersFaced: 100 } },
    ] as SeasonLine[];
    expect(classifyPlayer(tie, 2019, bio(10, null, 'P', null, null))).toBe('pitching');
    expect(classifyPlayer(tie, 2019, bio(10, null, 'SS', null, null))).toBe('hitting');
    expect(classifyPlayer(tie, 2018)).toBeUndefined();
  });
});
