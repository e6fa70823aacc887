// A breach with no quarantined line at all: lost stats responses and a level with no lines carry the details.
import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_BREACH, breachDetails } from './breach-details.ts';
import { DEFAULT_BREAKER_THRESHOLDS, judgeQuality, tallyOutcomes, type LineOutcome } from './circuit-breaker.ts';

const loaded = (sportId: number, group: 'hitting' | 'pitching', n: number): LineOutcome[] =>
  Array.from({ length: n }, () => ({ season: 2016, sportId, group, cause: null }));

describe('breachDetails without quarantined lines', () => {
  it('names the lost responses by URL and the empty cells, and lists no cell', () => {
    const cells = tallyOutcomes(loaded(11, 'hitting', 300));
    const lost = [
      { url: 'https://stats.example/api/v1/stats?season=2016&sportId=1', reason: 'HTTP 502 after 5 attempts' },
    ];
    const expected = [
      { season: 2016, sportId: 11, group: 'hitting' as const },
      { season: 2016, sportId: 1, group: 'pitching' as const },
    ];
    const verdict = judgeQuality(cells, DEFAULT_BREAKER_THRESHOLDS, lost, expected);
    expect(verdict.breached).toBe(true);
    expect(breachDetails({ batchId: 7, season: 2016 }, verdict)).toEqual({
      batchId: 7,
      season: 2016,
      rows: 300,
      quarantined: 0,
      lostResponses: ['https://stats.example/api/v1/stats?season=2016&sportId=1'],
      emptyCells: ['2016 MLB pitching'],
      cells: [],
    });
  });

  it('is matched on a stable failure type', () => {
    expect(DATA_QUALITY_BREACH).toBe('DataQualityBreach');
  });
});
