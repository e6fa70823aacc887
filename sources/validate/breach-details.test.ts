import { describe, expect, it } from 'vitest';
import { breachDetails } from './breach-details.ts';
import { judgeQuality, tallyOutcomes, type LineOutcome } from './circuit-breaker.ts';

const lines = (sportId: number, group: 'hitting' | 'pitching', loaded: number, missingBf: number): LineOutcome[] => [
  ...Array.from({ length: loaded }, () => ({ season: 2006, sportId, group, cause: null })),
  ...Array.from({ length: missingBf }, () => ({
    season: 2006,
    sportId,
    group,
    cause: { field: 'stat.battersFaced', rule: 'missing_field' },
  })),
];

describe('breachDetails', () => {
  it('lists only the cells with quarantined lines, each with its dominant cause and whether it tripped', () => {
    const verdict = judgeQuality(
      tallyOutcomes([...lines(1, 'pitching', 0, 600), ...lines(1, 'hitting', 900, 0), ...lines(11, 'hitting', 500, 2)]),
    );
    expect(breachDetails({ batchId: 42, season: 2006 }, verdict)).toEqual({
      batchId: 42,
      season: 2006,
      rows: 2002,
      quarantined: 602,
      lostResponses: [],
      emptyCells: [],
      cells: [
        {
          cell: '2006 MLB pitching',
          rows: 600,
          quarantined: 600,
          dominant: 'missing field stat.battersFaced',
          tripped: true,
        },
        {
          cell: '2006 AAA hitting',
          rows: 502,
          quarantined: 2,
          dominant: 'missing field stat.battersFaced',
          tripped: false,
        },
      ],
    });
  });
});
