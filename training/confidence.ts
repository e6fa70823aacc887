/**
 * High/Medium/Low confidence of a prediction from the evidence behind it (playing time this season and in his
 * career, pro seasons, levels seen) and its uncertainty (the bootstrap ensemble's spread). Baseball America's
 * Safe..Extreme risk scale is the precedent; ours grades the prediction, not the player, so each grade is checkable
 * from the published `evidence` object alone:
 *
 * - Low when any of: under 150 PA (hitters) or batters faced (pitchers) this season, under 250 in his career, a
 *   first pro season, or an ensemble spread over 8 probability points.
 * - High when all of: 300+ this season, 1,000+ in his career, 3+ pro seasons, 2+ levels, and a spread of at
 *   most 3 points. An unknown spread never supports High.
 * - Medium otherwise.
 *
 * Why these numbers: rates stabilise at known sample sizes (strikeout rate ~60 PA / 70 BF, walk rate ~120 PA /
 * 170 BF, ISO ~160 AB: the samples at which half the spread between players is signal), so under 150 the walk
 * rate and ISO are still at least half noise, and by 300 the rates the model leans on are mostly signal; 1,000
 * career PA/BF is about two full seasons. Two levels show the numbers held up
 * against better competition. The spread cut-offs sit near the 88th (3 points) and 99th (8 points) percentiles
 * of current prospects in the full sample universe; spread grows with the probability, so the best prospects are
 * rarely High, as BA's top 20 (52.5% succeed) says they should not be.
 */
import type { SeasonLine, StatGroup } from '../lib/domain.ts';
import { levelOfSport } from '../lib/domain.ts';
import type { Confidence } from '../lib/snapshot.ts';
import { FEATURE_INDEX } from './feature-catalog.ts';

/** The published evidence behind a prediction (the snapshot's `evidence`). */
export interface Evidence {
  /** Plate appearances (hitters) or batters faced (pitchers) in the as-of season. */
  seasonWorkload: number;
  /** The same over his minor-league career through the as-of season. */
  careerWorkload: number;
  /** Professional seasons, the as-of season included. */
  seasons: number;
  /** Distinct minor-league levels played through the as-of season. */
  levels: number;
  /** Standard deviation of the probability across the bootstrap ensemble (0-1); NaN when unknown. */
  spread: number;
}

export const CONFIDENCE_RULE = {
  low: { seasonWorkload: 150, careerWorkload: 250, maxSeasons: 1, spread: 0.08 },
  high: { seasonWorkload: 300, careerWorkload: 1000, seasons: 3, levels: 2, spread: 0.03 },
} as const;

export interface ConfidenceResult {
  confidence: Confidence;
  evidence: Evidence;
  /** Why it is not a grade higher (empty for High), in words, e.g. "first pro season". */
  reasons: string[];
}

const known = (x: number): number => (Number.isFinite(x) ? x : 0);

/** The rule above. Missing workload, seasons or levels count as none. */
export function gradeConfidence(evidence: Evidence): ConfidenceResult {
  const e = {
    seasonWorkload: known(evidence.seasonWorkload),
    careerWorkload: known(evidence.careerWorkload),
    seasons: known(evidence.seasons),
    levels: known(evidence.levels),
  };
  const { low, high } = CONFIDENCE_RULE;
  const spread = evidence.spread;
  const lowReasons = [
    e.seasonWorkload < low.seasonWorkload && `under ${low.seasonWorkload} PA/BF this season`,
    e.careerWorkload < low.careerWorkload && `under ${low.careerWorkload} PA/BF in his career`,
    e.seasons <= low.maxSeasons && 'first pro season',
    spread > low.spread && `models disagree by over ${low.spread * 100} points`,
  ].filter((r): r is string => r !== false);
  if (lowReasons.length > 0) return { confidence: 'Low', evidence, reasons: lowReasons };
  const mediumReasons = [
    e.seasonWorkload < high.seasonWorkload && `under ${high.seasonWorkload} PA/BF this season`,
    e.careerWorkload < high.careerWorkload && `under ${high.careerWorkload} PA/BF in his career`,
    e.seasons < high.seasons && `fewer than ${high.seasons} pro seasons`,
    e.levels < high.levels && 'one level seen',
    !(spread <= high.spread) &&
      (Number.isNaN(spread) ? 'no ensemble spread' : `models disagree by over ${high.spread * 100} points`),
  ].filter((r): r is string => r !== false);
  return { confidence: mediumReasons.length > 0 ? 'Medium' : 'High', evidence, reasons: mediumReasons };
}

/**
 * Evidence read from one feature row (FEATURE_CATALOG order). Features hold no career count of levels, so unless
 * `levels` comes from the lines (`careerLevels`), it is a lower bound: the levels of the as-of season, or 2 after a
 * climb since last season. It is exact where the rule looks (1 vs 2+) except for a climb two or more seasons ago.
 */
export function evidenceFromFeatures(values: ArrayLike<number>, spread: number, levels?: number): Evidence {
  const v = (name: keyof typeof FEATURE_INDEX): number => values[FEATURE_INDEX[name]]!;
  const pitcher = v('is_pitcher') === 1;
  const lowerBound = Math.max(known(v('levels_played')), v('level_climb') > 0 ? 2 : 1);
  return {
    seasonWorkload: known(pitcher ? v('pit_bf') : v('hit_pa')),
    careerWorkload: known(pitcher ? v('pit_career_bf') : v('hit_career_pa')),
    seasons: known(v('seasons_pro')),
    levels: levels ?? lowerBound,
    spread,
  };
}

/** Distinct minor-league levels in one player's lines of `group` through `asOfSeason` (exact `levels`). */
export function careerLevels(playerLines: readonly SeasonLine[], asOfSeason: number, group: StatGroup): number {
  const levels = new Set<string>();
  for (const l of playerLines) {
    const level = levelOfSport(l.sportId);
    if (l.group === group && l.season <= asOfSeason && level !== undefined && level !== 'MLB') levels.add(level);
  }
  return levels.size;
}

/** Grade of one feature row with its ensemble spread: what batch inference calls per prospect. */
export function confidenceFromFeatures(values: ArrayLike<number>, spread: number, levels?: number): ConfidenceResult {
  return gradeConfidence(evidenceFromFeatures(values, spread, levels));
}
