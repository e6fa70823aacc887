/**
 * Point-in-time features: one row per rookie-eligible minor leaguer of an as-of season, computed only from lines of
 * that season or earlier, drafts of that year or earlier and scouting grades of lists dated that season or earlier.
 * Columns follow FEATURE_CATALOG.
 */
import type { DraftPick, PlayerBio, ScoutingGrade, SeasonLine, StatGroup } from '../lib/domain.ts';
import { isRookieEligible, mlbTotals } from './labels.ts';
import { FEATURE_COUNT, FEATURE_INDEX, type SetFeature } from './feature-catalog.ts';
import { ageOnJuly1, birthTime, computeLevelNorms, normFor, type LevelNorms } from './level-norms.ts';
import { computeLeagueNorms, leagueIndex, leagueNormFor, type LeagueNorms, type TeamLeague } from './league-norms.ts';
import { careerColumns, minorCalendar, type MinorCalendar } from './career.ts';
import { highestLevel, levelPathColumns, mainLine, minorLevel } from './level-path.ts';
import { hittingColumns, pitchingColumns, type HittingLine, type PitchingLine } from './stat-columns.ts';
import { gradeColumns, latestGrades, type PlayerGrades } from './grade-columns.ts';

export { minorCalendar, type MinorCalendar } from './career.ts';
export { SHRINK_TRIALS } from './rate-adjust.ts';

export interface FeatureRow {
  playerId: number;
  asOfSeason: number;
  group: StatGroup;
  /** In FEATURE_NAMES order; NaN = missing (never 0). */
  values: Float32Array;
}

export interface FeatureInput {
  asOfSeason: number;
  players: readonly PlayerBio[];
  lines: readonly SeasonLine[];
  drafts: readonly DraftPick[];
  /** Scouting grades matched to players; optional (without them the grade columns are missing). */
  grades?: readonly ScoutingGrade[];
  /**
   * The league of each team and season; optional: a line whose team has no league here (or no team) is compared with
   * its level instead, so without leagues the "vs league" columns equal the "vs level" ones.
   */
  leagues?: readonly TeamLeague[];
}

/**
 * Hitter or pitcher: where he had more minor-league playing time in the as-of season (PA vs batters faced).
 * Ties go to the bio's position; undefined when he had no minor-league line that season.
 */
export function classifyPlayer(
  playerLines: readonly SeasonLine[],
  asOfSeason: number,
  bio?: PlayerBio,
): StatGroup | undefined {
  let pa = 0;
  let bf = 0;
  let hit = false;
  let pitched = false;
  for (const l of playerLines) {
    if (l.season !== asOfSeason || minorLevel(l) === undefined) continue;
    if (l.group === 'hitting') {
      hit = true;
      pa += l.stats.plateAppearances;
    } else {
      pitched = true;
      bf += l.stats.battersFaced;
    }
  }
  if (!hit || !pitched) return hit ? 'hitting' : pitched ? 'pitching' : undefined;
  if (pa !== bf) return pa > bf ? 'hitting' : 'pitching';
  return positionGroup(bio?.primaryPosition) === 'P' ? 'pitching' : 'hitting';
}

/** Draft round as a number: supplemental / competitive-balance rounds sit half a round after their base round. */
export function parseDraftRound(round: string): number {
  const r = round.trim().toUpperCase();
  if (/^\d+$/.test(r)) return Number(r);
  if (/^C(B)?-?A$/.test(r)) return 1.5;
  if (/^C(B)?-?B$/.test(r)) return 2.5;
  const digits = /\d+/.exec(r);
  if (digits && /[CS]/.test(r)) return Number(digits[0]) + 0.5;
  return NaN;
}

type PositionGroup = 'C' | 'IF' | 'OF' | 'P' | 'DH';

/** Accepts API abbreviations ("SS"), position codes ("6") and names ("Shortstop"). */
export function positionGroup(position: string | null | undefined): PositionGroup | undefined {
  const p = (position ?? '').trim().toUpperCase();
  if (!p) return undefined;
  if (['P', 'SP', 'RP', 'TWP', '1', 'Y', 'PITCHER', 'TWO-WAY PLAYER'].includes(p)) return 'P';
  if (['C', '2', 'CATCHER'].includes(p)) return 'C';
  if (
    ['1B', '2B', '3B', 'SS', 'IF', '3', '4', '5', '6', 'I', 'INFIELDER', 'SHORTSTOP'].includes(p) ||
    p.endsWith(' BASE')
  )
    return 'IF';
  if (['LF', 'CF', 'RF', 'OF', '7', '8', '9', 'O', 'OUTFIELDER', 'OUTFIELD'].includes(p) || p.endsWith(' FIELD'))
    return 'OF';
  if (['DH', '10', 'D', 'DESIGNATED HITTER'].includes(p)) return 'DH';
  return undefined;
}

function flag(value: string | null | undefined, code: string): number {
  const v = (value ?? '').trim().toUpperCase();
  return v ? Number(v.startsWith(code)) : NaN;
}

function playerValues(
  calendar: MinorCalendar,
  norms: LevelNorms,
  leagues: LeagueNorms,
  own: readonly SeasonLine[],
  group: StatGroup,
  bio?: PlayerBio,
  pick?: DraftPick,
  grades?: PlayerGrades,
): Float32Array {
  const { asOf } = calendar;
  const values = new Float32Array(FEATURE_COUNT).fill(NaN);
  const set: SetFeature = (name, x) => {
    values[FEATURE_INDEX[name]] = x;
  };
  const birth = birthTime(bio?.birthDate);
  const minors = own.filter((l) => l.group === group && minorLevel(l) !== undefined);
  const currentLevel = highestLevel(minors, asOf);
  const norm = currentLevel ? normFor(norms, asOf, currentLevel, group) : undefined;
  const age = ageOnJuly1(birth, asOf);
  set('age', age);
  set('age_rel_level', age - (norm?.meanAge ?? NaN));
  const main = mainLine(minors, asOf, currentLevel);
  set('age_rel_league', age - ((main && leagueNormFor(leagues, main, (n) => n.meanAge)?.meanAge) ?? NaN));
  levelPathColumns(set, minors, calendar, currentLevel);
  careerColumns(set, own, group, calendar, birth);
  set('is_pitcher', group === 'pitching' ? 1 : 0);
  const mlb = mlbTotals(own);
  set('mlb_ab_to_date', mlb.atBats);
  set('mlb_outs_to_date', mlb.outs);

  set('undrafted', pick ? 0 : 1);
  if (pick) {
    set('draft_round', parseDraftRound(pick.round));
    set('draft_pick', pick.pickNumber > 0 ? pick.pickNumber : NaN);
    set('draft_age', ageOnJuly1(birth, pick.year));
  }

  set('bats_left', flag(bio?.batSide, 'L'));
  set('bats_switch', flag(bio?.batSide, 'S'));
  set('throws_left', flag(bio?.pitchHand, 'L'));
  const pos = positionGroup(bio?.primaryPosition);
  if (pos !== undefined) {
    set('pos_c', Number(pos === 'C'));
    set('pos_if', Number(pos === 'IF'));
    set('pos_of', Number(pos === 'OF'));
    set('pos_p', Number(pos === 'P'));
  }

  if (group === 'hitting')
    hittingColumns(
      set,
      minors.filter((l): l is HittingLine => l.group === 'hitting'),
      norms,
      leagues,
      calendar,
    );
  else
    pitchingColumns(
      set,
      minors.filter((l): l is PitchingLine => l.group === 'pitching'),
      norms,
      leagues,
      calendar,
    );
  gradeColumns(set, asOf, group, grades);
  return values;
}

/** Latest draft selection of each player made no later than the as-of season (a re-drafted player signs the last one). */
function latestPicks(drafts: readonly DraftPick[], asOf: number): Map<number, DraftPick> {
  const picks = new Map<number, DraftPick>();
  for (const d of drafts) {
    if (d.year > asOf) continue;
    const seen = picks.get(d.playerId);
    if (!seen || d.year > seen.year) picks.set(d.playerId, d);
  }
  return picks;
}

export function computeFeatures({
  asOfSeason,
  players,
  lines,
  drafts,
  grades = [],
  leagues = [],
}: FeatureInput): FeatureRow[] {
  const byPlayer = new Map<number, SeasonLine[]>();
  const minorSeasons = new Set<number>();
  for (const l of lines) {
    if (l.season > asOfSeason) continue;
    let own = byPlayer.get(l.playerId);
    if (!own) byPlayer.set(l.playerId, (own = []));
    own.push(l);
    if (minorLevel(l) !== undefined) minorSeasons.add(l.season);
  }
  const calendar = minorCalendar(asOfSeason, minorSeasons);
  const bios = new Map(players.map((p) => [p.playerId, p]));
  // Only the as-of season and the two minor-league seasons before it are ever compared with their level.
  const norms = computeLevelNorms(
    lines.filter((l) => calendar.recency.has(l.season)),
    bios,
  );
  // Only the as-of season is compared with its league.
  const index = leagueIndex(leagues);
  const leagueNorms: LeagueNorms = {
    index,
    byLevel: norms,
    byLeague: computeLeagueNorms(
      lines.filter((l) => l.season === asOfSeason),
      bios,
      index,
    ),
  };
  const picks = latestPicks(drafts, asOfSeason);
  const scouting = latestGrades(grades, asOfSeason);
  const rows: FeatureRow[] = [];
  for (const [playerId, own] of byPlayer) {
    const bio = bios.get(playerId);
    const group = classifyPlayer(own, asOfSeason, bio);
    if (group === undefined || !isRookieEligible(own)) continue;
    rows.push({
      playerId,
      asOfSeason,
      group,
      values: playerValues(calendar, norms, leagueNorms, own, group, bio, picks.get(playerId), scouting.get(playerId)),
    });
  }
  return rows.sort((a, b) => a.playerId - b.playerId);
}
