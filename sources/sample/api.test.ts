import { describe, expect, it } from 'vitest';
import { createSampleApi } from './api.ts';
import { generateUniverse } from './universe.ts';

const universe = generateUniverse({ seed: 5, fromSeason: 2014, toSeason: 2022, scale: 0.05 });
const api = createSampleApi(universe);
const get = (path: string) => api('GET', new URL(`http://sample${path}`));
type Body = Record<string, unknown> & { stats: { totalSplits: number; splits: Record<string, unknown>[] }[] };

describe('sample Stats API: /stats', () => {
  it('pages with limit and offset over a stable order, reporting totalSplits', () => {
    const path = '/api/v1/stats?stats=season&group=hitting&sportIds=11,12,13&season=2016&playerPool=All';
    const whole = get(`${path}&limit=100000`).body as Body;
    const total = whole.stats[0]?.totalSplits ?? 0;
    expect(total).toBeGreaterThan(50);
    const paged: unknown[] = [];
    for (let offset = 0; offset < total; offset += 37) {
      const page = get(`${path}&limit=37&offset=${offset}`).body as Body;
      expect(page.stats[0]?.totalSplits).toBe(total);
      for (const split of page.stats[0]?.splits ?? []) paged.push(split);
    }
    expect(JSON.stringify(paged)).toBe(JSON.stringify(whole.stats[0]?.splits));
  });

  it('answers in the real shape: string season, rates as strings, team, player, sport, copyright', () => {
    const body = get('/api/v1/stats?stats=season&group=pitching&sportIds=12&season=2016&playerPool=All&limit=5')
      .body as Body;
    expect(body.copyright).toMatch(/^Copyright \d{4} MLB Advanced Media/);
    const split = body.stats[0]?.splits[0] as {
      season: unknown;
      stat: Record<string, unknown>;
      player: { id: number };
      sport: { id: number };
    };
    expect(split.season).toBe('2016');
    expect(split.sport.id).toBe(12);
    expect(typeof split.player.id).toBe('number');
    expect(split.stat.inningsPitched).toMatch(/^\d+\.[012]$/);
    expect(typeof split.stat.era).toBe('string');
  });

  it('with the missingField fault, no split of that group (and those levels) has the field; everything else is unchanged', () => {
    const faulty = createSampleApi(
      generateUniverse({
        seed: 5,
        fromSeason: 2014,
        toSeason: 2022,
        scale: 0.05,
        missingField: { group: 'pitching', field: 'battersFaced', sportIds: [1, 12] },
      }),
    );
    const splitsOf = (a: typeof api, group: string, sportIds: string) =>
      (
        a(
          'GET',
          new URL(
            `http://sample/api/v1/stats?stats=season&group=${group}&sportIds=${sportIds}&season=2016&playerPool=All&limit=100000`,
          ),
        ).body as Body
      ).stats[0]?.splits ?? [];
    const broken = splitsOf(faulty, 'pitching', '1,12');
    expect(broken.length).toBeGreaterThan(20);
    expect(broken.filter((s) => 'battersFaced' in (s.stat as object))).toEqual([]);
    expect(splitsOf(faulty, 'pitching', '11').every((s) => 'battersFaced' in (s.stat as object))).toBe(true);
    expect(JSON.stringify(splitsOf(faulty, 'hitting', '1,11,12'))).toBe(
      JSON.stringify(splitsOf(api, 'hitting', '1,11,12')),
    );
  });

  it('with the noSplitsOf fault, answers that group well-formed and empty (totalSplits 0), the other group unchanged', () => {
    const faulty = createSampleApi(
      generateUniverse({ seed: 5, fromSeason: 2014, toSeason: 2022, scale: 0.05, noSplitsOf: 'pitching' }),
    );
    const path = (group: string) =>
      new URL(
        `http://sample/api/v1/stats?stats=season&group=${group}&sportIds=1,11,12&season=2016&playerPool=All&limit=100000`,
      );
    const pitching = faulty('GET', path('pitching'));
    expect(pitching.status).toBe(200);
    expect((pitching.body as Body).stats).toMatchObject([
      { group: { displayName: 'pitching' }, totalSplits: 0, splits: [] },
    ]);
    expect(JSON.stringify(faulty('GET', path('hitting')).body)).toBe(JSON.stringify(api('GET', path('hitting')).body));
  });

  it('serves the drifted shape in the drift season: numeric season and `person`', () => {
    const season = universe.options.shapeDriftSeason ?? 0;
    const body = get(`/api/v1/stats?stats=season&group=hitting&sportIds=14&season=${season}&playerPool=All&limit=3`)
      .body as Body;
    const split = body.stats[0]?.splits[0] ?? {};
    expect(split.season).toBe(season);
    expect(split.person).toBeDefined();
    expect(split.player).toBeUndefined();
  });

  it('defaults to qualified players like the real API when playerPool is not All', () => {
    const all = get('/api/v1/stats?stats=season&group=hitting&sportIds=12&season=2016&playerPool=All').body as Body;
    const qualified = get('/api/v1/stats?stats=season&group=hitting&sportIds=12&season=2016').body as Body;
    expect(qualified.stats[0]?.totalSplits).toBeLessThan(all.stats[0]?.totalSplits ?? 0);
  });

  it('answers 400 with a message for a bad query and 404 for an unknown path', () => {
    expect(get('/api/v1/stats?stats=season&group=hitting&season=abc').status).toBe(400);
    expect(get('/api/v1/stats?stats=season&group=hitting&season=abc').body).toMatchObject({
      message: 'query parameter "season" must be an integer, got "abc"',
    });
    expect(get('/api/v1/stats?stats=season&group=fielding&season=2016').status).toBe(400);
    expect(get('/api/v1/stats?stats=career&group=hitting&season=2016').status).toBe(400);
    expect(get('/api/v1/people').status).toBe(400);
    expect(get('/api/v1/nothing-here').status).toBe(404);
    expect(api('POST', new URL('http://sample/api/v1/stats')).status).toBe(405);
  });
});

describe('sample Stats API: people, teams, draft', () => {
  it('returns bios for /people?personIds=..., skipping unknown ids', () => {
    const ids = [...universe.people.keys()].slice(0, 3);
    const body = get(`/api/v1/people?personIds=${ids.join(',')},999999`).body as { people: Record<string, unknown>[] };
    expect(body.people.map((p) => p.id)).toEqual(ids);
    expect(body.people[0]).toMatchObject({
      primaryPosition: { abbreviation: expect.any(String) },
      batSide: { code: expect.any(String) },
      pitchHand: { code: expect.any(String) },
    });
  });

  it('lists the players of a level and season with their current team', () => {
    const body = get('/api/v1/sports/13/players?season=2016').body as { people: { currentTeam: { id: number } }[] };
    expect(body.people.length).toBeGreaterThan(20);
    expect(body.people[0]?.currentTeam.id).toBeGreaterThan(0);
  });

  it('gives affiliates a parentOrgId and MLB clubs none; A- and Rookie Advanced end after 2020', () => {
    const teams = (
      get('/api/v1/teams?sportIds=1,15&season=2019').body as {
        teams: { sport: { id: number }; parentOrgId?: number }[];
      }
    ).teams;
    expect(teams.filter((t) => t.sport.id === 1)).toHaveLength(30);
    expect(teams.filter((t) => t.sport.id === 1).every((t) => t.parentOrgId === undefined)).toBe(true);
    expect(teams.filter((t) => t.sport.id === 15).every((t) => typeof t.parentOrgId === 'number')).toBe(true);
    const later = (get('/api/v1/teams?sportIds=15,5442&season=2021').body as { teams: unknown[] }).teams;
    expect(later).toHaveLength(0);
  });

  it('serves drafts as drafts.rounds[].picks[] with person, pickRound, pickNumber, team and school', () => {
    const body = get('/api/v1/draft/2016').body as {
      drafts: { draftYear: number; rounds: { round: string; picks: Record<string, unknown>[] }[] };
    };
    expect(body.drafts.draftYear).toBe(2016);
    const pick = body.drafts.rounds[0]?.picks[0];
    expect(pick).toMatchObject({
      pickRound: '1',
      person: { id: expect.any(Number) },
      team: { id: expect.any(Number) },
      school: { name: expect.any(String) },
    });
    expect(body.drafts.rounds.map((r) => r.round)).toContain('40');
    const short = get('/api/v1/draft/2021').body as { drafts: { rounds: { round: string }[] } };
    expect(short.drafts.rounds.map((r) => Number(r.round)).every((r) => r <= 20)).toBe(true);
  });

  it('answers /people/changes with players seen since the date, and 400 without one', () => {
    expect(
      (get('/api/v1/people/changes?updatedSince=2021-01-01T00:00:00Z').body as { people: unknown[] }).people.length,
    ).toBeGreaterThan(0);
    expect(get('/api/v1/people/changes?updatedSince=yesterday').status).toBe(400);
  });
});
