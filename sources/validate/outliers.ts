/**
 * Robust outlier scores of season lines within their (level, season, group): median and MAD of each rate among the
 * players with enough playing time, and robust z = 0.6745 × (x − median) / MAD (0.6745 makes a MAD comparable to a
 * standard deviation under normality). The MAD is guarded from below (see spreadFor): MAD = 0 in a degenerate level,
 * a tiny MAD in a small one, and a line whose own sampling noise is wider than the level's spread.
 *
 * Thresholds, and why: a real season can sit 3-5 robust SDs out (a hot streak, an extreme walk-or-strikeout profile),
 * so nothing under |z| = 5 is reported. 5 < |z| ≤ 8 is flagged and kept: rare but real careers live there, and a
 * model should see them. Beyond 8 the line is almost surely a data error (at a typical Double-A spread, a K% above ~65%
 * or an ISO above ~.60 over 100+ PA) and is rejected, except at MLB, where it is only flagged: MLB counts make the
 * success label, and a season like Barry Bonds's 2004 (37.6% BB) would sit near the reject line.
 */
import type { HittingCounts, PitchingCounts, SeasonLine, StatGroup } from '../../lib/domain.ts';

export const OUTLIER = {
  /** Robust |z| above which a line is flagged. */
  flagZ: 5,
  /** Robust |z| above which a line is rejected as implausible (minor leagues only). */
  rejectZ: 8,
  /** Playing time that makes a line part of the reference distribution and subject to the check. */
  minPlateAppearances: 100,
  minOuts: 60,
  /** Fewer qualified players than this in a level and season: no check (a median of four says nothing). */
  minQualified: 5,
  consistency: 0.6745,
} as const;

interface Metric<T> {
  name: string;
  /** Rate of a line, or null when undefined (no at-bats for ISO). */
  value: (s: T) => number | null;
  /** Trials behind a proportion (PA or BF), for its sampling noise; absent for ISO, which is not a proportion. */
  trials?: (s: T) => number;
  /**
   * Smallest spread the z is computed with. Guards MAD = 0 (a degenerate level) and tiny MADs of a small level. For
   * K%, BB% and ISO it is about half the MAD real levels show (CALIBRATION.md standard deviations × 0.6745), so it
   * does not bite on real spreads. For HR% it is 1 point, above the usual MAD (0.5-0.7 points): homers are a rare,
   * right-skewed count whose MAD understates the upper tail, and the floor keeps the reject line near 13% HR per
   * batter, which no sound 20-inning line reaches (a 9%, 8-homers-in-90-batters month is only flagged).
   */
  floor: number;
}

const HITTING: Metric<HittingCounts>[] = [
  { name: 'K%', value: (s) => s.strikeOuts / s.plateAppearances, trials: (s) => s.plateAppearances, floor: 0.02 },
  { name: 'BB%', value: (s) => s.baseOnBalls / s.plateAppearances, trials: (s) => s.plateAppearances, floor: 0.012 },
  {
    name: 'ISO',
    value: (s) => (s.atBats > 0 ? (s.doubles + 2 * s.triples + 3 * s.homeRuns) / s.atBats : null),
    floor: 0.02,
  },
];

const PITCHING: Metric<PitchingCounts>[] = [
  { name: 'K%', value: (s) => s.strikeOuts / s.battersFaced, trials: (s) => s.battersFaced, floor: 0.02 },
  { name: 'BB%', value: (s) => s.baseOnBalls / s.battersFaced, trials: (s) => s.battersFaced, floor: 0.012 },
  { name: 'HR%', value: (s) => s.homeRuns / s.battersFaced, trials: (s) => s.battersFaced, floor: 0.01 },
];

export interface OutlierScore {
  metric: string;
  value: number;
  median: number;
  mad: number;
  /** Spread actually used: max(MAD, floor, the line's own sampling noise). */
  scale: number;
  z: number;
  /** Qualified lines in the reference distribution. */
  n: number;
}

export function qualifies(line: SeasonLine): boolean {
  return line.group === 'hitting'
    ? line.stats.plateAppearances >= OUTLIER.minPlateAppearances
    : line.stats.outs >= OUTLIER.minOuts && line.stats.battersFaced > 0;
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center: number): number {
  return median(values.map((v) => Math.abs(v - center)).sort((a, b) => a - b));
}

/**
 * The spread a line's z is measured against: the level's MAD, but never less than the metric's floor nor than the MAD
 * the line's own binomial sampling noise would give at the level's median rate. Without the latter, a rare count at
 * the minimum playing time (9 homers allowed in 85 batters) would be called impossible when it is a bad month.
 */
function spreadFor<T>(m: Metric<T>, stats: T, center: number, levelMad: number): number {
  const n = m.trials?.(stats) ?? 0;
  const noise = n > 0 ? OUTLIER.consistency * Math.sqrt((center * (1 - center)) / n) : 0;
  return Math.max(levelMad, m.floor, noise);
}

function scoreGroup<T>(
  lines: readonly SeasonLine[],
  stats: (l: SeasonLine) => T,
  metrics: readonly Metric<T>[],
  out: Map<SeasonLine, OutlierScore[]>,
): void {
  for (const m of metrics) {
    const valued = lines
      .map((l) => ({ l, v: m.value(stats(l)) }))
      .filter((x): x is { l: SeasonLine; v: number } => x.v !== null && Number.isFinite(x.v));
    if (valued.length < OUTLIER.minQualified) continue;
    const sorted = valued.map((x) => x.v).sort((a, b) => a - b);
    const center = median(sorted);
    const levelMad = mad(sorted, center);
    for (const { l, v } of valued) {
      const scale = spreadFor(m, stats(l), center, levelMad);
      const z = (OUTLIER.consistency * (v - center)) / scale;
      if (Math.abs(z) <= OUTLIER.flagZ) continue;
      const list = out.get(l) ?? [];
      list.push({ metric: m.name, value: v, median: center, mad: levelMad, scale, z, n: valued.length });
      out.set(l, list);
    }
  }
}

/** Scores above the flag threshold, by line; lines not in the map are unremarkable or not qualified. */
export function scoreOutliers(lines: readonly SeasonLine[]): Map<SeasonLine, OutlierScore[]> {
  const cells = new Map<string, SeasonLine[]>();
  for (const l of lines) {
    if (!qualifies(l)) continue;
    const key = `${l.sportId}:${l.season}:${l.group}`;
    const list = cells.get(key);
    if (list) list.push(l);
    else cells.set(key, [l]);
  }
  const out = new Map<SeasonLine, OutlierScore[]>();
  for (const cell of cells.values()) {
    const group: StatGroup | undefined = cell[0]?.group;
    if (cell.length < OUTLIER.minQualified) continue;
    if (group === 'hitting') scoreGroup(cell, (l) => l.stats as HittingCounts, HITTING, out);
    else scoreGroup(cell, (l) => l.stats as PitchingCounts, PITCHING, out);
  }
  return out;
}

export function formatRate(metric: string, v: number): string {
  return metric === 'ISO' ? v.toFixed(3).replace(/^0/, '') : `${(100 * v).toFixed(1)}%`;
}

/** "K% 71.0% is 9.3 robust SDs above the level median 20.1% (MAD 3.9%, 212 qualified)" */
export function describeScore(s: OutlierScore): string {
  const side = s.z > 0 ? 'above' : 'below';
  const floored = s.scale > s.mad ? `, spread used ${formatRate(s.metric, s.scale)}` : '';
  return `${s.metric} ${formatRate(s.metric, s.value)} is ${Math.abs(s.z).toFixed(1)} robust SDs ${side} the level median ${formatRate(s.metric, s.median)} (MAD ${formatRate(s.metric, s.mad)}${floored}, ${s.n} qualified)`;
}
