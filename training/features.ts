/**
 * Point-in-time features: one row per rookie-eligible minor leaguer of an as-of season, computed only from lines of
 * that season or earlier, drafts of that year or earlier and scouting grades of lists dated that season or earlier.
 * Columns follow FEATURE_CATALOG.
 */
import type {
  DraftPick, HittingCounts, Level, PitchingCounts, PlayerBio, ScoutingGrade, SeasonLine, StatGroup,
} from '../lib/domain.ts';
import { levelOfSport, levelOrdinal } from '../lib/domain.ts';
import { isRookieEligible, mlbTotals } from './labels.ts';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureName } from './feature-catalog.ts';
import {
  addHitting, addPitching, ageOnJuly1, birthTime, computeLevelNorms, emptyHitting, emptyPitching, isoOf, normFor, ratio,
  type LevelNorm, type LevelNorms,
} from './level-norms.ts';
import { computeLeagueNorms, leagueIndex, leagueNormFor, type LeagueNorms, type TeamLeague } from './league-norms.ts';

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

type HittingLine = Extract<SeasonLine, { group: 'hitting' }>;
type PitchingLine = Extract<SeasonLine, { group: 'pitching' }>;

/** The minor-league level of a line; undefined for MLB and for sport ids we do not model (winter, independent). */
function minorLevel(line: SeasonLine): Level | undefined {
  const level = levelOfSport(line.sportId);
  return level === 'MLB' ? undefined : level;
}

/**
 * Hitter or pitcher: where he had more minor-league playing time in the as-of season (PA vs batters faced).
 * Ties go to the bio's position; undefined when he had no minor-league line that season.
 */
export function classifyPlayer(playerLines: readonly SeasonLine[], asOfSeason: number, bio?: PlayerBio): StatGroup | undefined {
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
  if (['1B', '2B', '3B', 'SS', 'IF', '3', '4', '5', '6', 'I', 'INFIELDER', 'SHORTSTOP'].includes(p) || p.endsWith(' BASE')) return 'IF';
  if (['LF', 'CF', 'RF', 'OF', '7', '8', '9', 'O', 'OUTFIELDER', 'OUTFIELD'].includes(p) || p.endsWith(' FIELD')) return 'OF';
  if (['DH', '10', 'D', 'DESIGNATED HITTER'].includes(p)) return 'DH';
  return undefined;
}

/** How one rate is measured relative to the level: events, their denominator and the level's mean. */
interface RateSpec<S> {
  num: (s: S) => number;
  den: (s: S) => number;
  mean: (n: LevelNorm) => number;
}

const HIT_RATES = {
  k: { num: (s) => s.strikeOuts, den: (s) => s.plateAppearances, mean: (n) => n.kRate },
  bb: { num: (s) => s.baseOnBalls, den: (s) => s.plateAppearances, mean: (n) => n.bbRate },
  iso: { num: (s) => s.doubles + 2 * s.triples + 3 * s.homeRuns, den: (s) => s.atBats, mean: (n) => n.iso },
} satisfies Record<string, RateSpec<HittingCounts>>;

const PIT_RATES = {
  k: { num: (s) => s.strikeOuts, den: (s) => s.battersFaced, mean: (n) => n.kRate },
  bb: { num: (s) => s.baseOnBalls, den: (s) => s.battersFaced, mean: (n) => n.bbRate },
  hr: { num: (s) => s.homeRuns, den: (s) => s.battersFaced, mean: (n) => n.hrRate },
  kbb: { num: (s) => s.strikeOuts - s.baseOnBalls, den: (s) => s.battersFaced, mean: (n) => n.kRate - n.bbRate },
} satisfies Record<string, RateSpec<PitchingCounts>>;

/**
 * Pseudo plate appearances (or batters faced) at the level's mean added to every player's sample, so a rate over few
 * trials regresses toward the level mean: 20 PA at +10 points reads as +1.7, 400 PA at +10 as +8.
 */
export const SHRINK_TRIALS = 100;

interface RateLine<S> {
  season: number;
  sportId: number;
  teamId: number | null;
  group: StatGroup;
  stats: S;
}

/** The norm one line is compared with for the statistic `value` reads: its level's, or its league's. */
type NormOf = (line: RateLine<unknown>, value: (n: LevelNorm) => number) => LevelNorm | undefined;

function byLevel(norms: LevelNorms): NormOf {
  return (l) => {
    const level = levelOfSport(l.sportId);
    return level === undefined ? undefined : normFor(norms, l.season, level, l.group);
  };
}

function byLeague(norms: LeagueNorms): NormOf {
  return (l, value) => leagueNormFor(norms, l, value);
}

/**
 * Rate minus level (or league) mean, pooled over lines: sum w*(events - den*mean) / sum w*den, with w from the line's
 * season. Each line is compared with its own (season, level) so that a mid-season promotion is not read as a slump.
 */
function levelAdjusted<S>(
  lines: readonly RateLine<S>[],
  normOf: NormOf,
  weight: (season: number) => number,
  spec: RateSpec<S>,
): number {
  let num = 0;
  let den = 0;
  for (const l of lines) {
    const w = weight(l.season);
    if (!w) continue;
    const norm = normOf(l, spec.mean);
    const mean = norm ? spec.mean(norm) : NaN;
    if (!Number.isFinite(mean)) continue;
    const d = spec.den(l.stats);
    num += w * (spec.num(l.stats) - d * mean);
    den += w * d;
  }
  return den > 0 ? num / (den + SHRINK_TRIALS) : NaN;
}

/** Fills the level-adjusted, 3-season weighted and change columns of one rate. */
function relativeColumns<S>(
  set: (name: FeatureName, x: number) => void,
  names: readonly [FeatureName, FeatureName, FeatureName],
  lines: readonly RateLine<S>[],
  norms: LevelNorms,
  calendar: MinorCalendar,
  spec: RateSpec<S>,
): void {
  const { asOf, previous: prior, recency } = calendar;
  const normOf = byLevel(norms);
  const current = levelAdjusted(lines, normOf, (s) => (s === asOf ? 1 : 0), spec);
  const previous = prior === undefined ? NaN : levelAdjusted(lines, normOf, (s) => (s === prior ? 1 : 0), spec);
  set(names[0], current);
  set(names[1], levelAdjusted(lines, normOf, (s) => recency.get(s) ?? 0, spec));
  set(names[2], current - previous);
}

/** The as-of season's rate against each line's league (its level where the league is unknown). */
function leagueColumn<S>(
  set: (name: FeatureName, x: number) => void, name: FeatureName, lines: readonly RateLine<S>[], norms: LeagueNorms, asOf: number,
  spec: RateSpec<S>,
): void {
  set(name, levelAdjusted(lines, byLeague(norms), (s) => (s === asOf ? 1 : 0), spec));
}

/**
 * The minor-league seasons an as-of season looks back on. A season in which no minor league played (2020) is not a
 * "previous season": 2021 compares with 2019, and `gap` says how many seasons were skipped.
 */
export interface MinorCalendar {
  asOf: number;
  /** First season with any minor-league line in the data: careers seen from it may have begun before it. */
  windowStart: number | undefined;
  /** Latest season before the as-of season in which minor leagues played (per the data), if any. */
  previous: number | undefined;
  /** Seasons skipped between `previous` and the as-of season (1 for 2021, whose previous is 2019); NaN without one. */
  gap: number;
  /** 3-season weights: 3 for the as-of season, 2 and 1 for the two minor-league seasons before it. */
  recency: ReadonlyMap<number, number>;
}

/** The calendar of `asOf` from the seasons (any order, any player) that have minor-league lines. */
export function minorCalendar(asOf: number, minorSeasons: Iterable<number>): MinorCalendar {
  const before = [...new Set(minorSeasons)].filter((s) => s < asOf).sort((a, b) => b - a);
  const previous = before[0];
  let windowStart: number | undefined = before.at(-1);
  if (windowStart === undefined || asOf < windowStart) windowStart = asOf;
  const recency = new Map<number, number>([[asOf, 3]]);
  if (before[0] !== undefined) recency.set(before[0], 2);
  if (before[1] !== undefined) recency.set(before[1], 1);
  return { asOf, windowStart, previous, gap: previous === undefined ? NaN : asOf - previous - 1, recency };
}

function hittingColumns(
  set: (n: FeatureName, x: number) => void, lines: HittingLine[], norms: LevelNorms, leagues: LeagueNorms, calendar: MinorCalendar,
): void {
  const { asOf } = calendar;
  const h = emptyHitting();
  let careerPa = 0;
  for (const l of lines) {
    careerPa += l.stats.plateAppearances;
    if (l.season === asOf) addHitting(h, l.stats);
  }
  const singles = h.hits - h.doubles - h.triples - h.homeRuns;
  const totalBases = singles + 2 * h.doubles + 3 * h.triples + 4 * h.homeRuns;
  const unintentionalBb = h.baseOnBalls - h.intentionalWalks;
  set('hit_pa', h.plateAppearances);
  set('hit_k_rate', ratio(h.strikeOuts, h.plateAppearances));
  set('hit_bb_rate', ratio(h.baseOnBalls, h.plateAppearances));
  set('hit_iso', isoOf(h));
  set('hit_avg', ratio(h.hits, h.atBats));
  set('hit_babip', ratio(h.hits - h.homeRuns, h.atBats - h.strikeOuts - h.homeRuns + h.sacFlies));
  set('hit_obp', ratio(h.hits + h.baseOnBalls + h.hitByPitch, h.atBats + h.baseOnBalls + h.hitByPitch + h.sacFlies));
  set('hit_slg', ratio(totalBases, h.atBats));
  set('hit_sb_rate', ratio(h.stolenBases, singles + h.baseOnBalls + h.hitByPitch));
  const wobaEvents =
    0.69 * unintentionalBb + 0.72 * h.hitByPitch + 0.89 * singles + 1.27 * h.doubles + 1.62 * h.triples + 2.1 * h.homeRuns;
  set('hit_woba', ratio(wobaEvents, h.atBats + unintentionalBb + h.sacFlies + h.hitByPitch));
  set('hit_career_pa', careerPa);
  relativeColumns(set, ['hit_k_rate_rel', 'hit_k_rate_w3', 'hit_k_rate_delta'], lines, norms, calendar, HIT_RATES.k);
  relativeColumns(set, ['hit_bb_rate_rel', 'hit_bb_rate_w3', 'hit_bb_rate_delta'], lines, norms, calendar, HIT_RATES.bb);
  relativeColumns(set, ['hit_iso_rel', 'hit_iso_w3', 'hit_iso_delta'], lines, norms, calendar, HIT_RATES.iso);
  leagueColumn(set, 'hit_k_rate_rel_league', lines, leagues, asOf, HIT_RATES.k);
  leagueColumn(set, 'hit_bb_rate_rel_league', lines, leagues, asOf, HIT_RATES.bb);
  leagueColumn(set, 'hit_iso_rel_league', lines, leagues, asOf, HIT_RATES.iso);
}

function pitchingColumns(
  set: (n: FeatureName, x: number) => void, lines: PitchingLine[], norms: LevelNorms, leagues: LeagueNorms, calendar: MinorCalendar,
): void {
  const { asOf } = calendar;
  const p = emptyPitching();
  let careerBf = 0;
  for (const l of lines) {
    careerBf += l.stats.battersFaced;
    if (l.season === asOf) addPitching(p, l.stats);
  }
  set('pit_ip', p.outs / 3);
  set('pit_bf', p.battersFaced);
  set('pit_k_rate', ratio(p.strikeOuts, p.battersFaced));
  set('pit_bb_rate', ratio(p.baseOnBalls, p.battersFaced));
  set('pit_k_bb_rate', ratio(p.strikeOuts - p.baseOnBalls, p.battersFaced));
  set('pit_hr_rate', ratio(p.homeRuns, p.battersFaced));
  set('pit_gs_share', ratio(p.gamesStarted, p.games));
  set('pit_ip_per_app', ratio(p.outs / 3, p.games));
  set('pit_bf_per_game', ratio(p.battersFaced, p.games));
  set('pit_k_bb_w3', levelAdjusted(lines, byLevel(norms), (s) => calendar.recency.get(s) ?? 0, PIT_RATES.kbb));
  set('pit_career_bf', careerBf);
  relativeColumns(set, ['pit_k_rate_rel', 'pit_k_rate_w3', 'pit_k_rate_delta'], lines, norms, calendar, PIT_RATES.k);
  relativeColumns(set, ['pit_bb_rate_rel', 'pit_bb_rate_w3', 'pit_bb_rate_delta'], lines, norms, calendar, PIT_RATES.bb);
  relativeColumns(set, ['pit_hr_rate_rel', 'pit_hr_rate_w3', 'pit_hr_rate_delta'], lines, norms, calendar, PIT_RATES.hr);
  leagueColumn(set, 'pit_k_rate_rel_league', lines, leagues, asOf, PIT_RATES.k);
  leagueColumn(set, 'pit_bb_rate_rel_league', lines, leagues, asOf, PIT_RATES.bb);
  leagueColumn(set, 'pit_hr_rate_rel_league', lines, leagues, asOf, PIT_RATES.hr);
}

/** Playing time of a line: plate appearances or batters faced. */
function trials(l: SeasonLine): number {
  return l.group === 'hitting' ? l.stats.plateAppearances : l.stats.battersFaced;
}

/**
 * Promotion within the as-of season: how many levels he climbed from his lowest to his highest level that season,
 * and the share of his playing time spent at the highest one (a late call-up reads low, a season there reads 1).
 */
function promotionColumns(set: (n: FeatureName, x: number) => void, minors: readonly SeasonLine[], asOf: number, top: Level | undefined): void {
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
function highestLevel(lines: readonly SeasonLine[], season: number): Level | undefined {
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

function flag(value: string | null | undefined, code: string): number {
  const v = (value ?? '').trim().toUpperCase();
  return v ? Number(v.startsWith(code)) : NaN;
}

const HIT_TOOLS = ['hit', 'gamePower'] as const;
const PITCH_TOOLS = ['fastball', 'slider', 'curveball', 'changeup', 'cutter', 'splitter', 'command'] as const;

/** A 20-80 grade as (grade - 50) / 10; NaN when missing. */
function gradeScale(grade: number | null | undefined): number {
  return typeof grade === 'number' && Number.isFinite(grade) ? (grade - 50) / 10 : NaN;
}

/** Mean of the future grades of the named tools he has, on the (grade - 50) / 10 scale; NaN when he has none. */
function meanFuture(tools: ScoutingGrade['tools'], names: readonly string[]): number {
  let sum = 0;
  let n = 0;
  for (const name of names) {
    const g = gradeScale(tools[name]?.future);
    if (Number.isNaN(g)) continue;
    sum += g;
    n += 1;
  }
  return n ? sum / n : NaN;
}

/** The latest grade of each source per player from lists dated no later than the as-of season. */
interface PlayerGrades {
  fangraphs?: ScoutingGrade;
  baseball_america?: ScoutingGrade;
}

function latestGrades(grades: readonly ScoutingGrade[], asOf: number): Map<number, PlayerGrades> {
  const byPlayer = new Map<number, PlayerGrades>();
  for (const g of grades) {
    if (g.season > asOf) continue;
    let own = byPlayer.get(g.playerId);
    if (!own) byPlayer.set(g.playerId, (own = {}));
    const seen = own[g.source];
    if (!seen || g.season > seen.season) own[g.source] = g;
  }
  return byPlayer;
}

function gradeColumns(set: (n: FeatureName, x: number) => void, asOf: number, group: StatGroup, grades?: PlayerGrades): void {
  const fg = grades?.fangraphs;
  if (fg) {
    set('fg_fv', gradeScale(fg.futureValue));
    if (group === 'hitting') set('fg_hit_future', meanFuture(fg.tools, HIT_TOOLS));
    else set('fg_pitch_future', meanFuture(fg.tools, PITCH_TOOLS));
    set('fg_grade_age', asOf - fg.season);
  }
  const rank = grades?.baseball_america?.overallRank;
  if (typeof rank === 'number' && rank > 0) set('ba_top100_rank', rank);
}

/** His line of the as-of season at `level` with the most playing time: the team, hence the league, he is aged against. */
function mainLine(minors: readonly SeasonLine[], asOf: number, level: Level | undefined): SeasonLine | undefined {
  let best: SeasonLine | undefined;
  for (const l of minors) {
    if (l.season === asOf && minorLevel(l) === level && (best === undefined || trials(l) > trials(best))) best = l;
  }
  return best;
}

function playerValues(
  calendar: MinorCalendar, norms: LevelNorms, leagues: LeagueNorms, own: readonly SeasonLine[], group: StatGroup, bio?: PlayerBio,
  pick?: DraftPick, grades?: PlayerGrades,
): Float32Array {
  const { asOf } = calendar;
  const values = new Float32Array(FEATURE_COUNT).fill(NaN);
  const set = (name: FeatureName, x: number): void => {
    values[FEATURE_INDEX[name]] = x;
  };
  const birth = birthTime(bio?.birthDate);
  const minors = own.filter((l) => l.group === group && minorLevel(l) !== undefined);
  const currentLevel = highestLevel(minors, asOf);
  const current = ordinalOf(currentLevel);
  const norm = currentLevel ? normFor(norms, asOf, currentLevel, group) : undefined;
  const age = ageOnJuly1(birth, asOf);
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
  set('age', age);
  set('age_rel_level', age - (norm?.meanAge ?? NaN));
  const main = mainLine(minors, asOf, currentLevel);
  set('age_rel_league', age - ((main && leagueNormFor(leagues, main, (n) => n.meanAge)?.meanAge) ?? NaN));
  set('level_ordinal', current);
  set('levels_played', new Set(minors.filter((l) => l.season === asOf).map((l) => l.sportId)).size);
  promotionColumns(set, minors, asOf, currentLevel);
  set('level_climb', calendar.previous === undefined ? NaN : current - ordinalOf(highestLevel(minors, calendar.previous)));
  set('seasons_pro', asOf - firstSeason + 1);
  set('left_censored', censored ? 1 : 0);
  set('prior_season_gap', calendar.gap);
  set('seasons_since_last_line', Number.isFinite(lastMinorBefore) ? asOf - lastMinorBefore : NaN);
  set('seasons_at_level', new Set(minors.filter((l) => minorLevel(l) === currentLevel).map((l) => l.season)).size);
  // The age he turned pro is unknown when his career may predate the data.
  set('age_first_pro', censored ? NaN : ageOnJuly1(birth, firstSeason));
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

  if (group === 'hitting') hittingColumns(set, minors.filter((l): l is HittingLine => l.group === 'hitting'), norms, leagues, calendar);
  else pitchingColumns(set, minors.filter((l): l is PitchingLine => l.group === 'pitching'), norms, leagues, calendar);
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

export function computeFeatures({ asOfSeason, players, lines, drafts, grades = [], leagues = [] }: FeatureInput): FeatureRow[] {
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
  const norms = computeLevelNorms(lines.filter((l) => calendar.recency.has(l.season)), bios);
  // Only the as-of season is compared with its league.
  const index = leagueIndex(leagues);
  const leagueNorms: LeagueNorms = { index, byLevel: norms, byLeague: computeLeagueNorms(lines.filter((l) => l.season === asOfSeason), bios, index) };
  const picks = latestPicks(drafts, asOfSeason);
  const scouting = latestGrades(grades, asOfSeason);
  const rows: FeatureRow[] = [];
  for (const [playerId, own] of byPlayer) {
    const bio = bios.get(playerId);
    const group = classifyPlayer(own, asOfSeason, bio);
    if (group === undefined || !isRookieEligible(own)) continue;
    rows.push({
      playerId, asOfSeason, group, values: playerValues(calendar, norms, leagueNorms, own, group, bio, picks.get(playerId), scouting.get(playerId)),
    });
  }
  return rows.sort((a, b) => a.playerId - b.playerId);
}
