// The causes are read from the real parser's and shape check's output, so a reworded parser message fails here.
import { describe, expect, it } from 'vitest';
import { parseStatSplits } from '../mlb-stats-api/parse.ts';
import { causeOfParseReason, causeOfShapeIssue, describeCause } from './reject-cause.ts';
import { shapeIssues } from './schemas.ts';

const pitchingStat = {
  gamesPlayed: 10,
  gamesStarted: 2,
  outs: 60,
  battersFaced: 90,
  hits: 20,
  homeRuns: 2,
  baseOnBalls: 8,
  strikeOuts: 22,
};
const hittingStat = {
  gamesPlayed: 30,
  plateAppearances: 120,
  atBats: 105,
  hits: 30,
  homeRuns: 3,
  baseOnBalls: 12,
  strikeOuts: 25,
};
const split = (stat: unknown, extra: Record<string, unknown> = {}) => ({
  season: '2015',
  player: { id: 7 },
  sport: { id: 12 },
  team: { id: 3 },
  stat,
  ...extra,
});

function parseCause(group: 'hitting' | 'pitching', raw: unknown) {
  const { rejects } = parseStatSplits([raw], group);
  expect(rejects).toHaveLength(1);
  return causeOfParseReason(rejects[0]!.reason);
}

describe("causeOfParseReason, against the parser's own reasons", () => {
  it.each([
    [
      'a missing core count',
      'pitching',
      split({ ...pitchingStat, battersFaced: undefined }),
      { field: 'stat.battersFaced', rule: 'missing_field' },
    ],
    [
      'no outs and no innings',
      'pitching',
      split({ ...pitchingStat, outs: undefined }),
      { field: 'stat.outs', rule: 'missing_field' },
    ],
    [
      'a negative count',
      'hitting',
      split({ ...hittingStat, strikeOuts: -2 }),
      { field: 'stat.strikeOuts', rule: 'negative_count' },
    ],
    [
      'a fractional count',
      'hitting',
      split({ ...hittingStat, hits: 2.5 }),
      { field: 'stat.hits', rule: 'not_integer' },
    ],
    [
      'hits over at-bats',
      'hitting',
      split({ ...hittingStat, hits: 200 }),
      { field: 'stat.hits', rule: 'inconsistent_counts' },
    ],
    [
      'a sum over batters faced',
      'pitching',
      split({ ...pitchingStat, strikeOuts: 80 }),
      { field: null, rule: 'inconsistent_counts' },
    ],
    [
      'no player id',
      'hitting',
      split(hittingStat, { player: { fullName: 'X' } }),
      { field: 'player.id', rule: 'missing_field' },
    ],
    ['no sport id', 'hitting', split(hittingStat, { sport: {} }), { field: 'sport.id', rule: 'missing_field' }],
    ['no stat object', 'hitting', split(undefined), { field: 'stat', rule: 'missing_field' }],
  ] as const)('%s', (_what, group, raw, cause) => {
    expect(parseCause(group, raw)).toEqual(cause);
  });

  it('falls back to parse_reject for a reason it does not know', () => {
    expect(causeOfParseReason('something new')).toEqual({ field: null, rule: 'parse_reject' });
  });
});

describe('causeOfShapeIssue', () => {
  it('a field that is absent is missing; one that is present has the wrong type', () => {
    const [missing] = shapeIssues('pitchingSplit', split({ ...pitchingStat, battersFaced: undefined }));
    expect(missing && causeOfShapeIssue(missing)).toEqual({ field: 'stat.battersFaced', rule: 'missing_field' });
    const [wrong] = shapeIssues('pitchingSplit', split({ ...pitchingStat, battersFaced: 'lots' }));
    expect(wrong && causeOfShapeIssue(wrong)).toEqual({ field: 'stat.battersFaced', rule: 'bad_type' });
  });
});

describe('describeCause', () => {
  it("reads like the breaker's message", () => {
    expect(describeCause({ field: 'stat.battersFaced', rule: 'missing_field' })).toBe(
      'missing field stat.battersFaced',
    );
    expect(describeCause({ field: 'stat.strikeOuts', rule: 'negative_count' })).toBe(
      'negative_count (stat.strikeOuts)',
    );
    expect(describeCause({ field: null, rule: 'bf_accounting' })).toBe('bf_accounting');
  });
});
