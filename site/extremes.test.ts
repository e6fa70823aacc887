import { describe, expect, it } from 'vitest';
import { maxOf, minOf } from './extremes.ts';

describe('minOf and maxOf', () => {
  it('agree with Math.min and Math.max on small lists, and honour the start value', () => {
    const values = [3, -2.5, 7, 0];
    expect(minOf(values)).toBe(-2.5);
    expect(maxOf(values)).toBe(7);
    expect(minOf(values, -10)).toBe(-10);
    expect(maxOf([0.2, 0.4], 1)).toBe(1);
    expect(minOf([])).toBe(Infinity);
    expect(maxOf([])).toBe(-Infinity);
  });

  it('handle a million values, where spreading into Math.max overflows the stack', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(1_000_002);
    expect(minOf(values)).toBe(0);
  });
});
