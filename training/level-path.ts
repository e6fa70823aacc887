// Where a player played within a season: the minor-league level and playing time of each line, his highest level,
// and the level-path columns (level, promotion within the as-of season, levels climbed since the previous season).
import type { Level, SeasonLine } from '../lib/domain.ts';
import { levelOfSport, levelOrdinal } from '../lib/domain.ts';
import type { SetFeature } from './feature-catalog.ts';
import { ratio } from './level-norms.ts';
import type { MinorCalendar } from './career.ts';

/** The minor-league level of a line; undefined for MLB and for sport ids we do not model (winter, independent). */
export function minorLevel(line: SeasonLine): Level | undefined {
  const level = levelOfSport(line.sportId);
  return level === 'MLB' ? undefined : level;
}

/** Playing time of a line: plate appearances or batters faced. */
function trials(l: SeasonLine): number {
  return l.group === 'hitting' ? l.stats.plateAppearances : l.stats.battersFaced;
}

/**
 * Promotion within the as-of season: how many levels he climbed from his lowest to his highest level that season,
 * and the share of his playing time spent at the highest one (a late call-up reads low, a season there reads 1).
 */
function promotionColumns(set: SetFeature, minors: readonly SeasonLine[], asOf: number, top: Level | undefined): void {
  if (top === undefined) return;
  let lowest = Infinity;
  let atTop = 0;
  let total = 0;
  for (const l of minors) {
    if (l.season !== asOf) continue;
    const level = minorLevel(l)!;
    lowest = Math.min(lowest, levelOrdinal(level));
    total += trials(l);
    if (level === top) atTop += trials(l);
  }
  set('in_season_climb', levelOrdinal(top) - lowest);
  set('share_at_level', ratio(atTop, total));
}

/** Highest minor-league level among a season's lines, if any. */
export function highestLevel(lines: readonly SeasonLine[], season: number): Level | undefined {
  let best: Level | undefined;
  for (const l of lines) {
    const level = l.season === season ? minorLevel(l) : undefined;
    if (level !== undefined && (best === undefined || levelOrdinal(level) > levelOrdinal(best))) best = level;
  }
  return best;
}

function ordinalOf(level: Level | undefined): number {
  return level === undefined ? NaN : levelOrdinal(level);
}

/** His line of the as-of season at `level` with the most playing time: the team, hence the league, he is aged against. */
export function mainLine(
  minors: readonly SeasonLine[],
  asOf: number,
  level: Level | undefined,
): SeasonLine | undefined {
  let best: SeasonLine | undefined;
  for (const l of minors) {
    if (l.season === asOf && minorLevel(l) === level && (best === undefined || trials(l) > trials(best))) best = l;
  }
  return best;
}

/**
 * The level-path columns of his minor-league lines of one group (`minors`): level, levels played, promotion within
 * the as-of season, levels climbed since the previous minor-league season and seasons at the current level.
 */
export function levelPathColumns(
  set: SetFeature,
  minors: readonly SeasonLine[],
  calendar: MinorCalendar,
  currentLevel: Level | undefined,
): void {
  const { asOf } = calendar;
  const current = ordinalOf(currentLevel);
  set('level_ordinal', current);
  set('levels_played', new Set(minors.filter((l) => l.season === asOf).map((l) => l.sportId)).size);
  promotionColumns(set, minors, asOf, currentLevel);
  set(
    'level_climb',
    calendar.previous === undefined ? NaN : current - ordinalOf(highestLevel(minors, calendar.previous)),
  );
  set('seasons_at_level', new Set(minors.filter((l) => minorLevel(l) === currentLevel).map((l) => l.season)).size);
}
