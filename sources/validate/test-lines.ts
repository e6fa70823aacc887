/**
 * Test helper: hand-built season lines whose counts are consistent by construction, from a few rates, so each test
 * can break exactly one thing; and a synthetic level of ordinary players to plant outliers in.
 */
import type { HittingCounts, PitchingCounts, PlayerBio, SeasonLine } from '../../lib/domain.ts';
import { createRng } from '../sample/prng.ts';

export const SEASON = 2015;
export const AA = 12;

export interface HitterRates {
  pa?: number;
  k?: number;
  bb?: number;
  iso?: number;
}

export function hittingCounts({ pa = 400, k = 0.2, bb = 0.085, iso = 0.13 }: HitterRates = {}): HittingCounts {
  const baseOnBalls = Math.round(pa * bb);
  const hitByPitch = Math.round(pa * 0.01);
  const sacFlies = Math.round(pa * 0.008);
  const atBats = pa - baseOnBalls - hitByPitch - sacFlies - 1; // one sacrifice bunt
  const strikeOuts = Math.round(pa * k);
  const hits = Math.min(Math.round(atBats * 0.26), atBats - strikeOuts);
  const extraBases = Math.round(iso * atBats);
  const homeRuns = Math.round(extraBases * 0.2);
  const triples = extraBases - 3 * homeRuns >= 2 ? 1 : 0;
  const doubles = Math.max(0, extraBases - 3 * homeRuns - 2 * triples);
  return {
    games: Math.round(pa / 4.2),
    plateAppearances: pa,
    atBats,
    hits,
    doubles,
    triples,
    homeRuns,
    baseOnBalls,
    intentionalWalks: Math.min(baseOnBalls, 2),
    hitByPitch,
    strikeOuts,
    stolenBases: 8,
    caughtStealing: 3,
    sacFlies,
  };
}

export interface PitcherRates {
  bf?: number;
  k?: number;
  bb?: number;
  hr?: number;
}

export function pitchingCounts({ bf = 400, k = 0.2, bb = 0.085, hr = 0.018 }: PitcherRates = {}): PitchingCounts {
  const strikeOuts = Math.round(bf * k);
  const baseOnBalls = Math.round(bf * bb);
  const homeRuns = Math.round(bf * hr);
  return {
    games: 20,
    gamesStarted: 18,
    outs: Math.round(bf * 0.72),
    battersFaced: bf,
    hits: Math.max(homeRuns, Math.round(bf * 0.22)),
    homeRuns,
    baseOnBalls,
    hitByPitch: Math.round(bf * 0.01),
    strikeOuts,
    earnedRuns: Math.round(bf * 0.1),
  };
}

export type HittingLine = Extract<SeasonLine, { group: 'hitting' }>;
export type PitchingLine = Extract<SeasonLine, { group: 'pitching' }>;

export function hitter(
  playerId: number,
  rates: HitterRates = {},
  over: Partial<HittingCounts> = {},
  sportId = AA,
): HittingLine {
  return {
    playerId,
    season: SEASON,
    sportId,
    teamId: 500,
    group: 'hitting',
    stats: { ...hittingCounts(rates), ...over },
  };
}

export function pitcher(
  playerId: number,
  rates: PitcherRates = {},
  over: Partial<PitchingCounts> = {},
  sportId = AA,
): PitchingLine {
  return {
    playerId,
    season: SEASON,
    sportId,
    teamId: 500,
    group: 'pitching',
    stats: { ...pitchingCounts(rates), ...over },
  };
}

export function bio(playerId: number, birthDate: string | null = '1991-03-15'): PlayerBio {
  return {
    playerId,
    fullName: `Test Player ${playerId}`,
    birthDate,
    primaryPosition: 'SS',
    batSide: 'R',
    pitchHand: 'R',
    mlbDebutDate: null,
  };
}

export function biosFor(lines: readonly SeasonLine[]): Map<number, PlayerBio> {
  return new Map(lines.map((l) => [l.playerId, bio(l.playerId)]));
}

/** `n` ordinary qualified hitters or pitchers of one level, rates spread like CALIBRATION.md's Double-A. */
export function normalLevel(
  group: 'hitting' | 'pitching',
  n: number,
  firstId = 1000,
  sportId = AA,
  seed = 5,
): SeasonLine[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) =>
    group === 'hitting'
      ? hitter(
          firstId + i,
          {
            pa: rng.int(150, 550),
            k: Math.max(0.05, rng.normal(0.183, 0.05)),
            bb: Math.max(0.02, rng.normal(0.089, 0.028)),
            iso: Math.max(0.03, rng.normal(0.133, 0.05)),
          },
          {},
          sportId,
        )
      : pitcher(
          firstId + i,
          {
            bf: rng.int(100, 600),
            k: Math.max(0.05, rng.normal(0.191, 0.05)),
            bb: Math.max(0.02, rng.normal(0.092, 0.028)),
            hr: Math.max(0.004, rng.normal(0.019, 0.006)),
          },
          {},
          sportId,
        ),
  );
}
