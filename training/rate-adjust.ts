// Rates measured against the mean of the line's level (or league), pooled over lines with per-season weights and
// shrunk toward the mean: the "vs level", 3-season weighted, change and "vs league" columns of one rate.
import type { StatGroup } from '../lib/domain.ts';
import { levelOfSport } from '../lib/domain.ts';
import type { FeatureName, SetFeature } from './feature-catalog.ts';
import { normFor, type LevelNorm, type LevelNorms } from './level-norms.ts';
import { leagueNormFor, type LeagueNorms } from './league-norms.ts';
import type { MinorCalendar } from './career.ts';

/** How one rate is measured relative to the level: events, their denominator and the level's mean. */
export interface RateSpec<S> {
  num: (s: S) => number;
  den: (s: S) => number;
  mean: (n: LevelNorm) => number;
}

/** A rate and its columns: vs level in the as-of season, 3-season weighted, change from the previous season, vs league. */
export interface RateColumns<S> extends RateSpec<S> {
  columns: readonly [rel: FeatureName, w3: FeatureName, delta: FeatureName, league: FeatureName];
}

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

/** The rate vs level over the as-of season and the two minor-league seasons before it, weighted 3/2/1 by recency. */
export function recencyWeighted<S>(
  lines: readonly RateLine<S>[],
  norms: LevelNorms,
  calendar: MinorCalendar,
  spec: RateSpec<S>,
): number {
  return levelAdjusted(lines, byLevel(norms), (s) => calendar.recency.get(s) ?? 0, spec);
}

/** Fills the four columns of each rate; the "vs league" one compares each line with its league (its level when unknown). */
export function rateColumns<S>(
  set: SetFeature,
  lines: readonly RateLine<S>[],
  norms: LevelNorms,
  leagues: LeagueNorms,
  calendar: MinorCalendar,
  rates: readonly RateColumns<S>[],
): void {
  const { asOf, previous: prior } = calendar;
  const normOf = byLevel(norms);
  for (const rate of rates) {
    const [rel, w3, delta, league] = rate.columns;
    const current = levelAdjusted(lines, normOf, (s) => (s === asOf ? 1 : 0), rate);
    const previous = prior === undefined ? NaN : levelAdjusted(lines, normOf, (s) => (s === prior ? 1 : 0), rate);
    set(rel, current);
    set(w3, recencyWeighted(lines, norms, calendar, rate));
    set(delta, current - previous);
    set(
      league,
      levelAdjusted(lines, byLeague(leagues), (s) => (s === asOf ? 1 : 0), rate),
    );
  }
}
