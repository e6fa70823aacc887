import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random.ts';
import { shuffled } from './api-shuffle.ts';

describe('shuffled', () => {
  const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  it('keeps every item once, leaves the input alone, and repeats its order for a seed', () => {
    const out = shuffled(items, mulberry32(7));
    expect([...out].sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(shuffled(items, mulberry32(7))).toEqual(out);
  });
  it('gives different orders for different seeds, each order about equally often', () => {
    const firsts = new Map<string, number>();
    for (let seed = 0; seed < 4000; seed++) {
      const first = shuffled(items, mulberry32(seed))[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect(firsts.size).toBe(items.length);
    for (const n of firsts.values()) expect(n).toBeGreaterThan(400);
  });
});
