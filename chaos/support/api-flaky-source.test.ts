import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random.ts';
import { createFaultPlan, retryAfterCheck, type SourceRequest } from './api-flaky-source.ts';

const plan = (over: Partial<Parameters<typeof createFaultPlan>[0]> = {}) =>
  createFaultPlan({
    random: mulberry32(3),
    share: 1,
    burstLength: 2,
    maxFaultsPerUrl: 2,
    retryAfterSeconds: [1, 2],
    ...over,
  });

describe('createFaultPlan', () => {
  it('goes through bursts of 429s, 503s, resets and clean answers in turn', () => {
    const next = plan({ maxFaultsPerUrl: 100 });
    const kinds = Array.from({ length: 10 }, (_, i) => next(`/u${i}`).kind);
    expect(kinds).toEqual([
      'busy',
      'busy',
      'unavailable',
      'unavailable',
      'reset',
      'reset',
      'pass',
      'pass',
      'busy',
      'busy',
    ]);
  });

  it('gives every 429 a Retry-After from the list', () => {
    const next = plan({ burstLength: 1000, maxFaultsPerUrl: 1000 });
    const seconds = new Set(Array.from({ length: 50 }, (_, i) => next(`/u${i}`).retryAfterSeconds));
    expect(seconds).toEqual(new Set([1, 2]));
  });

  it('faults a URL at most maxFaultsPerUrl times, so its retries get through', () => {
    const next = plan({ burstLength: 1000 });
    expect(['/a', '/a', '/a', '/a'].map((u) => next(u).kind)).toEqual(['busy', 'busy', 'pass', 'pass']);
  });

  it('faults about `share` of a faulty burst, the same requests for the same seed', () => {
    const kinds = (seed: number) => {
      const next = plan({ random: mulberry32(seed), share: 0.5, burstLength: 10_000, maxFaultsPerUrl: 1 });
      return Array.from({ length: 2000 }, (_, i) => next(`/u${i}`).kind);
    };
    const faulted = kinds(9).filter((k) => k !== 'pass').length;
    expect(faulted).toBeGreaterThan(900);
    expect(faulted).toBeLessThan(1100);
    expect(kinds(9)).toEqual(kinds(9));
    expect(kinds(10)).not.toEqual(kinds(9));
  });

  it('refuses a share outside 0-1, a burst below 1 and an empty Retry-After list', () => {
    expect(() => plan({ share: 1.5 })).toThrow(/share must be within 0-1/);
    expect(() => plan({ burstLength: 0 })).toThrow(/burstLength must be an integer >= 1/);
    expect(() => plan({ retryAfterSeconds: [] })).toThrow(/at least one Retry-After/);
  });
});

describe('retryAfterCheck', () => {
  const r = (
    url: string,
    atMs: number,
    kind: SourceRequest['kind'] = 'pass',
    retryAfterMs?: number,
  ): SourceRequest => ({ url, atMs, kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

  it('passes retries that waited at least the Retry-After, and counts other URLs requested meanwhile', () => {
    const check = retryAfterCheck([
      r('/a', 0, 'busy', 1000),
      r('/b', 300),
      r('/a', 1004),
      r('/c', 1500, 'busy', 2000),
      r('/c', 3600),
    ]);
    expect(check).toEqual({ checked: 2, early: [], minMarginMs: 4, othersDuringWaits: 1 });
  });

  it('names a retry that came before the Retry-After elapsed', () => {
    const check = retryAfterCheck([r('/a', 100, 'busy', 2000), r('/a', 1100)]);
    expect(check.early).toEqual([{ url: '/a', askedMs: 2000, waitedMs: 1000 }]);
    expect(check.minMarginMs).toBe(-1000);
  });

  it('checks nothing when a 429 was never retried', () => {
    const check = retryAfterCheck([r('/a', 0, 'busy', 1000), r('/b', 10)]);
    expect(check.checked).toBe(0);
    expect(check.early).toEqual([]);
    expect(check.minMarginMs).toBeNaN();
  });
});
