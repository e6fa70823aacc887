/**
 * The baseball vocabulary every layer shares: levels, parsed season lines and player bios.
 * Pure types and constants only, so workflows, training and the site may all import it.
 */

/** MLB Stats API `sportId` of each level we ingest. 15 and 5442 exist only before 2021. */
export const SPORT_IDS = {
  MLB: 1,
  AAA: 11,
  AA: 12,
  'A+': 13,
  A: 14,
  'A-': 15,
  'ROK+': 5442,
  ROK: 16,
} as const;

export type Level = keyof typeof SPORT_IDS;
export type SportId = (typeof SPORT_IDS)[Level];

const LEVEL_BY_SPORT = new Map<number, Level>(
  (Object.entries(SPORT_IDS) as [Level, number][]).map(([level, id]) => [id, level]),
);

/** Minor-league levels, lowest first; MLB is not a minor-league level. */
export const MINOR_LEVELS: readonly Level[] = ['ROK', 'ROK+', 'A-', 'A', 'A+', 'AA', 'AAA'];

/** Ordinal of a level for features (ROK = 1 ... AAA = 7, MLB = 8). */
export function levelOrdinal(level: Level): number {
  return level === 'MLB' ? 8 : MINOR_LEVELS.indexOf(level) + 1;
}

export function levelOfSport(sportId: number): Level | undefined {
  return LEVEL_BY_SPORT.get(sportId);
}

/** Minor-league sport ids that existed in a season (Short-Season A and Rookie Advanced ended after 2020). */
export function minorSportIds(season: number): number[] {
  const ids: number[] = [SPORT_IDS.AAA, SPORT_IDS.AA, SPORT_IDS['A+'], SPORT_IDS.A, SPORT_IDS.ROK];
  if (season < 2021) ids.push(SPORT_IDS['A-'], SPORT_IDS['ROK+']);
  return ids;
}

export type StatGroup = 'hitting' | 'pitching';

/** Counting stats of one hitter's season at one level. Rates are always recomputed from these. */
export interface HittingCounts {
  games: number;
  plateAppearances: number;
  atBats: number;
  hits: number;
  doubles: number;
  triples: number;
  homeRuns: number;
  baseOnBalls: number;
  intentionalWalks: number;
  hitByPitch: number;
  strikeOuts: number;
  stolenBases: number;
  caughtStealing: number;
  sacFlies: number;
}

/** Counting stats of one pitcher's season at one level. Innings are carried as outs (166.2 IP = 500 outs). */
export interface PitchingCounts {
  games: number;
  gamesStarted: number;
  outs: number;
  battersFaced: number;
  hits: number;
  homeRuns: number;
  baseOnBalls: number;
  hitByPitch: number;
  strikeOuts: number;
  earnedRuns: number;
}

/** One player's line for a season at one level, after parsing (one row per player, season, level and group). */
export type SeasonLine =
  | (SeasonLineKey & { group: 'hitting'; stats: HittingCounts })
  | (SeasonLineKey & { group: 'pitching'; stats: PitchingCounts });

export interface SeasonLineKey {
  playerId: number;
  season: number;
  sportId: number;
  /** Team of the line; for a traded player's aggregate row, the last team seen, or null. */
  teamId: number | null;
}

export interface PlayerBio {
  playerId: number;
  fullName: string;
  birthDate: string | null;
  primaryPosition: string | null;
  batSide: string | null;
  pitchHand: string | null;
  mlbDebutDate: string | null;
}

export interface Organization {
  /** MLB parent organization's team id. */
  orgId: number;
  name: string;
  abbreviation: string;
}

export interface Affiliate {
  teamId: number;
  season: number;
  sportId: number;
  name: string;
  /** MLB organization; equal to teamId for MLB clubs. */
  orgId: number | null;
  /** League name that season (`league.name`, e.g. "CAL"); null or absent when the source names none. */
  league?: string | null;
}

export interface DraftPick {
  playerId: number;
  year: number;
  round: string;
  pickNumber: number;
  orgId: number | null;
  school: string | null;
}

/** A prospect is rookie-eligible: at most 130 MLB at-bats and 50 MLB innings (150 outs). */
export const ROOKIE_LIMITS = { atBats: 130, outs: 150 } as const;

/** MLB success: 500 MLB plate appearances or 100 MLB innings (300 outs) within 4 seasons after the as-of date. */
export const SUCCESS = { plateAppearances: 500, outs: 300, horizonSeasons: 4 } as const;

/**
 * MLB-only seasons a backfill loads before its first season, so that each player's earlier MLB time (rookie
 * eligibility, left-censoring) is known; the features of a range read them too.
 */
export const MLB_LEAD_SEASONS = 5;

/**
 * Seasons in which no minor league played (2020: cancelled). This is the one place that says so: any other season
 * without minor-league lines in the database is missing data, never "a season without minor leagues".
 */
export const SEASONS_WITHOUT_MINOR_LEAGUES: ReadonlySet<number> = new Set([2020]);

/** One 20-80 tool grade; present is absent or null when the source gives one grade only. */
export interface ScoutingToolGrade {
  present?: number | null;
  future?: number | null;
}

/** A scouting grade matched to a player, as imported into `scouting_grades` (one per source, season and player). */
export interface ScoutingGrade {
  playerId: number;
  source: 'fangraphs' | 'baseball_america';
  /** The list's season: the grade is known from that season on. */
  season: number;
  /** FanGraphs Future Value, 20-80. */
  futureValue: number | null;
  /** Baseball America overall rank (1 = best). */
  overallRank: number | null;
  tools: Record<string, ScoutingToolGrade>;
}
