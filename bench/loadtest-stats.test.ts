import { describe, expect, it } from 'vitest';
import {
  addBuckets,
  durationBucketsByClass,
  histogramCount,
  histogramQuantile,
  judgeMemory,
  median,
  missed,
  percentile,
  slope,
  summarize,
  type AfterGc,
  type MemorySample,
} from './loadtest-stats.ts';

describe('percentile', () => {
  it('takes the nearest rank: the smallest value with at least p of them at or below', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('refuses a p outside 0-1', () => {
    expect(() => percentile([1, 2], 99)).toThrow(/within 0-1/);
  });

  it('summarizes unsorted latencies', () => {
    const s = summarize(Float64Array.from([5, 1, 4, 2, 3, 100, 6, 7, 8, 9]));
    expect(s).toEqual({ count: 10, p50: 5, p90: 9, p99: 100, max: 100 });
  });
});

describe('median and slope', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('fits a least-squares slope', () => {
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBeCloseTo(2);
    expect(
      slope([
        { x: 0, y: 5 },
        { x: 1, y: 4 },
        { x: 2, y: 6 },
        { x: 3, y: 5 },
      ]),
    ).toBeCloseTo(0.2);
    expect(slope([{ x: 1, y: 1 }])).toBeNaN();
    expect(
      slope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNaN();
  });
});

describe('histogramQuantile', () => {
  const scrape = (counts: number[]) =>
    new Map([
      [0.001, counts[0]!],
      [0.005, counts[1]!],
      [0.01, counts[2]!],
      [Number.POSITIVE_INFINITY, counts[3]!],
    ]);

  it('interpolates within the bucket of the rank, between two scrapes, as histogram_quantile does', () => {
    // Between the scrapes: 50 in 0-1 ms, 40 in 1-5 ms, 10 in 5-10 ms.
    const before = scrape([10, 10, 10, 10]);
    const after = scrape([60, 100, 110, 110]);
    expect(histogramCount(before, after)).toBe(100);
    expect(histogramQuantile(before, after, 0.5)).toBeCloseTo(0.001);
    expect(histogramQuantile(before, after, 0.7)).toBeCloseTo(0.001 + 0.004 * (20 / 40));
    expect(histogramQuantile(before, after, 0.99)).toBeCloseTo(0.005 + 0.005 * (9 / 10));
  });

  it('answers the highest finite bound when the quantile falls in +Inf, and NaN for no observations', () => {
    expect(histogramQuantile(scrape([0, 0, 0, 0]), scrape([0, 0, 90, 100]), 0.99)).toBe(0.01);
    expect(histogramQuantile(scrape([5, 5, 5, 5]), scrape([5, 5, 5, 5]), 0.99)).toBeNaN();
  });

  it('reads the buckets of a Prometheus exposition per route class, leaving out routes with no class', () => {
    const text = [
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/prospects/:id",status="200"} 3',
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/prospects/:id",status="200"} 4',
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/prospects",status="200"} 1',
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/prospects",status="200"} 2',
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/metrics",status="200"} 9',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/prospects",status="200"} 2',
    ].join('\n');
    const byClass = durationBucketsByClass(text, (route) =>
      route.startsWith('/api/v1/prospects') ? 'public' : undefined,
    );
    expect([...byClass.keys()]).toEqual(['public']);
    expect(byClass.get('public')).toEqual(
      new Map([
        [0.001, 4],
        [Number.POSITIVE_INFINITY, 6],
      ]),
    );
    expect(addBuckets(byClass.get('public')!, new Map([[0.001, 1]]))).toEqual(
      new Map([
        [0.001, 5],
        [Number.POSITIVE_INFINITY, 6],
      ]),
    );
  });
});

describe('judgeMemory', () => {
  /** Samples every 5 s over `seconds`, resident memory a function of t. */
  const samples = (seconds: number, rss: (t: number) => number): MemorySample[] =>
    Array.from({ length: seconds / 5 + 1 }, (_, i) => ({ t: i * 5, rssMiB: rss(i * 5), heapUsedMiB: Number.NaN }));
  /** A full collection every 10 s, the heap after it a function of t. */
  const gcs = (seconds: number, heap: (t: number) => number): AfterGc[] =>
    Array.from({ length: seconds / 10 }, (_, i) => ({ t: i * 10 + 3, heapMiB: heap(i * 10 + 3) }));

  it('finds no growth in a run whose first minute warmed up and whose live heap saws around a level', () => {
    const j = judgeMemory(
      samples(300, (t) => (t < 60 ? 200 + t : 300 + ((t / 5) % 3))),
      gcs(300, (t) => (t < 60 ? 40 + t : 90 + ((t / 10) % 4))),
      300,
    );
    expect(j.unjudged).toBeUndefined();
    expect(j.grew).toBe(false);
    expect(j.secondMinuteRssMiB).toBeCloseTo(301, 0);
    expect(j.fullGcs).toBe(24);
    expect(Math.abs(j.heapAfterGcSlopeMiBPerMin)).toBeLessThan(0.5);
  });

  it('finds a leak in resident memory and in the live heap, and says by how much', () => {
    const j = judgeMemory(
      samples(300, (t) => 300 + t * 0.5),
      gcs(300, (t) => 80 + t * 0.1),
      300,
    );
    expect(j.grew).toBe(true);
    // Medians: t = 87.5 s in the second minute (343.75 MiB), t = 270 s in the last (435 MiB).
    expect(j.rssGrowthMiB).toBeCloseTo(91.25);
    expect(j.heapAfterGcSlopeMiBPerMin).toBeCloseTo(6);
    expect(j.reasons).toHaveLength(2);
    expect(j.reasons[0]).toMatch(/resident memory grew 91\.3 MiB/);
    expect(j.reasons[1]).toMatch(/6\.00 MiB\/min \(limit 2 MiB\/min\)/);
  });

  it('does not judge a window shorter than three minutes, or one with too few full collections', () => {
    expect(
      judgeMemory(
        samples(30, () => 300),
        gcs(30, () => 80),
        30,
      ).unjudged,
    ).toMatch(/shorter than the 3 minutes/);
    const few = judgeMemory(
      samples(300, () => 300),
      [
        { t: 100, heapMiB: 80 },
        { t: 200, heapMiB: 80 },
      ],
      300,
    );
    expect(few.unjudged).toMatch(/only 2 full garbage collections/);
    expect(few.grew).toBe(false);
  });
});

describe('missed', () => {
  it('lists every check not met, with what was measured', () => {
    expect(
      missed([
        { target: '0 errors', measured: '0', met: true },
        { target: 'p99 <= 20 ms', measured: '35 ms', met: false },
      ]),
    ).toEqual(['p99 <= 20 ms: measured 35 ms']);
  });
});
