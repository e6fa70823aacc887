import { describe, expect, it } from 'vitest';
import { clientAddress, rotation } from './loadtest-rotation.ts';

const get = (path: string) => ({ method: 'GET' as const, path });

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe('rotation', () => {
  it('sends every planned request and every address evenly, each address once per turn', () => {
    const requests = [get('/a'), get('/b'), get('/c')];
    const turn = rotation({ requests, tokens: [] }, 1000);
    expect(turn).toHaveLength(1000);
    const addresses = countBy(turn.map((r) => r.headers!['x-forwarded-for']!));
    expect(addresses.size).toBe(1000);
    expect(new Set(addresses.values())).toEqual(new Set([1]));
    const paths = countBy(turn.map((r) => r.path));
    expect([...paths.keys()].sort()).toEqual(['/a', '/b', '/c']);
    expect(Math.max(...paths.values()) - Math.min(...paths.values())).toBeLessThanOrEqual(1);
    expect(turn.every((r) => r.headers!.authorization === undefined)).toBe(true);
  });

  it('keeps each address far below the anonymous limit at the load test rate', () => {
    // Public: 550 requests/s for a minute over 20,000 addresses; the limit is 120 a minute per address.
    const turn = rotation({ requests: [get('/p')], tokens: [] }, 20_000);
    const sentInAMinute = Array.from(
      { length: 550 * 60 },
      (_, i) => turn[i % turn.length]!.headers!['x-forwarded-for']!,
    );
    expect(Math.max(...countBy(sentInAMinute).values())).toBeLessThanOrEqual(2);
  });

  it('gives premium requests the users in turn', () => {
    const tokens = ['t1', 't2', 't3'];
    const turn = rotation({ requests: [get('/x'), get('/y')], tokens }, 4);
    expect(turn).toHaveLength(4);
    expect(turn.map((r) => r.headers!.authorization)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3', 'Bearer t1']);
    expect(turn.map((r) => r.path)).toEqual(['/x', '/y', '/x', '/y']);
  });

  it('rotates through the longest of requests, tokens and addresses', () => {
    expect(rotation({ requests: Array.from({ length: 50 }, (_, i) => get(`/${i}`)), tokens: [] }, 7)).toHaveLength(50);
    expect(rotation({ requests: [get('/x')], tokens: Array.from({ length: 30 }, String) }, 7)).toHaveLength(30);
  });

  it('refuses a class with no requests or a bad address count', () => {
    expect(() => rotation({ requests: [], tokens: [] }, 10)).toThrow(/at least one request/);
    expect(() => rotation({ requests: [get('/x')], tokens: [] }, 0)).toThrow(/clientAddresses/);
  });

  it('spells addresses in 10.0.0.0/8', () => {
    expect(clientAddress(0)).toBe('10.0.0.0');
    expect(clientAddress(65_793)).toBe('10.1.1.1');
  });
});
