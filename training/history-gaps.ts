/**
 * Whether the history the features and labels read is whole: a season never loaded, or one whose latest load breached
 * the data-quality limits, is missing data, not a season without play. Pure: db/history.ts seasonCoverage reads what
 * the database holds.
 */
import { MLB_LEAD_SEASONS, SEASONS_WITHOUT_MINOR_LEAGUES } from '../lib/domain.ts';

/** What the database holds of one season, for the feature step's completeness check (db/history.ts seasonCoverage reads it). */
export interface SeasonCoverage {
  season: number;
  mlbHitting: boolean;
  mlbPitching: boolean;
  minorHitting: boolean;
  minorPitching: boolean;
  /** The season's latest load of `source` with season lines, when it breached the data-quality limits. */
  breachedBatch: number | null;
  /** `source` answered the season (a finished load) and never with a line. */
  answeredEmpty: boolean;
}

/** A season the features or labels read that the database does not hold whole. */
export interface HistoryGap {
  season: number;
  /** What is missing: `MLB hitting lines`, `minor-league pitching lines`, ... */
  missing: string[];
  /** The season's latest load tripped the data-quality circuit breaker (and nothing loaded after it). */
  breachedBatch: number | null;
}

export interface HistoryRange {
  /** First season read (the MLB-only lead seasons come before `fromSeason`). */
  firstSeason: number;
  fromSeason: number;
  lastSeason: number;
}

/**
 * The seasons of the coverage that features and labels need but the database does not hold: every season needs MLB
 * hitting and pitching lines (rookie eligibility and labels), every season from `fromSeason` on also minor-league
 * hitting and pitching lines unless no minor league played in it (`SEASONS_WITHOUT_MINOR_LEAGUES`), and no season's
 * latest load may be a breached batch (nothing of it loaded, so the lines are an older load's at best).
 * The one exception: a lead season (before `fromSeason`) that was loaded and in which the source had no line at all,
 * before the source's history begins (the sample universe's lead seasons); a lead season never loaded is still missing.
 */
export function historyGaps(
  coverage: readonly SeasonCoverage[],
  range: Pick<HistoryRange, 'fromSeason'>,
): HistoryGap[] {
  const gaps: HistoryGap[] = [];
  for (const c of coverage) {
    const missing: string[] = [];
    const beforeTheSource = c.season < range.fromSeason && c.answeredEmpty && !c.mlbHitting && !c.mlbPitching;
    if (!c.mlbHitting && !beforeTheSource) missing.push('MLB hitting lines');
    if (!c.mlbPitching && !beforeTheSource) missing.push('MLB pitching lines');
    if (c.season >= range.fromSeason && !SEASONS_WITHOUT_MINOR_LEAGUES.has(c.season)) {
      if (!c.minorHitting) missing.push('minor-league hitting lines');
      if (!c.minorPitching) missing.push('minor-league pitching lines');
    }
    if (missing.length > 0 || c.breachedBatch !== null)
      gaps.push({ season: c.season, missing, breachedBatch: c.breachedBatch });
  }
  return gaps;
}

/** What is wrong, season by season, and the backfill that loads it (lead seasons come with a backfill's first season). */
export function incompleteHistoryMessage(gaps: readonly HistoryGap[], range: HistoryRange): string {
  const seasons = gaps.map((g) => g.season);
  const from = Math.max(range.fromSeason, Math.min(...seasons));
  const to = Math.max(from, ...seasons);
  const details = gaps.map((g) => {
    const parts = g.missing.length > 0 ? [`no ${g.missing.join(', no ')}`] : [];
    if (g.breachedBatch !== null) {
      parts.push(
        `its latest load (batch ${g.breachedBatch}) breached the data-quality limits and loaded nothing (inspect: npm run quarantine -- --batch ${g.breachedBatch})`,
      );
    }
    return `${g.season}: ${parts.join('; ')}`;
  });
  return (
    `incomplete history: the features and labels of as-of seasons ${range.fromSeason}-${range.lastSeason} read seasons ` +
    `${range.firstSeason}-${range.lastSeason} (${MLB_LEAD_SEASONS} MLB-only lead seasons first), and ${seasons.length === 1 ? 'season' : 'seasons'} ` +
    `${seasons.join(', ')} ${seasons.length === 1 ? 'is' : 'are'} not loaded whole: ${details.join('; ')}. A missing season is not a season ` +
    `without play (only ${[...SEASONS_WITHOUT_MINOR_LEAGUES].join(', ')} had no minor leagues). Load ${seasons.length === 1 ? 'it' : 'them'}, then run again: ` +
    `npm run backfill -- --from ${from} --to ${to} (with the same --source, if any)`
  );
}
