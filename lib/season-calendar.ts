/**
 * When a season is finished. Labels read only finished seasons and in-season rankings score the last finished one,
 * so "finished" is decided by the date the regular season ends, never by which seasons happen to have data: a
 * season in progress has lines too.
 */

export interface SeasonCalendar {
  /** Last day of the regular season (month 1-12, day 1-31) of every season without its own date. */
  defaultEnd: { month: number; day: number };
  /** Last day of the regular season of particular seasons, as `YYYY-MM-DD`, keyed by season. */
  ends: ReadonlyMap<number, string>;
}

/**
 * A week into October: after the last regular-season day, tie-breaker games included, of recent seasons. Too late
 * costs a few days' wait for new labels; too early would label a cohort from a season still being played.
 */
export const DEFAULT_REGULAR_SEASON_END = '10-07';

export const DEFAULT_SEASON_CALENDAR: SeasonCalendar = calendarFrom(DEFAULT_REGULAR_SEASON_END, '');

const pad = (n: number) => String(n).padStart(2, '0');

/** The last day of `season`'s regular season, `YYYY-MM-DD`. */
export function regularSeasonEnd(season: number, calendar: SeasonCalendar): string {
  return calendar.ends.get(season) ?? `${season}-${pad(calendar.defaultEnd.month)}-${pad(calendar.defaultEnd.day)}`;
}

/**
 * The last season whose regular season has ended by `now` (UTC date): a season counts as finished from the day
 * after its last day. Never the season in progress; in March it is last year's.
 */
export function lastCompleteSeason(now: Date, calendar: SeasonCalendar): number {
  if (Number.isNaN(now.getTime())) throw new RangeError('lastCompleteSeason: now is not a valid date');
  const today = now.toISOString().slice(0, 10);
  const year = now.getUTCFullYear();
  return today > regularSeasonEnd(year, calendar) ? year : year - 1;
}

/**
 * The as-of seasons a run on `today` (`YYYY-MM-DD`) may build: from `fromSeason` to the last season that is both
 * finished by the calendar and ingested (at most `toSeason`). A season in progress is left out whole: its outcomes
 * are not final, so it labels nothing, and its half-season counts and rates are not comparable to the full seasons
 * the model learns from, so it is not scored either (rankings in season come from the last full season).
 */
export function finishedSeasons(
  input: { fromSeason: number; toSeason: number; today: string },
  calendar: SeasonCalendar,
): { asOfSeasons: number[]; lastComplete: number } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.today) || !isRealDate(input.today)) {
    throw new RangeError(`today must be a date like 2026-07-15, got ${JSON.stringify(input.today)}`);
  }
  const lastComplete = Math.min(input.toSeason, lastCompleteSeason(new Date(`${input.today}T00:00:00Z`), calendar));
  const asOfSeasons: number[] = [];
  for (let s = input.fromSeason; s <= lastComplete; s++) asOfSeasons.push(s);
  return { asOfSeasons, lastComplete };
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/**
 * Builds a calendar from its two settings; throws a RangeError that names the bad part.
 * @param defaultEnd `MM-DD`, the usual last day of a regular season.
 * @param ends comma-separated `YYYY-MM-DD` last days of particular seasons (empty for none).
 */
export function calendarFrom(defaultEnd: string, ends: string): SeasonCalendar {
  const m = /^(\d{2})-(\d{2})$/.exec(defaultEnd.trim());
  // 2000 is a leap year, so 02-29 passes; any real month-day does.
  if (!m || !isRealDate(`2000-${m[1]}-${m[2]}`)) throw new RangeError(`"${defaultEnd}" is not a month-day like 10-07`);
  const map = new Map<number, string>();
  for (const item of ends
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(item) || !isRealDate(item))
      throw new RangeError(`"${item}" is not a date like 2022-10-05`);
    const season = Number(item.slice(0, 4));
    if (map.has(season)) throw new RangeError(`season ${season} has two end dates`);
    map.set(season, item);
  }
  return { defaultEnd: { month: Number(m[1]), day: Number(m[2]) }, ends: map };
}

/**
 * True from the first day of the first SEASON_MONTHS month through the last day of that year's regular season:
 * the months when a day without a successful load is stale data. UTC dates.
 */
export function inSeason(now: Date, seasonMonths: { first: number }, calendar: SeasonCalendar): boolean {
  if (Number.isNaN(now.getTime())) throw new RangeError('inSeason: now is not a valid date');
  const today = now.toISOString().slice(0, 10);
  const year = now.getUTCFullYear();
  const opening = `${year}-${String(seasonMonths.first).padStart(2, '0')}-01`;
  return today >= opening && today <= regularSeasonEnd(year, calendar);
}
