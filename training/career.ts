// The minor-league seasons an as-of season looks back on (across 2020, when no minor league played), and the career
// columns that depend on them, including the left-censoring of careers that may have begun before the data.
import { SEASONS_WITHOUT_MINOR_LEAGUES, type SeasonLine, type StatGroup } from '../lib/domain.ts';
import type { SetFeature } from './feature-catalog.ts';
import { ageOnJuly1 } from './level-norms.ts';
import { minorLevel } from './level-path.ts';

/**
 * The minor-league seasons an as-of season looks back on. A season in which no minor league played (2020, in
 * `SEASONS_WITHOUT_MINOR_LEAGUES`) is not a "previous season": 2021 compares with 2019, and `gap` says how many
 * seasons were skipped. Which seasons had minor leagues comes from that constant, never from holes in the data: a
 * season missing from the database is missing data (the feature step refuses to build over one, activities/features.ts).
 */
export interface MinorCalendar {
  asOf: number;
  /** First season with any minor-league line in the data: careers seen from it may have begun before it. */
  windowStart: number | undefined;
  /** Latest season before the as-of season, from `windowStart` on, in which minor leagues played, if any. */
  previous: number | undefined;
  /** Seasons skipped between `previous` and the as-of season (1 for 2021, whose previous is 2019); NaN without one. */
  gap: number;
  /** 3-season weights: 3 for the as-of season, 2 and 1 for the two minor-league seasons before it. */
  recency: ReadonlyMap<number, number>;
}

/**
 * The calendar of `asOf`. `minorSeasons` (any order, any player: the seasons with minor-league lines) only say where
 * the data begin; the seasons looked back on are every season since then except those without minor leagues.
 */
export function minorCalendar(asOf: number, minorSeasons: Iterable<number>): MinorCalendar {
  let windowStart = asOf;
  for (const s of minorSeasons) windowStart = Math.min(windowStart, s);
  const back: number[] = [];
  for (let s = asOf - 1; s >= windowStart && back.length < 2; s--) {
    if (!SEASONS_WITHOUT_MINOR_LEAGUES.has(s)) back.push(s);
  }
  const [previous, beforePrevious] = back;
  const recency = new Map<number, number>([[asOf, 3]]);
  if (previous !== undefined) recency.set(previous, 2);
  if (beforePrevious !== undefined) recency.set(beforePrevious, 1);
  return { asOf, windowStart, previous, gap: previous === undefined ? NaN : asOf - previous - 1, recency };
}

/**
 * Career columns from all his lines up to the as-of season (`own`): pro seasons, left-censoring, the gap before the
 * as-of season, seasons since his last minor-league line of `group`, and the age he turned pro (`birth`: birthTime).
 */
export function careerColumns(
  set: SetFeature,
  own: readonly SeasonLine[],
  group: StatGroup,
  calendar: MinorCalendar,
  birth: number,
): void {
  const { asOf } = calendar;
  let firstSeason = Infinity;
  let firstMinor = Infinity;
  let lastMinorBefore = -Infinity;
  for (const l of own) {
    firstSeason = Math.min(firstSeason, l.season);
    if (minorLevel(l) === undefined) continue;
    firstMinor = Math.min(firstMinor, l.season);
    if (l.season < asOf && l.group === group) lastMinorBefore = Math.max(lastMinorBefore, l.season);
  }
  // Seen from the first season the data cover, or in the majors before his first minor-league line: his career may
  // have begun before the window, so his first season here is not a rookie's first season.
  const censored = firstMinor === calendar.windowStart || firstSeason < firstMinor;
  set('seasons_pro', asOf - firstSeason + 1);
  set('left_censored', censored ? 1 : 0);
  set('prior_season_gap', calendar.gap);
  set('seasons_since_last_line', Number.isFinite(lastMinorBefore) ? asOf - lastMinorBefore : NaN);
  // The age he turned pro is unknown when his career may predate the data.
  set('age_first_pro', censored ? NaN : ageOnJuly1(birth, firstSeason));
}
