// checkShape: the real recorded responses and every kind of sample-server response pass (both split shapes the API
// has used included); type drift fails with a reason naming the path.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixturesAvailable, readFixture } from '../mlb-stats-api/test-fixtures.ts';
import { createSampleApi } from '../sample/api.ts';
import { generateUniverse } from '../sample/universe.ts';
import { checkShape, formatPath, MAX_ISSUES_IN_REASON } from './schemas.ts';

const hittingStat = {
  plateAppearances: 10,
  atBats: 9,
  hits: 3,
  homeRuns: 1,
  baseOnBalls: 1,
  strikeOuts: 2,
  avg: '.333',
};
const split = (over: Record<string, unknown> = {}) => ({
  season: '2015',
  stat: hittingStat,
  player: { id: 5, fullName: 'A B' },
  sport: { id: 12 },
  ...over,
});
const statsBody = (splits: unknown[]) => ({
  copyright: 'c',
  stats: [{ type: { displayName: 'season' }, group: { displayName: 'hitting' }, splits }],
});

describe.skipIf(!fixturesAvailable)('checkShape on the real recorded responses', () => {
  const files = fixturesAvailable
    ? readdirSync(FIXTURES_DIR).filter((f) => f.startsWith('GET_') && f.endsWith('.json'))
    : [];

  it.each(files)('%s passes as the response kind it is', (file) => {
    const body = readFixture(file) as Record<string, unknown>;
    const kind = 'stats' in body ? 'stats' : 'people' in body ? 'people' : null;
    if (kind === null) return; // /sports and /teams/{id}/roster: not ingested
    expect(checkShape(kind, body)).toBeNull();
  });

  it('finds the recorded responses (season, career and advanced containers; hydrated people with fielding splits)', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
});

describe('checkShape on the sample server responses', () => {
  const universe = generateUniverse({ scale: 0.02 });
  const api = createSampleApi(universe);
  const get = (path: string) => {
    const r = api('GET', new URL(`http://sample${path}`));
    expect(r.status).toBe(200);
    return r.body;
  };
  const { fromSeason, toSeason, shapeDriftSeason } = universe.options;
  const seasons = Array.from({ length: toSeason - fromSeason + 1 }, (_, i) => fromSeason + i);
  const sports = '1,11,12,13,14,15,16,5442';

  it.each(seasons)('season %i: /stats (both groups), /teams, /draft and /sports/{id}/players pass', (season) => {
    for (const group of ['hitting', 'pitching']) {
      expect(
        checkShape(
          'stats',
          get(
            `/api/v1/stats?stats=season&group=${group}&season=${season}&sportIds=${sports}&playerPool=All&limit=100000`,
          ),
        ),
      ).toBeNull();
    }
    expect(checkShape('teams', get(`/api/v1/teams?sportIds=${sports}&season=${season}`))).toBeNull();
    expect(checkShape('draft', get(`/api/v1/draft/${season}`))).toBeNull();
    expect(checkShape('people', get(`/api/v1/sports/14/players?season=${season}`))).toBeNull();
  });

  it('includes the shape-drift season, whose splits say person and carry a numeric season', () => {
    expect(shapeDriftSeason).toBe(2015);
    const body = get(`/api/v1/stats?stats=season&group=hitting&season=2015&sportIds=12&playerPool=All&limit=3`) as {
      stats: { splits: Record<string, unknown>[] }[];
    };
    const first = body.stats[0]?.splits[0];
    expect(first && 'person' in first && typeof first.season === 'number').toBe(true);
    expect(checkShape('hittingSplit', first)).toBeNull();
  });

  it('passes /people batches and /people/changes', () => {
    const ids = [...universe.people.keys()].slice(0, 150).join(',');
    expect(checkShape('people', get(`/api/v1/people?personIds=${ids}`))).toBeNull();
    expect(checkShape('people', get(`/api/v1/people/changes?updatedSince=2024-01-01T00:00:00Z`))).toBeNull();
  });
});

describe('checkShape on drifted shapes', () => {
  it('names the path of a stat that is not an object', () => {
    expect(checkShape('stats', statsBody([split(), split({ stat: 'oops' })]))).toBe(
      'stats shape: stats[0].splits[1].stat: Invalid input: expected object, received string, got "oops"',
    );
  });

  it('names the path of a non-numeric count', () => {
    const reason = checkShape('stats', statsBody([split({ stat: { ...hittingStat, strikeOuts: 'many' } })]));
    expect(reason).toBe(
      'stats shape: stats[0].splits[0].stat.strikeOuts: expected a count (number or numeric string), got "many"',
    );
    expect(checkShape('split', split({ stat: { ...hittingStat, strikeOuts: 'many' } }))).toContain('stat.strikeOuts');
  });

  it('accepts numeric strings and nulls for counts, and missing player ids (the parser rejects those rows)', () => {
    expect(checkShape('hittingSplit', split({ stat: { ...hittingStat, atBats: '9', sacFlies: null } }))).toBeNull();
    expect(checkShape('hittingSplit', split({ player: { fullName: 'No Id' } }))).toBeNull();
  });

  it('requires the core counts of the group, and outs or inningsPitched of a pitcher', () => {
    const { strikeOuts: _drop, ...renamed } = hittingStat;
    expect(checkShape('hittingSplit', split({ stat: { ...renamed, strikeouts: 2 } }))).toBe(
      'hittingSplit shape: stat.strikeOuts: expected a count (number or numeric string), missing',
    );
    const pitching = { battersFaced: 10, hits: 2, homeRuns: 0, baseOnBalls: 1, strikeOuts: 3 };
    expect(checkShape('pitchingSplit', split({ stat: { ...pitching, inningsPitched: '2.1' } }))).toBeNull();
    expect(checkShape('pitchingSplit', split({ stat: { ...pitching, inningsPitched: '2.5' } }))).toContain(
      'stat.inningsPitched',
    );
    expect(checkShape('pitchingSplit', split({ stat: pitching }))).toContain(
      'stat.outs: expected outs or inningsPitched',
    );
  });

  it('skips containers the parser never reads (fielding, advanced)', () => {
    const body = {
      stats: [
        {
          type: { displayName: 'seasonAdvanced' },
          group: { displayName: 'hitting' },
          splits: [{ stat: { iso: '.210' } }],
        },
      ],
    };
    expect(checkShape('stats', body)).toBeNull();
  });

  it('lists at most three issues and counts the rest', () => {
    const bad = split({ stat: { ...hittingStat, hits: 'x', atBats: 'y', homeRuns: 'z', strikeOuts: {} } });
    const reason = checkShape('hittingSplit', bad) ?? '';
    expect(reason.split('; ')).toHaveLength(MAX_ISSUES_IN_REASON);
    expect(reason).toMatch(/\(and 1 more\)$/);
  });

  it('checks people, teams and draft picks', () => {
    expect(checkShape('person', { id: 1, fullName: 'A', birthDate: '1999-01-02' })).toBeNull();
    expect(checkShape('person', { id: '1' })).toBe('person shape: id: expected a numeric person id, got "1"');
    expect(checkShape('person', { id: 1, birthDate: '01/02/1999' })).toContain('birthDate: expected a date YYYY-MM-DD');
    expect(checkShape('team', { id: 1, name: 'T', sport: { id: 11 }, parentOrgId: 120 })).toBeNull();
    expect(checkShape('teams', { teams: [{ id: 1, name: 'T' }] })).toContain('teams[0].sport');
    expect(checkShape('draftPick', { pickNumber: 3, pickRound: '1', isPass: true })).toBeNull();
    expect(checkShape('draft', { drafts: { rounds: [{ picks: [{ pickNumber: 'first' }] }] } })).toContain(
      'drafts.rounds[0].picks[0].pickNumber',
    );
    expect(checkShape('people', { people: 'none' })).toContain('people: Invalid input');
    expect(checkShape('stats', null)).toContain('(root)');
  });

  it('formats paths like the code that reads them', () => {
    expect(formatPath(['stats', 0, 'splits', 12, 'stat', 'strikeOuts'])).toBe('stats[0].splits[12].stat.strikeOuts');
    expect(formatPath([])).toBe('(root)');
  });
});
