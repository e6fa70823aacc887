/**
 * Per (season, level, league, group) averages of age and core rates, for features measured "relative to the league":
 * leagues of one level differ (a hitters' league at A+ against a pitchers' league), which the level norms blur.
 * Lines whose team has no known league fall back to their level's norm.
 */
import type { Level, PlayerBio, SeasonLine, StatGroup } from '../lib/domain.ts';
import { levelOfSport } from '../lib/domain.ts';
import { accumulateNorms, normFor, type LevelNorm, type LevelNorms } from './level-norms.ts';

/** The league a team played in during one season (the teams data's `league.name`). */
export interface TeamLeague {
  teamId: number;
  season: number;
  league: string;
}

/** The league of each (season, team); build once per dataset with `leagueIndex`. */
export type LeagueIndex = ReadonlyMap<string, string>;

const teamKey = (season: number, teamId: number) => `${season}:${teamId}`;

export function leagueIndex(leagues: readonly TeamLeague[]): Map<string, string> {
  return new Map(leagues.map((l) => [teamKey(l.season, l.teamId), l.league]));
}

/**
 * The league of a line's team that season, if known. A traded player's aggregate line carries the team he was last
 * seen with at that level (sources/mlb-stats-api/parse-stats.ts), so it is read against that team's league.
 */
export function leagueOfLine(index: LeagueIndex, line: Pick<SeasonLine, 'season' | 'teamId'>): string | undefined {
  return line.teamId === null ? undefined : index.get(teamKey(line.season, line.teamId));
}

const normKey = (season: number, level: Level, league: string, group: StatGroup) =>
  `${season}|${level}|${league}|${group}`;

/** League norms and the level norms they fall back on. */
export interface LeagueNorms {
  index: LeagueIndex;
  byLeague: ReadonlyMap<string, LevelNorm>;
  byLevel: LevelNorms;
}

/** Norms of every (season, level, league, group) present in `lines`; lines without a known league are left out. */
export function computeLeagueNorms(
  lines: readonly SeasonLine[],
  players: readonly PlayerBio[] | ReadonlyMap<number, PlayerBio>,
  index: LeagueIndex,
): Map<string, LevelNorm> {
  return accumulateNorms(lines, players, (line, level) => {
    const league = leagueOfLine(index, line);
    return league === undefined ? undefined : normKey(line.season, level, league, line.group);
  });
}

/**
 * The norm a line is compared with for one statistic: its league's, when its league is known and the league has a
 * finite value of that statistic (qualified players for a rate, a known birth date for age); else its level's.
 */
export function leagueNormFor(
  norms: LeagueNorms,
  line: Pick<SeasonLine, 'season' | 'teamId' | 'sportId' | 'group'>,
  value: (n: LevelNorm) => number,
): LevelNorm | undefined {
  const level = levelOfSport(line.sportId);
  if (level === undefined || level === 'MLB') return undefined;
  const league = leagueOfLine(norms.index, line);
  const own = league === undefined ? undefined : norms.byLeague.get(normKey(line.season, level, league, line.group));
  return own && Number.isFinite(value(own)) ? own : normFor(norms.byLevel, line.season, level, line.group);
}
