import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEASON_CALENDAR,
  calendarFrom,
  finishedSeasons,
  inSeason,
  lastCompleteSeason,
  regularSeasonEnd,
} from './season-calendar.ts';

describe('lastCompleteSeason', () => {
  const calendar = calendarFrom('10-01', '2022-10-05');

  it('is last year during the season and before it (March: no game played yet)', () => {
    expect(lastCompleteSeason(new Date('2026-07-15T12:00:00Z'), calendar)).toBe(2025);
    expect(lastCompleteSeason(new Date('2026-03-10T12:00:00Z'), calendar)).toBe(2025);
    expect(lastCompleteSeason(new Date('2026-01-01T00:00:00Z'), calendar)).toBe(2025);
  });

  it('is this year from the day after the last regular-season day', () => {
    expect(lastCompleteSeason(new Date('2026-10-01T23:59:59Z'), calendar)).toBe(2025);
    expect(lastCompleteSeason(new Date('2026-10-02T00:00:00Z'), calendar)).toBe(2026);
    expect(lastCompleteSeason(new Date('2026-11-15T00:00:00Z'), calendar)).toBe(2026);
  });

  it('honours a season with its own end date', () => {
    expect(regularSeasonEnd(2022, calendar)).toBe('2022-10-05');
    expect(lastCompleteSeason(new Date('2022-10-03T12:00:00Z'), calendar)).toBe(2021);
    expect(lastCompleteSeason(new Date('2022-10-06T12:00:00Z'), calendar)).toBe(2022);
  });

  it('defaults to a week into October', () => {
    expect(regularSeasonEnd(2030, DEFAULT_SEASON_CALENDAR)).toBe('2030-10-07');
    expect(lastCompleteSeason(new Date('2030-10-07T20:00:00Z'), DEFAULT_SEASON_CALENDAR)).toBe(2029);
    expect(lastCompleteSeason(new Date('2030-10-08T00:00:00Z'), DEFAULT_SEASON_CALENDAR)).toBe(2030);
  });

  it('refuses an invalid date', () => {
    expect(() => lastCompleteSeason(new Date('nope'), calendar)).toThrow(RangeError);
  });
});

describe('calendarFrom', () => {
  it('rejects malformed or impossible dates with the bad part named', () => {
    expect(() => calendarFrom('10/01', '')).toThrow(/"10\/01" is not a month-day/);
    expect(() => calendarFrom('02-30', '')).toThrow(/"02-30"/);
    expect(() => calendarFrom('10-01', '2022-13-01')).toThrow(/"2022-13-01" is not a date/);
    expect(() => calendarFrom('10-01', '2022-10-01,2022-10-05')).toThrow(/season 2022 has two end dates/);
  });

  it('reads a list of per-season end dates', () => {
    const c = calendarFrom('09-30', ' 2020-09-27 , 2022-10-05 ');
    expect([...c.ends]).toEqual([
      [2020, '2020-09-27'],
      [2022, '2022-10-05'],
    ]);
    expect(c.defaultEnd).toEqual({ month: 9, day: 30 });
  });
});

describe('finishedSeasons', () => {
  const calendar = calendarFrom('10-01', '');

  it('leaves the season in progress out, in season and before its first game', () => {
    expect(finishedSeasons({ fromSeason: 2020, toSeason: 2026, today: '2026-07-15' }, calendar)).toEqual({
      asOfSeasons: [2020, 2021, 2022, 2023, 2024, 2025],
      lastComplete: 2025,
    });
    expect(finishedSeasons({ fromSeason: 2020, toSeason: 2026, today: '2026-03-10' }, calendar).lastComplete).toBe(
      2025,
    );
    expect(
      finishedSeasons({ fromSeason: 2020, toSeason: 2026, today: '2026-11-15' }, calendar).asOfSeasons.at(-1),
    ).toBe(2026);
  });

  it('never goes past the last ingested season', () => {
    expect(finishedSeasons({ fromSeason: 2015, toSeason: 2022, today: '2026-11-15' }, calendar).lastComplete).toBe(
      2022,
    );
  });

  it('refuses a malformed date', () => {
    expect(() => finishedSeasons({ fromSeason: 2015, toSeason: 2022, today: '15/07/2026' }, calendar)).toThrow(
      /today must be a date like/,
    );
    expect(() => finishedSeasons({ fromSeason: 2015, toSeason: 2022, today: '2026-02-30' }, calendar)).toThrow(
      /today must be a date like/,
    );
  });
});

describe('inSeason', () => {
  const calendar = calendarFrom('10-07', '2020-09-27');
  const at = (iso: string) => inSeason(new Date(`${iso}T12:00:00Z`), { first: 3 }, calendar);

  it("runs from the first day of the first season month through the regular season's last day", () => {
    expect(at('2026-02-28')).toBe(false);
    expect(at('2026-03-01')).toBe(true);
    expect(at('2026-07-15')).toBe(true);
    expect(at('2026-10-07')).toBe(true);
    expect(at('2026-10-08')).toBe(false);
    expect(at('2026-12-31')).toBe(false);
  });

  it("follows a season's own end date", () => {
    expect(at('2020-09-27')).toBe(true);
    expect(at('2020-09-28')).toBe(false);
  });

  it('refuses an invalid date', () => {
    expect(() => inSeason(new Date('nope'), { first: 3 }, calendar)).toThrow(RangeError);
  });
});
