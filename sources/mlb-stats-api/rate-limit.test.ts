import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from './backoff.ts';
import { createTokenBucket } from './rate-limit.ts';

describe('createTokenBucket', () => {
  it('lets a burst through at once, then spaces the rest at the rate', async () => {
    const bucket = createTokenBucket({ ratePerSecond: 25, burst: 3 });
    const started = performance.now();
    const times: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async () => {
        await bucket.take();
        times.push(performance.now() - started);
      }),
    );
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(40);
    expect(times[4]).toBeGreaterThanOrEqual(75);
  });

  it('is a no-op when unlimited and rejects nonsense', async () => {
    await createTokenBucket({ ratePerSecond: 0 }).take();
    expect(() => createTokenBucket({ ratePerSecond: -2 })).toThrow('ratePerSecond must be >= 0');
    expect(() => createTokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow('burst must be an integer >= 1, got 0');
  });
});

describe('backoff', () => {
  it('draws full jitter below an exponentially growing, capped ceiling', () => {
    expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffDelay(2, 100, 1000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.25')).toBe(250);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});
