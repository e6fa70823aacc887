/**
 * Which levels (sport ids) a season's fetch asks the Stats API for. Major-league lines are the outcomes every label
 * is built from, so a request restricted to some levels (`--levels 11,12`) still fetches sport 1: restricting the
 * minor leagues must never silently erase who made it.
 */
import { SPORT_IDS, minorSportIds } from '../../lib/domain.ts';

export interface LevelsRequest {
  season: number;
  /** Only MLB: the seasons before a backfill's first. */
  mlbOnly?: boolean;
  /** Minor-league levels to restrict to; default every level that existed that season. */
  sportIds?: readonly number[];
}

/** Sport ids to fetch, MLB first, without repeats. @throws RangeError on an id that is not a positive integer. */
export function levelsToFetch({ season, mlbOnly = false, sportIds }: LevelsRequest): number[] {
  if (mlbOnly) return [SPORT_IDS.MLB];
  for (const id of sportIds ?? []) {
    if (!Number.isInteger(id) || id <= 0)
      throw new RangeError(`levels must be positive integer sport ids, got ${String(id)}`);
  }
  const minors = sportIds ?? minorSportIds(season);
  return [SPORT_IDS.MLB, ...new Set(minors.filter((id) => id !== SPORT_IDS.MLB))];
}
