/** The minor-league calendar of an as-of season: looking back across 2020, when no minor league played. */
import { describe, expect, it } from 'vitest';
import { SEASONS_WITHOUT_MINOR_LEAGUES } from '../lib/domain.ts';
import { minorCalendar } from './career.ts';

describe('minorCalendar', () => {
  it('looks back across a season without minor leagues: 2021 compares with 2019 and says so', () => {
    // An MLB-only 2020 does not count as a minor-league season.
    expect(minorCalendar(2021, [2018, 2019, 2021])).toMatchObject({ previous: 2019, gap: 1, windowStart: 2018 });
    expect([...minorCalendar(2021, [2018, 2019, 2021]).recency]).toEqual([
      [2021, 3],
      [2019, 2],
      [2018, 1],
    ]);
  });

  it('has no previous season and no gap for the first season of the data', () => {
    expect(minorCalendar(2019, [2019])).toMatchObject({ previous: undefined, windowStart: 2019 });
    expect(minorCalendar(2019, [2019]).gap).toBeNaN();
  });

  it('knows 2020 as the only season without minor leagues, from the calendar and not from the data', () => {
    expect([...SEASONS_WITHOUT_MINOR_LEAGUES]).toEqual([2020]);
    // 2020 is skipped even when the data hold minor-league lines in it.
    expect(minorCalendar(2021, [2018, 2019, 2020, 2021])).toMatchObject({ previous: 2019, gap: 1 });
    expect([...minorCalendar(2022, [2018, 2022]).recency]).toEqual([
      [2022, 3],
      [2021, 2],
      [2019, 1],
    ]);
  });

  it('treats a season missing from the data as missing, not as a season without minor leagues', () => {
    // No line in 2016: 2017 still looks back on 2016 (gap 0) and its 3-season window is 2015-2017, not 2014-2017.
    const at2017 = minorCalendar(2017, [2014, 2015, 2017]);
    expect(at2017).toMatchObject({ previous: 2016, gap: 0, windowStart: 2014 });
    expect([...at2017.recency]).toEqual([
      [2017, 3],
      [2016, 2],
      [2015, 1],
    ]);
    // Every season before 2020 and after it is a minor-league season.
    for (let asOf = 2011; asOf <= 2026; asOf++) {
      const { gap } = minorCalendar(asOf, [2010]);
      expect(gap, `gap of ${asOf}`).toBe(asOf === 2021 ? 1 : 0);
    }
  });

  it('does not look back before the data begin', () => {
    expect(minorCalendar(2016, [2015, 2016])).toMatchObject({ previous: 2015, gap: 0 });
    expect([...minorCalendar(2016, [2015, 2016]).recency]).toEqual([
      [2016, 3],
      [2015, 2],
    ]);
  });
});
