import { describe, expect, it } from 'vitest';
import { counterSum, is5xx, phaseAt, StatusTally } from './api-tally.ts';

describe('phaseAt', () => {
  const phases = [
    { name: 'before', fromMs: 0 },
    { name: 'outage', fromMs: 20_000 },
    { name: 'after', fromMs: 40_000 },
  ];
  it('names the last phase started at or before the moment', () => {
    expect([-5, 0, 19_999, 20_000, 39_999, 40_000, 90_000].map((t) => phaseAt(phases, t))).toEqual([
      'before',
      'before',
      'before',
      'outage',
      'outage',
      'after',
      'after',
    ]);
  });
  it('refuses an empty list', () => {
    expect(() => phaseAt([], 0)).toThrow(/no phases/);
  });
});

describe('StatusTally', () => {
  it('counts answers by phase and status, and describes a phase in status order', () => {
    const tally = new StatusTally();
    for (const s of [200, 200, 503, 200] as const) tally.add('outage', s);
    tally.add('outage', 'error');
    tally.add('after', 200);
    expect(tally.count('outage')).toBe(5);
    expect(tally.count('outage', is5xx)).toBe(1);
    expect(tally.count('missing')).toBe(0);
    expect(tally.describe('outage')).toBe('200: 3, 503: 1, error: 1');
    expect(tally.describe('before')).toBe('none');
  });
  it('tells 5xx statuses from the rest', () => {
    expect(['500', '503', '599', '200', '429', 'error', '5000'].map(is5xx)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('counterSum', () => {
  const text = [
    '# HELP cache_requests_total Read-cache lookups.',
    '# TYPE cache_requests_total counter',
    'cache_requests_total{kind="profile",result="hit"} 12',
    'cache_requests_total{kind="prediction",result="hit"} 3',
    'cache_requests_total{kind="profile",result="error"} 4',
    'rate_limited_total{bucket="predictions"} 1',
    'plain_total 7',
  ].join('\n');
  it('sums the samples whose labels include the ones asked', () => {
    expect(counterSum(text, 'cache_requests_total', { result: 'hit' })).toBe(15);
    expect(counterSum(text, 'cache_requests_total', { kind: 'profile', result: 'error' })).toBe(4);
    expect(counterSum(text, 'cache_requests_total')).toBe(19);
    expect(counterSum(text, 'rate_limited_total', { bucket: 'predictions' })).toBe(1);
    expect(counterSum(text, 'plain_total')).toBe(7);
  });
  it('is 0 for a counter or label that is absent', () => {
    expect(counterSum(text, 'missing_total')).toBe(0);
    expect(counterSum(text, 'cache_requests_total', { result: 'miss' })).toBe(0);
  });
});
