/**
 * Robust outlier scores of season lines within their (level, season, group): median and MAD of each rate among the
 * players with enough playing time, and robust z = 0.6745 × (x − median) / MAD (0.6745 makes a MAD comparable to a
 * standard deviation under normality).
 *
 * Thresholds, and why: a real season can sit 3-5 robust SDs out (a hot streak, an extreme walk-or-strikeout profile),
 * so nothing under |z| = 5 is reported. 5 < |z| ≤ 8 is flagged and kept: rare but real careers live there, and a
 * model should see them. Beyond 8 the line is almost surely a data error (at a typical Double-A spread, a K% above ~65%
 * or an ISO above ~.60 over 100+ PA) and is rejected, except at MLB, where it is only flagged: MLB counts make the
 * success label, and Barry Bonds's 2004 walk rate sits near z = 8.
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
  /**
   * Smallest spread the z is computed with. Guards MAD = 0 (a degenerate level) and tiny MADs of a small level; about
   * half the MAD real levels show (CALIBRATION.md standard deviations × 0.6745), so it never bites on real spreads.
   */
  floor: number;
}

const HITTING: Metric<HittingCounts>[] = [
  { name: 'K%', value: (s) => s.strikeOuts / s.plateAppearances, floor: 0.02 },
  { name: 'BB%', value: (s) => s.baseOnBalls / s.plateAppearances, floor: 0.012 },
  { name: 'ISO', value: (s) => (s.atBats > 0 ? (s.doubles + 2 * s.triples + 3 * s.homeRuns) / s.atBats : null), floor: 0.02 },
];

const PITCHING: Metric<PitchingCounts>[] = [
  { name: 'K%', value: (s) => s.strikeOuts / s.battersFaced, floor: 0.02 },
  { name: 'BB%', value: (s) => s.baseOnBalls / s.battersFaced, floor: 0.012 },
  { name: 'HR%', value: (s) => s.homeRuns / s.battersFaced, floor: 0.006 },
];

export interface OutlierScore {
  metric: string;
  value: number;
  median: number;
  mad: number;
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

function scoreGroup<T>(lines: readonly SeasonLine[], stats: (l: SeasonLine) => T, metrics: readonly Metric<T>[], out: Map<SeasonLine, OutlierScore[]>): void {
  for (const m of metrics) {
    const valued = lines.map((l) => ({ l, v: m.value(stats(l)) })).filter((x): x is { l: SeasonLine; v: number } => x.v !== null && Number.isFinite(x.v));
    if (valued.length < OUTLIER.minQualified) continue;
    const sorted = valued.map((x) => x.v).sort((a, b) => a - b);
    const center = median(sorted);
    const spread = mad(sorted, center);
    const scale = Math.max(spread, m.floor);
    for (const { l, v } of valued) {
      const z = (OUTLIER.consistency * (v - center)) / scale;
      if (Math.abs(z) <= OUTLIER.flagZ) continue;
      const list = out.get(l) ?? [];
      list.push({ metric: m.name, value: v, median: center, mad: spread, z, n: valued.length });
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
  return `${s.metric} ${formatRate(s.metric, s.value)} is ${Math.abs(s.z).toFixed(1)} robust SDs ${side} the level median ${formatRate(s.metric, s.median)} (MAD ${formatRate(s.metric, s.mad)}, ${s.n} qualified)`;
}
