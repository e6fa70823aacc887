/**
 * Turns a player's playing time and effective skill at a level into counting stats.
 * Rates are drawn around the level's means (levels.ts), shifted by skill and the player's own profile, then sampled
 * binomially so small samples are noisy the way real ones are.
 */
import type { HittingCounts, PitchingCounts } from '../../lib/domain.ts';
import type { Rng } from './prng.ts';
import type { LevelSpec } from './levels.ts';
import type { RateProfile } from './players.ts';

/** Binomial draw: exact inversion for small means (cost ~ mean), normal approximation above. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean * (1 - p) > 12) {
    const draw = Math.round(rng.normal(mean, Math.sqrt(mean * (1 - p))));
    return Math.min(n, Math.max(0, draw));
  }
  const q = 1 - p;
  let prob = q ** n;
  let cdf = prob;
  const u = rng.next();
  let k = 0;
  while (u > cdf && k < n) {
    prob *= ((n - k) / (k + 1)) * (p / q);
    k += 1;
    cdf += prob;
  }
  return k;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Share of at-bats that end in strikeouts or homers, used to back out a level's BABIP from its batting average. */
function levelBabip(level: LevelSpec): number {
  const h = level.hitting;
  const abPerPa = 0.88;
  const hrPerAb = h.iso * 0.19;
  return (h.avg - hrPerAb) / (1 - h.k / abPerPa - hrPerAb);
}

/**
 * A hitter's line. `gap` is his effective skill minus the level's typical skill (0 = an average player there).
 */
export function hittingLine(rng: Rng, level: LevelSpec, profile: RateProfile, gap: number, pa: number): HittingCounts {
  const m = level.hitting;
  const k = clamp(m.k - 0.03 * gap + 0.052 * profile.k, 0.04, 0.5);
  const bb = clamp(m.bb + 0.011 * gap + 0.027 * profile.bb, 0.012, 0.25);
  const iso = clamp(m.iso + 0.021 * gap + 0.046 * profile.pow, 0.01, 0.42);
  const babip = clamp(levelBabip(level) + 0.012 * gap + 0.016 * profile.con, 0.18, 0.42);

  const baseOnBalls = binomial(rng, pa, bb);
  const hitByPitch = binomial(rng, pa, 0.011);
  const sacFlies = binomial(rng, pa, 0.008);
  const sacBunts = binomial(rng, pa, 0.004);
  const atBats = Math.max(0, pa - baseOnBalls - hitByPitch - sacFlies - sacBunts);
  const strikeOuts = Math.min(atBats, binomial(rng, pa, k));
  const homeRuns = Math.min(atBats - strikeOuts, binomial(rng, atBats, iso * 0.19));
  const ballsInPlay = atBats - strikeOuts - homeRuns;
  const otherHits = binomial(rng, ballsInPlay, babip);
  const tripleRate = iso * 0.035 * Math.exp(0.3 * profile.spd);
  const doubleRate = Math.max(0.005, iso - 3 * iso * 0.19 - 2 * tripleRate);
  const nonHrHitRate = Math.max(0.05, babip * (1 - k / 0.88));
  const doubles = binomial(rng, otherHits, clamp(doubleRate / nonHrHitRate, 0, 0.6));
  const triples = binomial(rng, otherHits - doubles, clamp(tripleRate / nonHrHitRate, 0, 0.2));
  const singles = otherHits - doubles - triples;
  const stolenBases = binomial(
    rng,
    singles + baseOnBalls + hitByPitch,
    clamp(0.06 * Math.exp(0.7 * profile.spd), 0, 0.6),
  );
  return {
    games: Math.max(1, Math.round((pa / 4.1) * (0.9 + 0.2 * rng.next()))),
    plateAppearances: pa,
    atBats,
    hits: otherHits + homeRuns,
    doubles,
    triples,
    homeRuns,
    baseOnBalls,
    intentionalWalks: binomial(rng, baseOnBalls, 0.05),
    hitByPitch,
    strikeOuts,
    stolenBases,
    caughtStealing: binomial(rng, stolenBases, 0.3),
    sacFlies,
  };
}

/** Sacrifice bunts are not part of HittingCounts but the API shows them; PA minus the rest recovers them. */
export function sacBunts(c: HittingCounts): number {
  return Math.max(0, c.plateAppearances - c.atBats - c.baseOnBalls - c.hitByPitch - c.sacFlies);
}

/** A pitcher's line over about `battersFaced` batters; `gap` as for hitters. */
export function pitchingLine(
  rng: Rng,
  level: LevelSpec,
  profile: RateProfile,
  gap: number,
  battersFaced: number,
  role: 'SP' | 'RP',
): PitchingCounts {
  const m = level.pitching;
  const k = clamp(m.k + 0.03 * gap + 0.052 * profile.k, 0.05, 0.45);
  const bb = clamp(m.bb - 0.011 * gap + 0.028 * profile.bb, 0.015, 0.25);
  const hr = clamp(m.hr - 0.003 * gap + 0.0045 * profile.pow, 0.002, 0.06);
  const babip = clamp(0.3 - 0.008 * gap + 0.01 * profile.con, 0.24, 0.36);

  const bf = Math.max(1, battersFaced);
  const strikeOuts = binomial(rng, bf, k);
  const baseOnBalls = Math.min(bf - strikeOuts, binomial(rng, bf, bb));
  const hitByPitch = Math.min(bf - strikeOuts - baseOnBalls, binomial(rng, bf, 0.01));
  const homeRuns = Math.min(bf - strikeOuts - baseOnBalls - hitByPitch, binomial(rng, bf, hr));
  const inPlay = bf - strikeOuts - baseOnBalls - hitByPitch - homeRuns;
  const hits = homeRuns + binomial(rng, inPlay, babip);
  // Outs: every batter who did not reach ends in an out, plus double plays and runners caught, minus errors.
  const extraOuts = binomial(rng, bf, 0.025) - binomial(rng, bf, 0.012);
  const outs = Math.max(0, bf - hits - baseOnBalls - hitByPitch + extraOuts);
  const onBase = hits - homeRuns + baseOnBalls + hitByPitch;
  const runsPerBf = (0.27 * onBase + 1.45 * homeRuns) / bf;
  const earnedRuns = Math.max(0, Math.round(bf * runsPerBf * (0.8 + 0.4 * rng.next())));
  const innings = outs / 3;
  const gamesStarted = role === 'SP' ? Math.max(1, Math.round(innings / (4.8 + rng.next()))) : 0;
  const relief = role === 'SP' ? rng.int(0, 2) : Math.max(1, Math.round(innings / (1.0 + 0.3 * rng.next())));
  return {
    games: gamesStarted + relief,
    gamesStarted,
    outs,
    battersFaced: bf,
    hits,
    homeRuns,
    baseOnBalls,
    hitByPitch,
    strikeOuts,
    earnedRuns,
  };
}

/** Sums two lines of the same group (a traded player's aggregate row). */
export function addCounts<T extends HittingCounts | PitchingCounts>(a: T, b: T): T {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof T)[]) {
    (out[key] as number) = (a[key] as number) + (b[key] as number);
  }
  return out;
}
