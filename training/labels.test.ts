/** Success labels over the 4 seasons after the as-of season, rookie eligibility and debut season. */
import { describe, expect, it } from 'vitest';
import type { SeasonLine } from '../lib/domain.ts';
import { calendarFrom, lastCompleteSeason } from '../lib/season-calendar.ts';
import { isRookieEligible, labelFor, mlbDebutSeason } from './labels.ts';
import { emptyHitting, emptyPitching } from './level-norms.ts';

function hit(playerId: number, season: number, pa: number, sportId = 1): SeasonLine {
  return {
    playerId,
    season,
    sportId,
    teamId: null,
    group: 'hitting',
    stats: { ...emptyHitting(), plateAppearances: pa, atBats: Math.round(pa * 0.9) },
  };
}

function pit(playerId: number, season: number, outs: number, sportId = 1): SeasonLine {
  return {
    playerId,
    season,
    sportId,
    teamId: null,
    group: 'pitching',
    stats: { ...emptyPitching(), outs, battersFaced: outs * 1.4 },
  };
}

const label = (playerId: number, lines: SeasonLine[], lastCompleteSeason = 2024, asOfSeason = 2015) =>
  labelFor({ playerId, asOfSeason, lines, lastCompleteSeason });

describe('labelFor', () => {
  it('is a known 1 with 500 MLB PA within the 4 seasons after the as-of season', () => {
    expect(label(1, [hit(1, 2016, 200), hit(1, 2019, 300)])).toBe(1);
  });

  it('is a known 1 with 300 MLB outs', () => {
    expect(label(1, [pit(1, 2017, 150), pit(1, 2018, 150)])).toBe(1);
  });

  it('is a known 0 when the window is complete and the threshold missed', () => {
    expect(label(1, [hit(1, 2016, 499), pit(1, 2017, 299)])).toBe(0);
    expect(label(1, [], 2019)).toBe(0);
  });

  it('counts only MLB seasons inside the window, and only this player', () => {
    const lines = [
      hit(1, 2015, 600), // the as-of season itself
      hit(1, 2020, 600), // after the window
      hit(1, 2017, 600, 11), // Triple-A
      hit(2, 2017, 600), // someone else
    ];
    expect(label(1, lines)).toBe(0);
    expect(label(2, lines)).toBe(1);
  });

  it('is unknown while the window is open and the threshold not reached', () => {
    expect(label(1, [hit(1, 2016, 450)], 2018)).toBeNull();
    expect(label(1, [], 2018)).toBeNull();
  });

  it('stays unknown until the last season of the window is finished, even once the threshold is reached', () => {
    expect(label(1, [pit(1, 2016, 320)], 2016)).toBeNull();
    expect(label(1, [hit(1, 2017, 520)], 2018)).toBeNull();
    expect(label(1, [hit(1, 2017, 520)], 2019)).toBe(1);
  });

  it('in season, labels the T-4 cohort only once the season in progress is over', () => {
    // The 2022 cohort's window is 2023-2026; 2026 is half played on 15 July.
    const calendar = calendarFrom('10-01', '');
    const lines = [hit(1, 2023, 100), hit(1, 2026, 150)];
    const july = lastCompleteSeason(new Date('2026-07-15T10:00:00Z'), calendar);
    const november = lastCompleteSeason(new Date('2026-11-15T10:00:00Z'), calendar);
    expect(label(1, lines, july, 2022)).toBeNull();
    expect(label(1, lines, november, 2022)).toBe(0);
    expect(label(1, [...lines, hit(1, 2026, 300)], november, 2022)).toBe(1);
  });
});

describe('isRookieEligible', () => {
  it('allows up to 130 MLB at-bats and 150 outs through the season', () => {
    expect(isRookieEligible([hit(1, 2015, 144)])).toBe(true); // 130 AB
    expect(isRookieEligible([hit(1, 2015, 146)])).toBe(false); // 131 AB
    expect(isRookieEligible([pit(1, 2015, 151)])).toBe(false);
    expect(isRookieEligible([pit(1, 2016, 151), hit(1, 2015, 600, 12)], 2015)).toBe(true);
  });
});

describe('mlbDebutSeason', () => {
  it('is the first season with an MLB line', () => {
    const lines = [hit(1, 2014, 300, 12), pit(1, 2018, 3), hit(1, 2016, 10), hit(2, 2012, 10)];
    expect(mlbDebutSeason(1, lines)).toBe(2016);
    expect(mlbDebutSeason(3, lines)).toBeNull();
  });
});
