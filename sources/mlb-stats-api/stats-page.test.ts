import { describe, expect, it } from 'vitest';
import { nextPage, readStatsPage, statsSplitsOf } from './stats-page.ts';

const container = (group: string, splits: unknown[], totalSplits?: number, type = 'season') => ({
  type: { displayName: type },
  group: { displayName: group },
  splits,
  ...(totalSplits === undefined ? {} : { totalSplits }),
});

describe('readStatsPage and statsSplitsOf', () => {
  it('reads every container of the group, not only stats[0]', () => {
    const body = {
      stats: [
        container('pitching', ['p1']),
        container('hitting', ['a', 'b'], 5),
        container('hitting', ['c'], 7),
        container('hitting', ['x'], 1, 'career'),
      ],
    };
    expect(readStatsPage(body, 'hitting')).toEqual({ splits: ['a', 'b', 'c'], received: 2, totalSplits: 7 });
    expect(statsSplitsOf(body, 'hitting')).toEqual(['a', 'b', 'c']);
    expect(statsSplitsOf(body, 'pitching')).toEqual(['p1']);
    // A container without group or type is read as the requested group (older responses).
    expect(statsSplitsOf({ stats: [{ splits: ['z'] }] }, 'hitting')).toEqual(['z']);
  });

  it('names a body that is not a /stats body', () => {
    expect(readStatsPage({ people: [] }, 'hitting')).toEqual({ problem: 'expected { stats: [{ splits: [...] }] }' });
    expect(readStatsPage({ stats: [{ group: { displayName: 'hitting' }, splits: 'none' }] }, 'hitting')).toHaveProperty(
      'problem',
    );
    expect(statsSplitsOf(null, 'hitting')).toEqual([]);
    expect(readStatsPage({ stats: [] }, 'hitting')).toEqual({ splits: [], received: 0, totalSplits: null });
  });

  it('names a body whose containers are all of another group or stat type (its lines are not there), instead of reading no splits', () => {
    const body = { stats: [container('pitching', ['p1'], 1), container('hitting', ['x'], 1, 'career')] };
    expect(readStatsPage(body, 'hitting')).toEqual({
      problem: 'no hitting season container among the 2 the body holds (pitching/season, hitting/career)',
    });
    expect(statsSplitsOf(body, 'hitting')).toEqual([]);
    expect(readStatsPage(body, 'pitching')).toEqual({ splits: ['p1'], received: 1, totalSplits: 1 });
  });
});

describe('nextPage', () => {
  it('follows totalSplits, ending exactly at the end even on a full last page', () => {
    expect(nextPage({ offset: 0, limit: 10, received: 10, totalSplits: 25, firstTotal: null })).toEqual({
      kind: 'next',
      offset: 10,
      capped: false,
    });
    expect(nextPage({ offset: 20, limit: 10, received: 5, totalSplits: 25, firstTotal: 25 })).toEqual({ kind: 'done' });
    expect(nextPage({ offset: 10, limit: 10, received: 10, totalSplits: 20, firstTotal: 20 })).toEqual({
      kind: 'done',
    });
    expect(nextPage({ offset: 0, limit: 10, received: 0, totalSplits: 0, firstTotal: null })).toEqual({ kind: 'done' });
  });

  it('detects a server that caps limit and continues from what it sent', () => {
    expect(nextPage({ offset: 0, limit: 2000, received: 500, totalSplits: 1200, firstTotal: null })).toEqual({
      kind: 'next',
      offset: 500,
      capped: true,
    });
  });

  it('fails clearly on an empty page before the end and on a total that moves', () => {
    const empty = nextPage({ offset: 500, limit: 500, received: 0, totalSplits: 1200, firstTotal: 1200 });
    expect(empty).toEqual({
      kind: 'error',
      reason: 'totalSplits is 1200 but the page at offset 500 is empty: the list would be truncated at 500',
    });
    const moved = nextPage({ offset: 500, limit: 500, received: 500, totalSplits: 1300, firstTotal: 1200 });
    expect(moved.kind).toBe('error');
    expect(moved).toHaveProperty('reason', expect.stringContaining('totalSplits changed from 1200 to 1300') as unknown);
  });

  it('without totalSplits, stops at the first short page', () => {
    expect(nextPage({ offset: 0, limit: 10, received: 10, totalSplits: null, firstTotal: null })).toEqual({
      kind: 'next',
      offset: 10,
      capped: false,
    });
    expect(nextPage({ offset: 10, limit: 10, received: 3, totalSplits: null, firstTotal: null })).toEqual({
      kind: 'done',
    });
  });
});
