/**
 * Sample-universe players: their public bio, their hidden truth (skill, development speed, rate profile), how they
 * are created (draft, international signing, undrafted signing) and how their skill moves from one season to the next.
 */
import type { Rng } from './prng.ts';
import { INTERNATIONAL, LATIN_FIRST, LATIN_LAST, SCHOOL_STEMS, US_FIRST, US_LAST, US_PLACES } from './names.ts';

export type HitterPosition = 'C' | '1B' | '2B' | '3B' | 'SS' | 'LF' | 'CF' | 'RF' | 'DH';
export type Position = HitterPosition | 'P';

export interface RateProfile {
  /** z-scores of the player's own tendencies, independent of skill: strikeouts, walks, power, contact, speed/homers. */
  k: number;
  bb: number;
  pow: number;
  con: number;
  spd: number;
}

export interface SamplePlayer {
  id: number;
  firstName: string;
  lastName: string;
  fullName: string;
  birthDate: string;
  /** Birth date as a decimal year, for ages. */
  born: number;
  birthCity: string;
  birthState: string | null;
  birthCountry: string;
  heightInches: number;
  weight: number;
  primaryNumber: string;
  position: Position;
  bats: 'L' | 'R' | 'S';
  throws: 'L' | 'R';
  /** Pitchers only: starter or reliever; may change with age. */
  role: 'SP' | 'RP' | null;
  /** Current ability on the latent scale (Rookie level = 0, MLB about 3.9). Hidden truth. */
  skill: number;
  /** Development speed multiplier (late bloomers > 1). Hidden truth. */
  dev: number;
  profile: RateProfile;
  /** Last season's in-season form; good form helps promotions. */
  form: number;
  orgId: number | null;
  /** Highest level (sportId) played last season, or null before the first season. */
  lastSportId: number | null;
  entry: 'draft' | 'international' | 'undrafted' | 'initial';
  /** First season he may appear in a box score. */
  firstSeason: number;
  draftYear: number | null;
  draftRound: number | null;
  mlbDebutDate: string | null;
  status: 'active' | 'free' | 'retired';
  /** Seasons since release while still unsigned. */
  idleSeasons: number;
  /** Skill on opening day of each season he was on a roster: what scouts saw that spring. Hidden truth. */
  skillBySeason: Record<number, number>;
}

/** Increment of skill in the year a player turns `age`, before his development multiplier; negative means decline. */
export function growth(age: number): number {
  if (age < 21) return 0.46;
  if (age < 22) return 0.4;
  if (age < 23) return 0.33;
  if (age < 24) return 0.27;
  if (age < 25) return 0.2;
  if (age < 26) return 0.15;
  if (age < 27) return 0.11;
  if (age < 28) return 0.07;
  if (age < 29) return 0.03;
  if (age < 30) return -0.05;
  if (age < 32) return -0.16;
  if (age < 34) return -0.26;
  return -0.38;
}

/** Age on July 1 of a season (the reference date baseball ages usually use). */
export function seasonAge(player: Pick<SamplePlayer, 'born'>, season: number): number {
  return season + 0.5 - player.born;
}

/** Skill the player would reach at 27 if he develops as expected: what scouts try to guess. */
export function projectedPeak(player: Pick<SamplePlayer, 'skill' | 'dev' | 'born'>, season: number): number {
  let skill = player.skill;
  for (let age = Math.floor(seasonAge(player, season)) + 1; age <= 28; age++)
    skill += Math.max(0, growth(age)) * player.dev * saturation(skill);
  return skill;
}

/** Growth slows near the top, so major leaguers bunch up a little above Triple-A instead of running away. */
function saturation(skill: number): number {
  return Math.min(1, Math.max(0.1, 1 - Math.max(0, skill - 3.3) / 1.6));
}

/** One season of development: growth scaled by the player's speed, plus a random walk that makes busts and risers. */
export function develop(player: SamplePlayer, season: number, rng: Rng): void {
  const g = growth(seasonAge(player, season));
  player.skill += (g > 0 ? g * player.dev * saturation(player.skill) : g) + rng.normal(0, 0.25);
  if (player.role === 'SP' && seasonAge(player, season) > 25 && player.skill < 2.6 && rng.chance(0.25))
    player.role = 'RP';
}

export interface PlayerIds {
  next(): number;
}

/** Six-digit ids, increasing with gaps like MLBAM's, starting where players of the 2000s sit. */
export function createPlayerIds(rng: Rng, start = 430000): PlayerIds {
  let current = start;
  return {
    next: () => {
      current += rng.int(1, 5);
      if (current > 999999) throw new Error('sample universe ran out of six-digit player ids');
      return current;
    },
  };
}

const HITTER_POSITIONS: readonly HitterPosition[] = ['C', '1B', '2B', '3B', 'SS', 'LF', 'CF', 'RF', 'DH'];
const HITTER_POSITION_WEIGHTS = [14, 8, 12, 11, 15, 10, 13, 12, 3];

export interface NewPlayerSpec {
  season: number;
  /** Age on July 1 of `season`. */
  age: number;
  pitcher: boolean;
  skill: number;
  international: boolean;
  entry: SamplePlayer['entry'];
  firstSeason: number;
}

function dateOf(born: number): string {
  const year = Math.floor(born);
  const dayOfYear = Math.min(364, Math.floor((born - year) * 365));
  const date = new Date(Date.UTC(year, 0, 1 + dayOfYear));
  return date.toISOString().slice(0, 10);
}

export function createPlayer(ids: PlayerIds, rng: Rng, spec: NewPlayerSpec): SamplePlayer {
  const born = spec.season + 0.5 - spec.age;
  const intl = spec.international ? INTERNATIONAL[rng.weighted(INTERNATIONAL.map((c) => c.weight))] : undefined;
  const place = intl ? null : rng.pick(US_PLACES);
  const firstName = intl ? rng.pick(LATIN_FIRST) : rng.pick(US_FIRST);
  const lastName = intl ? rng.pick(LATIN_LAST) : rng.pick(US_LAST);
  const position: Position = spec.pitcher ? 'P' : (HITTER_POSITIONS[rng.weighted(HITTER_POSITION_WEIGHTS)] ?? 'SS');
  const throwsLeft = spec.pitcher
    ? rng.chance(0.28)
    : ['1B', 'LF', 'RF', 'DH', 'CF'].includes(position) && rng.chance(0.18);
  const bats = rng.chance(0.08) && !spec.pitcher ? 'S' : throwsLeft || rng.chance(0.22) ? 'L' : 'R';
  const k = rng.normal();
  const pow = 0.4 * k + 0.92 * rng.normal();
  return {
    id: ids.next(),
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    birthDate: dateOf(born),
    born,
    birthCity: intl ? rng.pick(intl.cities) : (place?.[0] ?? 'Houston'),
    birthState: place ? place[1] : null,
    birthCountry: intl ? intl.country : 'USA',
    heightInches: Math.round(rng.normal(spec.pitcher ? 74.5 : 72.5, 2)),
    weight: Math.round(rng.normal(spec.pitcher ? 210 : 200, 15)),
    primaryNumber: String(rng.int(1, 99)),
    position,
    bats,
    throws: throwsLeft ? 'L' : 'R',
    role: spec.pitcher ? (rng.chance(0.45) ? 'SP' : 'RP') : null,
    skill: spec.skill,
    dev: Math.exp(rng.normal(0, 0.28)),
    profile: { k, bb: rng.normal(), pow, con: -0.35 * k + 0.94 * rng.normal(), spd: rng.normal() },
    form: 0,
    orgId: null,
    lastSportId: null,
    entry: spec.entry,
    firstSeason: spec.firstSeason,
    draftYear: null,
    draftRound: null,
    mlbDebutDate: null,
    status: 'active',
    idleSeasons: 0,
    skillBySeason: {},
  };
}

/** A made-up school name for a draftee: high school or college. */
export function schoolName(rng: Rng, player: SamplePlayer, college: boolean): string {
  const stem = rng.pick(SCHOOL_STEMS);
  const state = player.birthState ?? 'TX';
  return college ? `${stem} ${state} ${rng.pick(['University', 'State', 'College', 'Tech'])}` : `${stem} HS (${state})`;
}
