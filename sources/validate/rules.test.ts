// Each per-line rule, with a hand-built line that fails it and one that passes.
import { describe, expect, it } from 'vitest';
import type { PlayerBio, SeasonLine } from '../../lib/domain.ts';
import { ageOnJuly1 } from './rules.ts';
import { validateSeasonLines } from './season-lines.ts';
import { bio, biosFor, hitter, pitcher, SEASON } from './test-lines.ts';

function run(line: SeasonLine, bios: ReadonlyMap<number, PlayerBio> = biosFor([line]), season = SEASON) {
  return validateSeasonLines({ season, lines: [line], bios });
}

function expectRejected(line: SeasonLine, rule: string, ...fragments: string[]) {
  const r = run(line);
  expect(r.accepted).toEqual([]);
  expect(r.rejects).toHaveLength(1);
  expect(r.rejects[0]?.rule).toBe(rule);
  for (const f of fragments) expect(r.rejects[0]?.reason).toContain(f);
}

function expectAccepted(line: SeasonLine, bios?: ReadonlyMap<number, PlayerBio>) {
  const r = run(line, bios);
  expect(r.rejects).toEqual([]);
  expect(r.accepted).toEqual([line]);
  return r;
}

describe('per-line rules', () => {
  it('accepts ordinary hand-built lines without flags', () => {
    expect(expectAccepted(hitter(1)).flags).toEqual([]);
    expect(expectAccepted(pitcher(2)).flags).toEqual([]);
  });

  it('level_not_in_season: Short-Season A existed in 2020, not in 2021', () => {
    const shortSeason = (season: number): SeasonLine => ({ ...hitter(1, {}, {}, 15), season });
    expect(run(shortSeason(2019), biosFor([hitter(1)]), 2019).rejects).toEqual([]);
    const r = run(shortSeason(2021), biosFor([hitter(1)]), 2021);
    expect(r.rejects[0]?.rule).toBe('level_not_in_season');
    expect(r.rejects[0]?.reason).toContain(
      'player 1 (Test Player 1), season 2021, A- hitting: sportId 15 is not a level in 2021',
    );
    expectRejected(hitter(1, {}, {}, 99), 'level_not_in_season', 'sport 99 hitting');
    expectAccepted(hitter(1, {}, {}, 1));
  });

  it('season_mismatch: a line of another season in this batch', () => {
    expectRejected({ ...hitter(1), season: 2014 }, 'season_mismatch', 'line is for season 2014, batch is season 2015');
  });

  it('invalid_count: negative or fractional counts', () => {
    expectRejected(hitter(1, {}, { strikeOuts: -4 }), 'invalid_count', 'strikeOuts = -4');
    expectRejected(pitcher(1, {}, { outs: 12.5 }), 'invalid_count', 'outs = 12.5');
  });

  it('pa_accounting: PA must cover AB + BB + HBP + SF, and exceed it by no more than bunts can explain', () => {
    const base = hitter(1, { pa: 400 }).stats;
    expectRejected(
      hitter(1, { pa: 400 }, { plateAppearances: base.plateAppearances - 2 - 1 }),
      'pa_accounting',
      'plateAppearances 397 <',
    );
    // Residual 20 of 400 = 5%: ordinary. 100 = 25%: flagged. 101 (> max(10, 25%)): rejected.
    expectAccepted(hitter(1, { pa: 400 }, { atBats: base.atBats - 19 }));
    const flagged = expectAccepted(hitter(1, { pa: 400 }, { atBats: base.atBats - 99, hits: 50, strikeOuts: 60 }));
    expect(flagged.flags.map((f) => f.rule)).toEqual(['pa_residual']);
    expect(flagged.flags[0]?.detail).toContain('by 100');
    expectRejected(
      hitter(1, { pa: 400 }, { atBats: base.atBats - 100, hits: 50, strikeOuts: 60 }),
      'pa_accounting',
      'by 101',
      'limit 100',
    );
  });

  it('pa_residual: the small-sample allowance is max(3, 5%) before a flag, max(10, 25%) before a reject', () => {
    // A pitcher batting: 55 PA, 7 sacrifice bunts (Jair Jurrjens 2011, recorded fixture) is kept and flagged.
    const jurrjens: SeasonLine = {
      ...hitter(1),
      stats: {
        ...hitter(1).stats,
        plateAppearances: 55,
        atBats: 45,
        baseOnBalls: 3,
        intentionalWalks: 0,
        hitByPitch: 0,
        sacFlies: 0,
        hits: 6,
        doubles: 1,
        triples: 0,
        homeRuns: 0,
        strikeOuts: 15,
      },
    };
    expect(expectAccepted(jurrjens).flags.map((f) => f.rule)).toEqual(['pa_residual']);
    const threeOfTen: SeasonLine = {
      ...jurrjens,
      stats: { ...jurrjens.stats, plateAppearances: 10, atBats: 7, hits: 2, doubles: 0, strikeOuts: 3, baseOnBalls: 0 },
    };
    expect(expectAccepted(threeOfTen).flags).toEqual([]);
  });

  it('hits_over_ab and ab_accounting: hits and strikeouts are disjoint parts of at-bats', () => {
    const s = hitter(1).stats;
    expectRejected(hitter(1, {}, { hits: s.atBats + 1 }), 'hits_over_ab', `hits ${s.atBats + 1} > atBats ${s.atBats}`);
    expectRejected(hitter(1, {}, { strikeOuts: s.atBats - s.hits + 1 }), 'ab_accounting');
    expectAccepted(hitter(1, {}, { strikeOuts: s.atBats - s.hits }));
  });

  it('xbh_over_hits and ibb_over_bb', () => {
    const s = hitter(1).stats;
    expectRejected(hitter(1, {}, { doubles: s.hits }), 'xbh_over_hits', `> hits ${s.hits}`);
    expectAccepted(hitter(1, {}, { doubles: s.hits - s.triples - s.homeRuns }));
    expectRejected(hitter(1, {}, { intentionalWalks: s.baseOnBalls + 1 }), 'ibb_over_bb');
    expectAccepted(hitter(1, {}, { intentionalWalks: s.baseOnBalls }));
  });

  it('bf_accounting and hr_over_hits (pitchers)', () => {
    const s = pitcher(1).stats;
    const room = s.battersFaced - s.hits - s.baseOnBalls - s.hitByPitch - s.strikeOuts;
    expectRejected(
      pitcher(1, {}, { strikeOuts: s.strikeOuts + room + 1 }),
      'bf_accounting',
      `> battersFaced ${s.battersFaced}`,
    );
    expectAccepted(pitcher(1, {}, { strikeOuts: s.strikeOuts + room }));
    expectRejected(pitcher(1, {}, { homeRuns: s.hits + 1 }), 'hr_over_hits');
    expectAccepted(pitcher(1, {}, { homeRuns: s.hits }));
  });

  it('outs_over_bf: at most three outs per batter faced, and a pickoff-only appearance may record one', () => {
    expectRejected(pitcher(1, {}, { outs: 1201 }), 'outs_over_bf', 'outs 1201 > 3 × battersFaced 400');
    expectAccepted(pitcher(1, {}, { outs: 1200 }));
    const pickoff = pitcher(
      1,
      {},
      {
        battersFaced: 0,
        hits: 0,
        homeRuns: 0,
        baseOnBalls: 0,
        hitByPitch: 0,
        strikeOuts: 0,
        earnedRuns: 0,
        outs: 1,
        games: 1,
        gamesStarted: 0,
      },
    );
    expectAccepted(pickoff);
  });

  it('gs_over_games, unless games is 0 (how the parser records a missing games count)', () => {
    expectRejected(pitcher(1, {}, { games: 10, gamesStarted: 11 }), 'gs_over_games', 'gamesStarted 11 > games 10');
    expectAccepted(pitcher(1, {}, { games: 11, gamesStarted: 11 }));
    expectAccepted(pitcher(1, {}, { games: 0, gamesStarted: 11 }));
  });

  it('an age outside 15-50 on July 1 is a wrong birth date: flagged implausible_birth_date, the line kept; 46 to 50 is flagged age_unusual', () => {
    const line = hitter(7);
    const withBirth = (d: string) => new Map([[7, bio(7, d)]]);
    const young = expectAccepted(line, withBirth('2000-07-02'));
    expect(young.flags.map((f) => f.rule)).toEqual(['implausible_birth_date']);
    expect(young.flags[0]?.detail).toContain('age 14 on July 1 (born 2000-07-02)');
    expect(run(line, withBirth('2000-07-01')).flags).toEqual([]);
    expect(run(line, withBirth('1970-03-01')).flags).toEqual([]);
    const old = run(line, withBirth('1966-03-01'));
    expect(old.accepted).toEqual([line]);
    expect(old.flags.map((f) => f.rule)).toEqual(['age_unusual']);
    expect(expectAccepted(line, withBirth('1950-01-01')).flags.map((f) => f.rule)).toEqual(['implausible_birth_date']);
  });

  it('a line without a bio is kept and flagged no_bio; a bio without a birth date is flagged no_birth_date', () => {
    const none = expectAccepted(hitter(8), new Map());
    expect(none.flags).toEqual([
      {
        playerId: 8,
        season: SEASON,
        sportId: 12,
        group: 'hitting',
        rule: 'no_bio',
        detail: 'player 8, season 2015, AA hitting: no bio for this player: age not checked',
      },
    ]);
    const undated = expectAccepted(hitter(8), new Map([[8, bio(8, null)]]));
    expect(undated.flags.map((f) => f.rule)).toEqual(['no_birth_date']);
  });

  it('reports every failed rule of a line in one reject, under the first rule', () => {
    const r = run(hitter(1, {}, { hits: 1000, doubles: 2000 }, 99));
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]?.rule).toBe('level_not_in_season');
    expect(r.rejects[0]?.reason).toMatch(/\[level_not_in_season\].*\[hits_over_ab\].*\[xbh_over_hits\]/);
  });
});

describe('ageOnJuly1', () => {
  it('counts whole years on July 1 and refuses impossible dates', () => {
    expect(ageOnJuly1('1995-07-01', 2015)).toBe(20);
    expect(ageOnJuly1('1995-07-02', 2015)).toBe(19);
    expect(ageOnJuly1('1995-02-30', 2015)).toBeNull();
    expect(ageOnJuly1('95-02-03', 2015)).toBeNull();
  });
});
