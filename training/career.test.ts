/** The minor-league calendar of an as-of season: looking back across 2020, when no minor league played. */
import { describe, expect, it } from 'vitest';
import { minorCalendar } from './career.ts';

describe('minorCalendar', () => {
  it('looks back across a season without minor leagues: 2021 compares with 2019 and says so', () => {
    // An MLB-only 2020 does not count as a minor-league season.
    expect(minorCalendar(2021, [2018, 2019, 2021])).toMatchObject({ previous: 2019, gap: 1, windowStart: 2018 });
    expect([...minorCalendar(2021, [2018, 2019, 2021]).recency]).toEqual([[2021, 3], [2019, 2], [2018, 1]]);
  });

  it('has no previous season and no gap for the first season of the data', () => {
    expect(minorCalendar(2019, [2019])).toMatchObject({ previous: undefined, windowStart: 2019 });
    expect(minorCalendar(2019, [2019]).gap).toBeNaN();
  });
});
