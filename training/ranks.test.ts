import { describe, expect, it } from 'vitest';
import { overallRanks, ranksWithin } from './ranks.ts';

describe('overallRanks', () => {
  it('ranks the highest score first, ties in input order', () => {
    expect(overallRanks(new Float32Array([0.2, 0.9, 0.5, 0.5]))).toEqual([4, 1, 2, 3]);
    expect(overallRanks([])).toEqual([]);
  });
});

describe('ranksWithin', () => {
  it('ranks within each group and leaves an ungrouped item unranked', () => {
    const score = [0.1, 0.8, 0.4, 0.6, 0.3];
    expect(ranksWithin(['P', 'SS', 'P', null, 'SS'], score)).toEqual([2, 1, 1, null, 2]);
  });

  it('gives every group its own 1..n', () => {
    const keys = ['a', 'b', 'a', 'b', 'a'];
    const ranks = ranksWithin(keys, [5, 4, 3, 2, 1]);
    expect(keys.map((k, i) => `${k}${ranks[i]}`)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });
});
