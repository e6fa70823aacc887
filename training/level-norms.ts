/**
 * Per (season, level, group) averages of age and core rates, for features measured "relative to the level".
 * Also the counting-stat arithmetic (sums, rates, age on July 1) that the feature code shares with the norms.
 */
import type { HittingCounts, Level, PitchingCounts, PlayerBio, SeasonLine, StatGroup } from '../lib/domain.ts';
import { levelOfSport, levelOrdinal } from '../lib/domain.ts';

/** Only hitters with this many PA and pitchers with this many outs (20 IP) count toward a level's mean rates. */
export const NORM_QUALIFIERS = { plateAppearances: 100, outs: 60 } as const;

export interface LevelNorm {
  season: number;
  level: Level;
  group: StatGroup;
  /** Players at the level (any playing time) with a known birth date: the base of `meanAge`. */
  agedPlayers: number;
  /** Mean age on July 1 of the season; NaN when no birth date is known. */
  meanAge: number;
  /** Qualified players (see NORM_QUALIFIERS): the base of the rate means; rates are NaN when zero. */
  qualified: number;
  /** Unweighted means of per-player rates: K and BB per PA (hitters) or per batter faced (pitchers). */
  kRate: number;
  bbRate: number;
  /** Hitters only (NaN for pitchers). */
  iso: number;
  /** Pitchers only: home runs per batter faced (NaN for hitters). */
  hrRate: number;
}

export type LevelNorms = ReadonlyMap<number, LevelNorm>;

/** A numeric key: norms are looked up once per line per rate, and string keys cost most of the feature time. */
function normKey(season: number, level: Level, group: StatGroup): number {
  return (season * 16 + levelOrdinal(level)) * 2 + (group === 'hitting' ? 0 : 1);
}

export function normFor(norms: LevelNorms, season: number, level: Level, group: StatGroup): LevelNorm | undefined {
  return norms.get(normKey(season, level, group));
}

const MS_PER_YEAR = 365.2425 * 24 * 3600 * 1000;

const birthTimes = new Map<string, number>();

/** Birth date (YYYY-MM-DD) to epoch ms, or NaN; memoized since every as-of season parses every bio again. */
export function birthTime(birthDate: string | null | undefined): number {
  if (!birthDate) return NaN;
  let t = birthTimes.get(birthDate);
  if (t === undefined) {
    t = Date.parse(`${birthDate.slice(0, 10)}T00:00:00Z`);
    if (!Number.isFinite(t)) t = NaN;
    birthTimes.set(birthDate, t);
  }
  return t;
}

/** Baseball age convention: a player's age in a season is his age on July 1 of it (fractional years). */
export function ageOnJuly1(birth: number, season: number): number {
  return (Date.UTC(season, 6, 1) - birth) / MS_PER_YEAR;
}

/** a / b, with NaN instead of Infinity or 0/0: a rate with no denominator is missing, not zero. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : NaN;
}

export function emptyHitting(): HittingCounts {
  return {
    games: 0,
    plateAppearances: 0,
    atBats: 0,
    hits: 0,
    doubles: 0,
    triples: 0,
    homeRuns: 0,
    baseOnBalls: 0,
    intentionalWalks: 0,
    hitByPitch: 0,
    strikeOuts: 0,
    stolenBases: 0,
    caughtStealing: 0,
    sacFlies: 0,
  };
}

export function emptyPitching(): PitchingCounts {
  return {
    games: 0,
    gamesStarted: 0,
    outs: 0,
    battersFaced: 0,
    hits: 0,
    homeRuns: 0,
    baseOnBalls: 0,
    hitByPitch: 0,
    strikeOuts: 0,
    earnedRuns: 0,
  };
}

/** Adds `from` into `into`, field by field. */
export function addHitting(into: HittingCounts, from: HittingCounts): void {
  for (const key of HITTING_KEYS) into[key] += from[key];
}

export function addPitching(into: PitchingCounts, from: PitchingCounts): void {
  for (const key of PITCHING_KEYS) into[key] += from[key];
}

const HITTING_KEYS = Object.keys(emptyHitting()) as (keyof HittingCounts)[];
const PITCHING_KEYS = Object.keys(emptyPitching()) as (keyof PitchingCounts)[];

/** Isolated power: extra bases per at-bat. */
export function isoOf(h: HittingCounts): number {
  return ratio(h.doubles + 2 * h.triples + 3 * h.homeRuns, h.atBats);
}

/** Season ages of one level's players and their rates, accumulated line by line. */
interface Accumulator {
  season: number;
  level: Level;
  group: StatGroup;
  ageSum: number;
  aged: number;
  qualified: number;
  k: number;
  bb: number;
  power: number;
}

/**
 * Norms for every (season, level, group) present in `lines`; MLB and unknown sport ids are skipped.
 * Norms of season S depend on season S lines only, so passing more seasons never changes an earlier norm.
 */
export function computeLevelNorms(
  lines: readonly SeasonLine[],
  players: readonly PlayerBio[] | ReadonlyMap<number, PlayerBio>,
): Map<number, LevelNorm> {
  return accumulateNorms(lines, players, (line, level) => normKey(line.season, level, line.group));
}

/**
 * Norms of the groups of minor-league lines that `keyOf` names (lines it gives no key are left out): the level norms
 * above, or finer groups such as one league of a level (training/league-norms.ts).
 */
export function accumulateNorms<K>(
  lines: readonly SeasonLine[],
  players: readonly PlayerBio[] | ReadonlyMap<number, PlayerBio>,
  keyOf: (line: SeasonLine, level: Exclude<Level, 'MLB'>) => K | undefined,
): Map<K, LevelNorm> {
  const bios =
    players instanceof Map ? players : new Map((players as readonly PlayerBio[]).map((p) => [p.playerId, p]));
  const acc = new Map<K, Accumulator>();
  for (const line of lines) {
    const level = levelOfSport(line.sportId);
    if (level === undefined || level === 'MLB') continue;
    const key = keyOf(line, level);
    if (key === undefined) continue;
    let a = acc.get(key);
    if (!a) {
      a = { season: line.season, level, group: line.group, ageSum: 0, aged: 0, qualified: 0, k: 0, bb: 0, power: 0 };
      acc.set(key, a);
    }
    const age = ageOnJuly1(birthTime(bios.get(line.playerId)?.birthDate), line.season);
    if (Number.isFinite(age)) {
      a.ageSum += age;
      a.aged += 1;
    }
    if (line.group === 'hitting') {
      const s = line.stats;
      if (s.plateAppearances < NORM_QUALIFIERS.plateAppearances) continue;
      a.qualified += 1;
      a.k += s.strikeOuts / s.plateAppearances;
      a.bb += s.baseOnBalls / s.plateAppearances;
      a.power += isoOf(s) || 0;
    } else {
      const s = line.stats;
      if (s.outs < NORM_QUALIFIERS.outs || s.battersFaced <= 0) continue;
      a.qualified += 1;
      a.k += s.strikeOuts / s.battersFaced;
      a.bb += s.baseOnBalls / s.battersFaced;
      a.power += s.homeRuns / s.battersFaced;
    }
  }
  const norms = new Map<K, LevelNorm>();
  for (const [key, a] of acc) {
    const hitting = a.group === 'hitting';
    norms.set(key, {
      season: a.season,
      level: a.level,
      group: a.group,
      agedPlayers: a.aged,
      meanAge: ratio(a.ageSum, a.aged),
      qualified: a.qualified,
      kRate: ratio(a.k, a.qualified),
      bbRate: ratio(a.bb, a.qualified),
      iso: hitting ? ratio(a.power, a.qualified) : NaN,
      hrRate: hitting ? NaN : ratio(a.power, a.qualified),
    });
  }
  return norms;
}
