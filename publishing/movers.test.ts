import { describe, expect, it } from 'vitest';
import { findMovers, MOVERS, type EarlierRank, type MoverInput } from './movers.ts';

const features = { names: ['age', 'power', 'speed'], labelOf: (name: string) => name.toUpperCase() };
const prospect = (playerId: number, rank: number, shap: number[]): MoverInput => ({
  playerId,
  slug: `p-${playerId}`,
  name: `P${playerId}`,
  rank,
  shap,
});

describe('findMovers', () => {
  it("names the feature that moved most each mover's way, and leaves out the unmoved and the newly ranked", () => {
    const previous = new Map<number, EarlierRank>([
      [1, { rank: 3, shap: [0.1, 0.0, 0.0] }],
      [2, { rank: 1, shap: [0.5, 0.4, 0.0] }],
      [3, { rank: 2, shap: [0.0, 0.0, 0.3] }],
      [5, { rank: 4, shap: [0, 0, 0] }],
    ]);
    const { risers, fallers } = findMovers(
      [
        prospect(1, 1, [0.2, 0.9, 0.0]),
        prospect(2, 2, [0.5, -0.2, 0.1]),
        prospect(3, 3, [0.0, 0.0, 0.3]),
        prospect(4, 4, [1, 1, 1]),
        prospect(5, 4, [0, 0, 0]),
      ],
      previous,
      features,
    );
    expect(risers).toEqual([
      {
        playerId: 1,
        slug: 'p-1',
        name: 'P1',
        previousRank: 3,
        rank: 1,
        factor: { feature: 'power', label: 'POWER', delta: expect.closeTo(0.9, 9) as number },
      },
    ]);
    expect(fallers.map((m) => [m.playerId, m.factor?.feature])).toEqual([
      [2, 'power'],
      [3, 'age'],
    ]);
  });

  it('has no factor when the earlier SHAP values are not comparable', () => {
    const { risers } = findMovers([prospect(1, 1, [1, 2, 3])], new Map([[1, { rank: 9, shap: null }]]), features);
    expect(risers).toEqual([expect.objectContaining({ playerId: 1, previousRank: 9, factor: null })]);
  });

  it('lists the biggest moves first, at most MOVERS of each', () => {
    const n = MOVERS + 5;
    // Player i gained i mod 7 places: 18 risers (multiples of 7 did not move), the biggest gain 6.
    const now = Array.from({ length: n }, (_, i) => prospect(i + 1, i + 1, [0, 0, 0]));
    const previous = new Map(now.map((p) => [p.playerId, { rank: p.rank + (p.playerId % 7), shap: null }]));
    const { risers, fallers } = findMovers(now, previous, features);
    expect(risers).toHaveLength(MOVERS);
    expect(fallers).toEqual([]);
    const gains = risers.map((m) => m.previousRank - m.rank);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(gains[0]).toBe(6);
  });
});
