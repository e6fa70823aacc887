/** League norms: lines grouped by their team's league, and the fall-back to the level where no league is known. */
import { describe, expect, it } from 'vitest';
import type { PitchingCounts, PlayerBio, SeasonLine } from '../lib/domain.ts';
import { computeLeagueNorms, leagueIndex, leagueNormFor, leagueOfLine, type LeagueNorms } from './league-norms.ts';
import { computeLevelNorms, emptyPitching } from './level-norms.ts';

function bio(playerId: number, birthDate: string | null): PlayerBio {
  return {
    playerId,
    fullName: `P${playerId}`,
    birthDate,
    primaryPosition: null,
    batSide: null,
    pitchHand: null,
    mlbDebutDate: null,
  };
}

function pit(playerId: number, teamId: number | null, s: Partial<PitchingCounts>): SeasonLine {
  return { playerId, season: 2006, sportId: 13, teamId, group: 'pitching', stats: { ...emptyPitching(), ...s } };
}

const players = [bio(1, '1985-07-01'), bio(2, '1983-07-01'), bio(3, '1981-07-01'), bio(4, '1986-07-01')];
const index = leagueIndex([
  { teamId: 10, season: 2006, league: 'CAL' },
  { teamId: 20, season: 2006, league: 'CAR' },
  { teamId: 10, season: 2007, league: 'CAR' },
]);
const lines = [
  pit(1, 10, { outs: 300, battersFaced: 400, strikeOuts: 100, homeRuns: 12 }),
  pit(2, 10, { outs: 300, battersFaced: 400, strikeOuts: 80, homeRuns: 8 }),
  pit(3, 20, { outs: 300, battersFaced: 400, strikeOuts: 60, homeRuns: 4 }),
  // League CAR's only other pitcher is not qualified (too few outs): CAR's rates rest on player 3 alone.
  pit(4, 20, { outs: 30, battersFaced: 40, strikeOuts: 20 }),
  pit(5, null, { outs: 300, battersFaced: 400, strikeOuts: 40 }),
];

describe('leagueOfLine', () => {
  it("reads the league of the line's team in the line's season, and none without a team", () => {
    expect(leagueOfLine(index, { season: 2006, teamId: 10 })).toBe('CAL');
    expect(leagueOfLine(index, { season: 2007, teamId: 10 })).toBe('CAR');
    expect(leagueOfLine(index, { season: 2006, teamId: 30 })).toBeUndefined();
    expect(leagueOfLine(index, { season: 2006, teamId: null })).toBeUndefined();
  });
});

describe('computeLeagueNorms', () => {
  const norms: LeagueNorms = {
    index,
    byLeague: computeLeagueNorms(lines, players, index),
    byLevel: computeLevelNorms(lines, players),
  };

  it('averages each league of a level apart, leaving lines without a league out', () => {
    expect(norms.byLeague.size).toBe(2);
    const cal = leagueNormFor(norms, lines[0]!, (n) => n.kRate)!;
    expect(cal.kRate).toBeCloseTo((0.25 + 0.2) / 2, 10);
    expect(cal.hrRate).toBeCloseTo((0.03 + 0.02) / 2, 10);
    expect(cal.meanAge).toBeCloseTo((21 + 23) / 2, 2);
    const car = leagueNormFor(norms, lines[2]!, (n) => n.kRate)!;
    expect(car.kRate).toBeCloseTo(0.15, 10);
    expect(car.agedPlayers).toBe(2);
  });

  it('falls back to the level without a league, and for a statistic the league cannot give', () => {
    const level = leagueNormFor(norms, lines[4]!, (n) => n.kRate)!;
    expect(level.qualified).toBe(4);
    expect(level.kRate).toBeCloseTo((0.25 + 0.2 + 0.15 + 0.1) / 4, 10);
    // Player 4's team is in CAR; a league whose players lack birth dates would give NaN and fall back the same way.
    const noBirths: LeagueNorms = {
      index,
      byLeague: computeLeagueNorms(lines, [], index),
      byLevel: computeLevelNorms(lines, players),
    };
    expect(leagueNormFor(noBirths, lines[3]!, (n) => n.meanAge)!.agedPlayers).toBe(4);
    expect(
      leagueNormFor(norms, { season: 2006, teamId: 10, sportId: 1, group: 'pitching' }, (n) => n.kRate),
    ).toBeUndefined();
  });
});
