// The rarer parser reasons (a non-object split, a bad season, unreadable innings, duplicate aggregates and team rows)
// reduced to their causes, again from the real parser's output so that a reworded message fails here.
import { describe, expect, it } from 'vitest';
import { parseStatSplits } from '../mlb-stats-api/parse.ts';
import { causeOfParseReason, causeOfRule, describeCause } from './reject-cause.ts';

const hittingStat = {
  gamesPlayed: 30,
  plateAppearances: 120,
  atBats: 105,
  hits: 30,
  homeRuns: 3,
  baseOnBalls: 12,
  strikeOuts: 25,
};
const pitchingStat = {
  gamesPlayed: 10,
  gamesStarted: 2,
  battersFaced: 90,
  hits: 20,
  homeRuns: 2,
  baseOnBalls: 8,
  strikeOuts: 22,
};
const split = (stat: unknown, extra: Record<string, unknown> = {}) => ({
  season: '2015',
  player: { id: 7 },
  sport: { id: 12 },
  team: { id: 3 },
  stat,
  ...extra,
});

function causes(group: 'hitting' | 'pitching', raws: unknown[]) {
  return parseStatSplits(raws, group).rejects.map((r) => causeOfParseReason(r.reason));
}

describe('causeOfParseReason, rarer parser reasons', () => {
  it('a split that is not an object concerns no one field', () => {
    expect(causes('hitting', ['not a split'])).toEqual([{ field: null, rule: 'not_an_object' }]);
  });

  it('a season that is missing or not a year is an invalid season value', () => {
    expect(causes('hitting', [split(hittingStat, { season: 'last year' })])).toEqual([
      { field: 'season', rule: 'invalid_value' },
    ]);
  });

  it('innings pitched that cannot be read name the field', () => {
    expect(causes('pitching', [split({ ...pitchingStat, inningsPitched: 'six and a bit' })])).toEqual([
      { field: 'stat.inningsPitched', rule: 'invalid_value' },
    ]);
  });

  it('a second, different aggregate row for the same player, season and level conflicts', () => {
    const aggregate = (hits: number) => split({ ...hittingStat, hits }, { team: undefined, numTeams: 2 });
    expect(causes('hitting', [aggregate(30), aggregate(31)])).toEqual([{ field: null, rule: 'conflicting_aggregate' }]);
  });

  it('two different rows for the same team without an aggregate conflict', () => {
    expect(causes('hitting', [split(hittingStat), split({ ...hittingStat, hits: 29 })])).toEqual([
      { field: null, rule: 'conflicting_rows' },
    ]);
  });
});

describe('causeOfRule', () => {
  it('a domain rule is the cause of the whole line and reads as its id', () => {
    const cause = causeOfRule('bf_accounting');
    expect(cause).toEqual({ field: null, rule: 'bf_accounting' });
    expect(describeCause(cause)).toBe('bf_accounting');
  });
});
