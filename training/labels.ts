/**
 * MLB playing-time accounting: rookie eligibility, the success label (500 PA or 300 outs in the 4 seasons after
 * the as-of season) and the MLB debut season. Labels look only at seasons after the as-of season, and only once
 * the last of them is finished.
 */
import type { SeasonLine } from '../lib/domain.ts';
import { ROOKIE_LIMITS, SPORT_IDS, SUCCESS } from '../lib/domain.ts';

export type Label = 0 | 1 | null;

export interface MlbTotals {
  plateAppearances: number;
  atBats: number;
  outs: number;
}

/** MLB totals of the given lines within [fromSeason, toSeason]; other players' lines must be filtered out first. */
export function mlbTotals(lines: readonly SeasonLine[], fromSeason = -Infinity, toSeason = Infinity): MlbTotals {
  const t = { plateAppearances: 0, atBats: 0, outs: 0 };
  for (const l of lines) {
    if (l.sportId !== SPORT_IDS.MLB || l.season < fromSeason || l.season > toSeason) continue;
    if (l.group === 'hitting') {
      t.plateAppearances += l.stats.plateAppearances;
      t.atBats += l.stats.atBats;
    } else {
      t.outs += l.stats.outs;
    }
  }
  return t;
}

/** Rookie-eligible at the end of `season`: at most 130 MLB at-bats and 150 MLB outs through it (one player's lines). */
export function isRookieEligible(playerLines: readonly SeasonLine[], season = Infinity): boolean {
  const { atBats, outs } = mlbTotals(playerLines, -Infinity, season);
  return atBats <= ROOKIE_LIMITS.atBats && outs <= ROOKIE_LIMITS.outs;
}

export interface LabelInput {
  playerId: number;
  asOfSeason: number;
  /** Lines of any players and seasons; only this player's MLB lines after the as-of season are read. */
  lines: readonly SeasonLine[];
  /**
   * Latest season whose regular season has ended (`lastCompleteSeason` in lib/season-calendar.ts), never the season
   * in progress: a window that reaches past it is not labelled.
   */
  lastCompleteSeason: number;
}

/**
 * 1 if he reached 500 MLB PA or 300 MLB outs over seasons asOf+1 .. asOf+4, 0 if not; null until all four seasons
 * are finished. A threshold already reached in an open window is still null: labelling the fast successes early
 * would leave a half-open cohort with only its 1s known, a biased sample for anything that keeps labelled rows.
 * A cohort is labelled all at once, when the last season of its window ends.
 */
export function labelFor({ playerId, asOfSeason, lines, lastCompleteSeason }: LabelInput): Label {
  const windowEnd = asOfSeason + SUCCESS.horizonSeasons;
  if (windowEnd > lastCompleteSeason) return null;
  const own = lines.filter((l) => l.playerId === playerId);
  const t = mlbTotals(own, asOfSeason + 1, windowEnd);
  return t.plateAppearances >= SUCCESS.plateAppearances || t.outs >= SUCCESS.outs ? 1 : 0;
}

/** First season with an MLB line, or null if none among the lines given (for time-to-majors / ETA work). */
export function mlbDebutSeason(playerId: number, lines: readonly SeasonLine[]): number | null {
  let debut: number | null = null;
  for (const l of lines) {
    if (l.playerId === playerId && l.sportId === SPORT_IDS.MLB && (debut === null || l.season < debut))
      debut = l.season;
  }
  return debut;
}
