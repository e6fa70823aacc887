/**
 * Per-level constants of the sample universe: difficulty on the latent skill scale, roster sizes, playing time and
 * the rate means the generator draws around. Means come from /work/shared/CALIBRATION.md (2005-2010 US minors).
 */
import { SPORT_IDS, minorSportIds } from '../../lib/domain.ts';

export interface HittingMeans {
  /** Strikeouts per plate appearance. */
  k: number;
  /** Walks per plate appearance. */
  bb: number;
  /** Isolated power (extra bases per at-bat). */
  iso: number;
  avg: number;
}

export interface PitchingMeans {
  /** Strikeouts, walks and home runs per batter faced. */
  k: number;
  bb: number;
  hr: number;
}

export interface LevelSpec {
  sportId: number;
  abbreviation: string;
  name: string;
  /** Skill a player needs to hold his own at this level, on the latent scale (Rookie = 0). */
  difficulty: number;
  /** Oldest age (on July 1) at which a club still assigns a player here; rehab stints aside. */
  maxAge: number;
  /** Players per organisation placed here at the start of a season, per group, at scale 1. */
  rosterHitters: number;
  rosterPitchers: number;
  /** Plate appearances of an everyday player who spends the whole season here. */
  fullSeasonPa: number;
  /** Innings of a starter who spends the whole season here. */
  fullSeasonStarterIp: number;
  /** Innings of a reliever who spends the whole season here. */
  fullSeasonRelieverIp: number;
  hitting: HittingMeans;
  pitching: PitchingMeans;
}

const spec = (s: LevelSpec): LevelSpec => s;

/** Keyed by sportId. Roster sizes leave room for mid-season arrivals so line counts land near CALIBRATION.md. */
export const LEVELS: ReadonlyMap<number, LevelSpec> = new Map<number, LevelSpec>([
  [
    SPORT_IDS.ROK,
    spec({
      sportId: 16,
      maxAge: 22.5,
      abbreviation: 'ROK',
      name: 'Rookie',
      difficulty: 0,
      rosterHitters: 6,
      rosterPitchers: 6,
      fullSeasonPa: 250,
      fullSeasonStarterIp: 70,
      fullSeasonRelieverIp: 38,
      hitting: { k: 0.207, bb: 0.086, iso: 0.119, avg: 0.261 },
      pitching: { k: 0.21, bb: 0.084, hr: 0.014 },
    }),
  ],
  [
    SPORT_IDS['ROK+'],
    spec({
      sportId: 5442,
      maxAge: 23.5,
      abbreviation: 'ROK+',
      name: 'Rookie Advanced',
      difficulty: 0.45,
      rosterHitters: 4,
      rosterPitchers: 5,
      fullSeasonPa: 290,
      fullSeasonStarterIp: 78,
      fullSeasonRelieverIp: 40,
      hitting: { k: 0.206, bb: 0.087, iso: 0.115, avg: 0.256 },
      pitching: { k: 0.21, bb: 0.086, hr: 0.0135 },
    }),
  ],
  [
    SPORT_IDS['A-'],
    spec({
      sportId: 15,
      maxAge: 23.99,
      abbreviation: 'A-',
      name: 'Short-Season A',
      difficulty: 0.8,
      rosterHitters: 2,
      rosterPitchers: 2,
      fullSeasonPa: 320,
      fullSeasonStarterIp: 80,
      fullSeasonRelieverIp: 42,
      hitting: { k: 0.205, bb: 0.088, iso: 0.111, avg: 0.251 },
      pitching: { k: 0.209, bb: 0.089, hr: 0.013 },
    }),
  ],
  [
    SPORT_IDS.A,
    spec({
      sportId: 14,
      maxAge: 25.5,
      abbreviation: 'A',
      name: 'Single-A',
      difficulty: 1.25,
      rosterHitters: 18,
      rosterPitchers: 19,
      fullSeasonPa: 560,
      fullSeasonStarterIp: 150,
      fullSeasonRelieverIp: 80,
      hitting: { k: 0.198, bb: 0.084, iso: 0.12, avg: 0.254 },
      pitching: { k: 0.203, bb: 0.086, hr: 0.016 },
    }),
  ],
  [
    SPORT_IDS['A+'],
    spec({
      sportId: 13,
      maxAge: 27,
      abbreviation: 'A+',
      name: 'High-A',
      difficulty: 1.85,
      rosterHitters: 19,
      rosterPitchers: 20,
      fullSeasonPa: 560,
      fullSeasonStarterIp: 150,
      fullSeasonRelieverIp: 80,
      hitting: { k: 0.192, bb: 0.085, iso: 0.13, avg: 0.262 },
      pitching: { k: 0.197, bb: 0.087, hr: 0.018 },
    }),
  ],
  [
    SPORT_IDS.AA,
    spec({
      sportId: 12,
      maxAge: 30,
      abbreviation: 'AA',
      name: 'Double-A',
      difficulty: 2.5,
      rosterHitters: 25,
      rosterPitchers: 26,
      fullSeasonPa: 560,
      fullSeasonStarterIp: 150,
      fullSeasonRelieverIp: 80,
      hitting: { k: 0.183, bb: 0.089, iso: 0.133, avg: 0.26 },
      pitching: { k: 0.191, bb: 0.092, hr: 0.019 },
    }),
  ],
  [
    SPORT_IDS.AAA,
    spec({
      sportId: 11,
      maxAge: 35,
      abbreviation: 'AAA',
      name: 'Triple-A',
      difficulty: 3.15,
      rosterHitters: 15,
      rosterPitchers: 16,
      fullSeasonPa: 560,
      fullSeasonStarterIp: 150,
      fullSeasonRelieverIp: 80,
      hitting: { k: 0.18, bb: 0.085, iso: 0.144, avg: 0.267 },
      pitching: { k: 0.189, bb: 0.086, hr: 0.022 },
    }),
  ],
  [
    SPORT_IDS.MLB,
    spec({
      sportId: 1,
      maxAge: 42,
      abbreviation: 'MLB',
      name: 'Major League Baseball',
      difficulty: 3.9,
      rosterHitters: 13,
      rosterPitchers: 13,
      fullSeasonPa: 650,
      fullSeasonStarterIp: 190,
      fullSeasonRelieverIp: 68,
      hitting: { k: 0.2, bb: 0.083, iso: 0.155, avg: 0.253 },
      pitching: { k: 0.2, bb: 0.083, hr: 0.029 },
    }),
  ],
]);

export function levelSpec(sportId: number): LevelSpec {
  const found = LEVELS.get(sportId);
  if (!found) throw new Error(`no level spec for sportId ${sportId}`);
  return found;
}

/** Levels in play in a season, lowest first, MLB last; the rungs a player climbs that year. */
export function ladder(season: number): number[] {
  const order = [16, 5442, 15, 14, 13, 12, 11];
  const minors = new Set(minorSportIds(season));
  return [...order.filter((id) => minors.has(id)), SPORT_IDS.MLB];
}

/** Level whose rosters are short-season (June start): draftees of the year debut here. */
export function isShortSeason(sportId: number): boolean {
  return sportId === 16 || sportId === 5442 || sportId === 15;
}

/** Rung on a season's ladder closest in difficulty to a level that may no longer exist (A- after 2020). */
export function nearestRung(season: number, sportId: number): number {
  const target = levelSpec(sportId).difficulty;
  const rungs = ladder(season);
  let best = 0;
  for (let i = 1; i < rungs.length; i++) {
    const rung = rungs[i];
    const current = rungs[best];
    if (rung === undefined || current === undefined) continue;
    if (Math.abs(levelSpec(rung).difficulty - target) < Math.abs(levelSpec(current).difficulty - target)) best = i;
  }
  return best;
}
