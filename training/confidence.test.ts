import { describe, expect, it } from 'vitest';
import { confidenceOf } from './confidence.ts';

describe('confidenceOf', () => {
  it('is High for a veteran prospect with a full season at a full-season level', () => {
    expect(confidenceOf({ workload: 520, seasonsPro: 4, levelOrdinal: 6 })).toBe('High');
  });
  it('is Low for a debut-sized sample or a first pro season', () => {
    expect(confidenceOf({ workload: 90, seasonsPro: 4, levelOrdinal: 6 })).toBe('Low');
    expect(confidenceOf({ workload: 600, seasonsPro: 1, levelOrdinal: 1 })).toBe('Low');
  });
  it('is Medium in between, and treats missing evidence as none', () => {
    expect(confidenceOf({ workload: 300, seasonsPro: 2, levelOrdinal: 4 })).toBe('Medium');
    expect(confidenceOf({ workload: Number.NaN, seasonsPro: 3, levelOrdinal: 5 })).toBe('Low');
  });
});
