/**
 * The arithmetic of the load test under the daily pipeline (bench/api-under-pipeline.ts), kept pure so it is tested
 * beside it: percentiles of latencies, quantiles of the API's Prometheus histogram between two scrapes, medians and
 * least-squares slopes of memory samples, and the verdict against the targets.
 */

/** Nearest-rank percentile (`p` in 0-1) of ascending values: the smallest value with at least p of them at or below. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 1)) throw new Error(`percentile: p must be within 0-1, not ${p}`);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** p50/p90/p99/max of unsorted latencies (the array is sorted in place). */
export function summarize(latencies: Float64Array): LatencySummary {
  latencies.sort();
  return {
    count: latencies.length,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    max: latencies.length ? latencies[latencies.length - 1]! : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Cumulative bucket counts of a Prometheus histogram: upper bound in seconds (Infinity for +Inf) to count. */
export type Buckets = Map<number, number>;

/**
 * The `q` quantile (0-1) of the observations made between two scrapes of a cumulative histogram, in the histogram's
 * unit, interpolated linearly within its bucket as Prometheus's histogram_quantile does (so only as fine as the
 * buckets). NaN when nothing was observed; the second-highest bound when the quantile falls in +Inf (a lower bound).
 */
export function histogramQuantile(before: Buckets, after: Buckets, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = cumulative.at(-1) ?? 0;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  const upper = bounds[i]!;
  if (upper === Number.POSITIVE_INFINITY) return bounds.at(-2) ?? Number.NaN;
  const lower = i > 0 ? bounds[i - 1]! : 0;
  const below = i > 0 ? cumulative[i - 1]! : 0;
  const inBucket = cumulative[i]! - below;
  return lower + (upper - lower) * (inBucket ? (rank - below) / inBucket : 1);
}

/** Observations between two scrapes (the +Inf bucket's difference). */
export function histogramCount(before: Buckets, after: Buckets): number {
  return (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
}

/**
 * Parses `http_request_duration_seconds_bucket` lines of a Prometheus text exposition into cumulative buckets per
 * route class, summing every method, route and status that `classify` maps to a class (undefined: left out).
 */
export function durationBucketsByClass(
  metricsText: string,
  classify: (route: string) => string | undefined,
): Map<string, Buckets> {
  const byClass = new Map<string, Buckets>();
  for (const m of metricsText.matchAll(/^http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1]!;
    const route = /route="([^"]*)"/.exec(labels)?.[1];
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (route === undefined || le === undefined) continue;
    const cls = classify(route);
    if (cls === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    let buckets = byClass.get(cls);
    if (!buckets) byClass.set(cls, (buckets = new Map()));
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  return byClass;
}

/** Adds cumulative bucket maps (e.g. every class into "all"). */
export function addBuckets(...maps: Buckets[]): Buckets {
  const sum: Buckets = new Map();
  for (const m of maps) for (const [bound, count] of m) sum.set(bound, (sum.get(bound) ?? 0) + count);
  return sum;
}

/** One reading of the API process's memory, `t` seconds into the load window, in MiB. */
export interface MemorySample {
  t: number;
  rssMiB: number;
  heapUsedMiB: number;
}

/** The heap used just after a full garbage collection, `t` seconds into the window, in MiB. */
export interface AfterGc {
  t: number;
  heapMiB: number;
}

export interface MemoryJudgement {
  /** Medians of resident memory in the second minute (60-120 s) and in the window's last minute. */
  secondMinuteRssMiB: number;
  lastMinuteRssMiB: number;
  /** last - second, MiB, and the most it may be. */
  rssGrowthMiB: number;
  rssGrowthLimitMiB: number;
  /** Least-squares slope of resident memory from 60 s to the end, MiB per minute. */
  rssSlopeMiBPerMin: number;
  /** Full collections after the first minute, and the heap after them: first, last, and least-squares slope. */
  fullGcs: number;
  heapAfterGcFirstMiB: number;
  heapAfterGcLastMiB: number;
  heapAfterGcSlopeMiBPerMin: number;
  heapSlopeLimitMiBPerMin: number;
  grew: boolean;
  /** Why it could not be judged (window too short, too few full collections), if so. */
  unjudged?: string;
  reasons: string[];
}

/**
 * "No memory growth", judged after the first minute (warm-up: caches filling, connections opening): resident memory's
 * median in the last minute may exceed the second minute's by at most `rssGrowthShare` of it, and the heap left
 * after full collections (the live heap: what a leak grows) may rise by at most `heapSlopeLimitMiBPerMin` by a
 * least-squares fit. Needs three minutes of samples and three full collections after the first minute.
 */
export function judgeMemory(
  samples: readonly MemorySample[],
  afterGc: readonly AfterGc[],
  windowSeconds: number,
  limits: { rssGrowthShare: number; heapSlopeLimitMiBPerMin: number } = {
    rssGrowthShare: 0.1,
    heapSlopeLimitMiBPerMin: 2,
  },
): MemoryJudgement {
  const inRange = (from: number, to: number) =>
    samples.filter((s) => s.t >= from && s.t < to && Number.isFinite(s.rssMiB));
  const second = inRange(60, 120);
  const last = inRange(windowSeconds - 60, windowSeconds + 1);
  const secondMinuteRssMiB = median(second.map((s) => s.rssMiB));
  const lastMinuteRssMiB = median(last.map((s) => s.rssMiB));
  const rssGrowthMiB = lastMinuteRssMiB - secondMinuteRssMiB;
  const rssGrowthLimitMiB = limits.rssGrowthShare * secondMinuteRssMiB;
  const rssSlopeMiBPerMin = slope(inRange(60, Number.POSITIVE_INFINITY).map((s) => ({ x: s.t / 60, y: s.rssMiB })));
  const gcs = afterGc.filter((g) => g.t >= 60 && g.t <= windowSeconds && Number.isFinite(g.heapMiB));
  const heapAfterGcSlopeMiBPerMin = slope(gcs.map((g) => ({ x: g.t / 60, y: g.heapMiB })));
  const judgement: MemoryJudgement = {
    secondMinuteRssMiB,
    lastMinuteRssMiB,
    rssGrowthMiB,
    rssGrowthLimitMiB,
    rssSlopeMiBPerMin,
    fullGcs: gcs.length,
    heapAfterGcFirstMiB: gcs[0]?.heapMiB ?? Number.NaN,
    heapAfterGcLastMiB: gcs.at(-1)?.heapMiB ?? Number.NaN,
    heapAfterGcSlopeMiBPerMin,
    heapSlopeLimitMiBPerMin: limits.heapSlopeLimitMiBPerMin,
    grew: false,
    reasons: [],
  };
  if (windowSeconds < 180 || second.length === 0 || last.length === 0) {
    judgement.unjudged = `the window (${Math.round(windowSeconds)} s) is shorter than the 3 minutes needed to compare the second minute with the last`;
    return judgement;
  }
  if (gcs.length < 3) {
    judgement.unjudged = `only ${gcs.length} full garbage collections after the first minute (3 needed to fit the live heap's trend)`;
    return judgement;
  }
  if (rssGrowthMiB > rssGrowthLimitMiB) {
    judgement.reasons.push(
      `resident memory grew ${rssGrowthMiB.toFixed(1)} MiB from the second minute to the last (limit ${rssGrowthLimitMiB.toFixed(1)} MiB, ${limits.rssGrowthShare * 100}%)`,
    );
  }
  if (heapAfterGcSlopeMiBPerMin > limits.heapSlopeLimitMiBPerMin) {
    judgement.reasons.push(
      `the heap after full collections rose ${heapAfterGcSlopeMiBPerMin.toFixed(2)} MiB/min (limit ${limits.heapSlopeLimitMiBPerMin} MiB/min)`,
    );
  }
  judgement.grew = judgement.reasons.length > 0;
  return judgement;
}

/** One line of the verdict: what was required, what was measured, and whether it was met. */
export interface Check {
  target: string;
  measured: string;
  met: boolean;
}

/** The reasons for a failing exit: every check not met. */
export function missed(checks: readonly Check[]): string[] {
  return checks.filter((c) => !c.met).map((c) => `${c.target}: measured ${c.measured}`);
}
