import { describe, expect, it } from 'vitest';
import { historyGaps, incompleteHistoryMessage, type SeasonCoverage } from './history-gaps.ts';

const whole = (season: number): SeasonCoverage => ({
  season,
  mlbHitting: true,
  mlbPitching: true,
  minorHitting: true,
  minorPitching: true,
  breachedBatch: null,
  answeredEmpty: false,
});
const range = { firstSeason: 2010, fromSeason: 2015, lastSeason: 2021 };

describe('historyGaps', () => {
  it('finds nothing in a whole history, and needs no minor-league lines in 2020 or in lead seasons', () => {
    const coverage = [2010, 2011, 2015, 2020, 2021].map((s) =>
      s === 2020 || s < 2015 ? { ...whole(s), minorHitting: false, minorPitching: false } : whole(s),
    );
    expect(historyGaps(coverage, range)).toEqual([]);
  });

  it('names what a season lacks and a breached latest load', () => {
    const gaps = historyGaps(
      [
        { ...whole(2016), minorPitching: false },
        { ...whole(2017), breachedBatch: 42 },
      ],
      range,
    );
    expect(gaps).toEqual([
      { season: 2016, missing: ['minor-league pitching lines'], breachedBatch: null },
      { season: 2017, missing: [], breachedBatch: 42 },
    ]);
  });

  it('accepts a lead season the source answered empty, but not an as-of season answered empty', () => {
    const empty = (s: number) => ({
      ...whole(s),
      mlbHitting: false,
      mlbPitching: false,
      minorHitting: false,
      minorPitching: false,
      answeredEmpty: true,
    });
    expect(historyGaps([empty(2011)], range)).toEqual([]);
    expect(historyGaps([empty(2016)], range).map((g) => g.missing)).toEqual([
      ['MLB hitting lines', 'MLB pitching lines', 'minor-league hitting lines', 'minor-league pitching lines'],
    ]);
  });
});

describe('incompleteHistoryMessage', () => {
  it('names every season and one backfill that covers them, starting no earlier than the first as-of season', () => {
    const message = incompleteHistoryMessage(
      [
        { season: 2012, missing: ['MLB pitching lines'], breachedBatch: null },
        { season: 2018, missing: [], breachedBatch: 7 },
      ],
      range,
    );
    expect(message).toContain('seasons 2012, 2018 are not loaded whole');
    expect(message).toContain('2012: no MLB pitching lines');
    expect(message).toContain('npm run quarantine -- --batch 7');
    expect(message).toContain('npm run backfill -- --from 2015 --to 2018');
  });
});
