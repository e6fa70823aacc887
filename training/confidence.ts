/**
 * High/Medium/Low confidence from the evidence behind a prediction: playing time in the as-of season,
 * professional seasons and levels seen. A first rule, deliberately simple and checkable:
 *
 * - High: at least 3 pro seasons, at least 2 levels in his career path (levels climbed or a level above ROK),
 *   and a full season's workload (400+ PA, or 400+ batters faced ~ 90 IP).
 * - Low: a debut-sized sample (under 150 PA / batters faced) or a first pro season.
 * - Medium: everything in between.
 */
import type { Confidence } from '../lib/snapshot.ts';

export interface Evidence {
  /** Plate appearances (hitters) or batters faced (pitchers) in the as-of season. */
  workload: number;
  seasonsPro: number;
  levelOrdinal: number;
}

export const CONFIDENCE_RULE = {
  high: { seasonsPro: 3, workload: 400, minLevelOrdinal: 4 },
  low: { workload: 150, seasonsPro: 1 },
} as const;

export function confidenceOf(e: Evidence): Confidence {
  const workload = Number.isFinite(e.workload) ? e.workload : 0;
  const seasons = Number.isFinite(e.seasonsPro) ? e.seasonsPro : 0;
  if (workload < CONFIDENCE_RULE.low.workload || seasons <= CONFIDENCE_RULE.low.seasonsPro) return 'Low';
  if (
    seasons >= CONFIDENCE_RULE.high.seasonsPro &&
    workload >= CONFIDENCE_RULE.high.workload &&
    e.levelOrdinal >= CONFIDENCE_RULE.high.minLevelOrdinal
  ) {
    return 'High';
  }
  return 'Medium';
}
