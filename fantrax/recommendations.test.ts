import { describe, expect, it } from 'vitest';
import {
  computeRecommendations,
  strategyDiscount,
  type AdviceProspect,
  type RecommendationInput,
} from './recommendations.ts';

function prospect(playerId: number, over: Partial<AdviceProspect> = {}): AdviceProspect {
  return {
    playerId,
    name: `Player ${playerId}`,
    rank: playerId,
    organization: 'CLE',
    position: 'SS',
    level: 'AA',
    eta: 2028,
    probability: 0.5,
    dynasty: { roleWeight: 1, yearsToEta: 2, value: 40.5 },
    trend: null,
    factors: [
      { label: 'Age relative to level', contribution: 0.4 },
      { label: 'Strikeout rate', contribution: -0.3 },
    ],
    narrative: null,
    ...over,
  };
}

const PROSPECTS = [
  prospect(1, { probability: 0.8, dynasty: { roleWeight: 1, yearsToEta: 0, value: 80 }, level: 'AAA', eta: 2026 }),
  prospect(2, { probability: 0.7, dynasty: { roleWeight: 1, yearsToEta: 4, value: 45.9 }, level: 'A', eta: 2030 }),
  prospect(3, { probability: 0.6 }),
  prospect(4, { probability: 0.55 }),
  prospect(5, { probability: 0.3, narrative: 'Young for Double-A: +8 points' }),
];

function input(over: Partial<RecommendationInput> = {}): RecommendationInput {
  return {
    strategy: 'rebuilding',
    season: 2026,
    userTeamId: 'T1',
    snapshotId: 'rs-2',
    previousSnapshotId: 'rs-1',
    prospects: PROSPECTS,
    roster: [
      { fantraxId: 'f1', teamId: 'T1', rosterStatus: 'MINORS', playerId: 1 },
      { fantraxId: 'f2', teamId: 'T1', rosterStatus: 'MINORS', playerId: 2 },
      { fantraxId: 'f5', teamId: 'T1', rosterStatus: 'MINORS', playerId: 5 },
      { fantraxId: 'f9', teamId: 'T1', rosterStatus: 'ACTIVE', playerId: null },
      { fantraxId: 'f3', teamId: 'T2', rosterStatus: 'MINORS', playerId: 3 },
    ],
    previous: new Map([
      [1, { rank: 1, probability: 0.8, dynasty: { roleWeight: 1, yearsToEta: 0, value: 80 } }],
      [2, { rank: 30, probability: 0.4, dynasty: { roleWeight: 1, yearsToEta: 4, value: 26 } }],
      [5, { rank: 2, probability: 0.6, dynasty: { roleWeight: 1, yearsToEta: 2, value: 48 } }],
    ]),
    ...over,
  };
}

describe('computeRecommendations', () => {
  it('ranks the farm system by dynasty value under the strategy: rebuilding prizes the far-off upside more than contending', () => {
    const rebuilding = computeRecommendations(input());
    expect(rebuilding.farmSystem.map((i) => i.playerId)).toEqual([1, 2, 5]);
    expect(rebuilding.farmSystem[0]).toMatchObject({ fantraxId: 'f1', value: 80 });
    const contending = computeRecommendations(input({ strategy: 'contending' }));
    const far = (r: typeof rebuilding) => r.farmSystem.find((i) => i.playerId === 2)!.value;
    expect(far(contending)).toBeLessThan(far(rebuilding));
    expect(strategyDiscount('contending')).toBeGreaterThan(strategyDiscount('rebuilding'));
  });

  it('offers the best prospects nobody in the league rosters as claims', () => {
    expect(computeRecommendations(input()).freeAgents.map((i) => i.playerId)).toEqual([4]);
  });

  it('says hold for a riser and sell for a faller, each with the SHAP factor pushing his way', () => {
    const { movers } = computeRecommendations(input());
    // Biggest value change first.
    expect(movers.map((m) => [m.playerId, m.action])).toEqual([
      [5, 'sell'],
      [2, 'hold'],
    ]);
    const [faller, riser] = movers;
    expect(riser!.reason).toMatch(/^Age relative to level \(\+0\.40/);
    expect(faller!.reason).toMatch(/^Strikeout rate \(-0\.30/);
    expect(riser!.valueChange).toBeGreaterThan(0);
    expect(faller!.valueChange).toBeLessThan(0);
    expect(riser!.rankChange).toBe(28);
  });

  it('lists who is close to graduating: at AAA or due by next season', () => {
    const { graduating } = computeRecommendations(input({ season: 2027 }));
    expect(graduating.map((i) => i.playerId)).toEqual([1, 5]);
  });

  it('has nothing to say of a team with no ranked prospect, and no movers without a previous publication', () => {
    const empty = computeRecommendations(input({ roster: [], previous: new Map(), previousSnapshotId: null }));
    expect(empty.farmSystem).toEqual([]);
    expect(empty.movers).toEqual([]);
    expect(empty.freeAgents).toHaveLength(5);
  });
});
