import { describe, expect, it } from 'vitest';
import { minorSportIds } from '../../lib/domain.ts';
import { levelsToFetch } from './levels.ts';

describe('levelsToFetch', () => {
  it('always includes major-league lines (sport 1) when --levels restricts the minors', () => {
    expect(levelsToFetch({ season: 2006, sportIds: [11, 12] })).toEqual([1, 11, 12]);
    expect(levelsToFetch({ season: 2006, sportIds: [12, 1, 12] })).toEqual([1, 12]);
  });

  it('defaults to MLB plus every minor level of the season, and MLB alone for lead seasons', () => {
    expect(levelsToFetch({ season: 2019 })).toEqual([1, ...minorSportIds(2019)]);
    expect(levelsToFetch({ season: 2022 })).toEqual([1, ...minorSportIds(2022)]);
    expect(levelsToFetch({ season: 2004, mlbOnly: true, sportIds: [11] })).toEqual([1]);
  });

  it('refuses an id that is not a sport id', () => {
    expect(() => levelsToFetch({ season: 2006, sportIds: [Number.NaN] })).toThrow(
      /positive integer sport ids, got NaN/,
    );
    expect(() => levelsToFetch({ season: 2006, sportIds: [0] })).toThrow(RangeError);
  });
});
