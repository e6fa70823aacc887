import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createArchiveApi } from './api.ts';
import { openArchiveDirectory } from './directory.ts';
import { writeTinyArchive } from './test-archive.ts';

type Container = {
  totalSplits: number;
  splits: { player: { id: number }; sport: { id: number } }[];
  group: { displayName: string };
};
type StatsBody = { stats: Container[] };

describe('archive API (in-process)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-archive-api-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const tiny = writeTinyArchive(root);
  const api = createArchiveApi(openArchiveDirectory(tiny.dir));
  const get = (pathAndQuery: string) => api('GET', new URL(pathAndQuery, 'http://x.invalid'));
  const stats = (q: string) => get(`/api/v1/stats?stats=season&playerPool=All&${q}`);

  it('filters /stats by split.sport.id and counts totalSplits over the filtered list', () => {
    const r = stats('group=hitting&season=2006&sportIds=12,14');
    expect(r.status).toBe(200);
    const [c] = (r.body as StatsBody).stats;
    expect(c?.totalSplits).toBe(tiny.bySport('2006-hitting', 12) + tiny.bySport('2006-hitting', 14));
    expect(c?.totalSplits).toBe(5);
    expect(new Set(c?.splits.map((s) => s.sport.id))).toEqual(new Set([12, 14]));
    // No sportIds: MLB, as the real API answers.
    const mlb = (stats('group=hitting&season=2006').body as StatsBody).stats[0];
    expect(mlb?.splits.map((s) => s.player.id)).toEqual([1001]);
  });

  it('pages with limit and offset in a stable order, every split exactly once', () => {
    const all = (stats('group=hitting&season=2006&sportIds=1,11,12,14,16&limit=100').body as StatsBody).stats[0]!;
    expect(all.totalSplits).toBe(tiny.splits['2006-hitting']);
    const paged: unknown[] = [];
    for (let offset = 0; offset < all.totalSplits; offset += 3) {
      const page = (
        stats(`group=hitting&season=2006&sportIds=1,11,12,14,16&limit=3&offset=${offset}`).body as StatsBody
      ).stats[0]!;
      expect(page.totalSplits).toBe(all.totalSplits);
      for (const split of page.splits) paged.push(split);
    }
    expect(paged).toEqual(all.splits);
    const past = (stats('group=hitting&season=2006&sportIds=12&limit=3&offset=50').body as StatsBody).stats[0]!;
    expect(past.splits).toEqual([]);
    expect(past.totalSplits).toBe(4);
  });

  it('answers one container per requested group', () => {
    const body = stats('group=hitting,pitching&season=2006&sportIds=11').body as StatsBody;
    expect(body.stats.map((c) => [c.group.displayName, c.totalSplits])).toEqual([
      ['hitting', 1],
      ['pitching', 1],
    ]);
  });

  it('caps limit silently when told to (a server like that is what the client must detect)', () => {
    const capped = createArchiveApi(openArchiveDirectory(tiny.dir), { maxLimit: 2 });
    const r = capped(
      'GET',
      new URL(
        'http://x.invalid/api/v1/stats?stats=season&playerPool=All&group=hitting&season=2006&sportIds=12&limit=10',
      ),
    );
    const c = (r.body as StatsBody).stats[0]!;
    expect(c.splits).toHaveLength(2);
    expect(c.totalSplits).toBe(4);
  });

  it('serves people by id, teams by level and season, sports, and a draft with no rounds', () => {
    const people = get('/api/v1/people?personIds=1003,9999,1001,1003').body as { people: { id: number }[] };
    expect(people.people.map((p) => p.id)).toEqual([1003, 1001]);
    expect((get('/api/v1/people/1002').body as { people: { id: number }[] }).people[0]?.id).toBe(1002);
    const teams = get('/api/v1/teams?sportIds=1,12&season=2006').body as { teams: { id: number }[] };
    expect(teams.teams.map((t) => t.id)).toEqual([100, 101, 201, 202]);
    expect((get('/api/v1/sports').body as { sports: unknown[] }).sports).toHaveLength(8);
    const draft = get('/api/v1/draft/2006');
    expect(draft).toEqual({
      status: 200,
      body: expect.objectContaining({ drafts: { draftYear: 2006, rounds: [] } }) as unknown,
    });
  });

  it('answers 404 for unknown paths and unrecorded seasons, 400 for a bad query, 405 for other methods', () => {
    expect(get('/api/v1/schedule').status).toBe(404);
    expect(get('/api/v1/people/9999').status).toBe(404);
    const missing = stats('group=hitting&season=2012&sportIds=1');
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).toContain('season 2012 hitting is not recorded in the archive');
    expect(get('/api/v1/teams?season=2012').status).toBe(404);
    const bad = [
      stats('group=hitting&season=20x6'),
      stats('group=fielding&season=2006'),
      stats('group=hitting&season=2006&limit=0'),
      stats('group=hitting&season=2006&offset=-1'),
      stats('group=hitting&season=2006&sportIds=1,x'),
      get('/api/v1/stats?stats=career&group=hitting&season=2006&playerPool=All'),
      get('/api/v1/stats?stats=season&group=hitting&season=2006'),
      get('/api/v1/people'),
    ];
    for (const r of bad) expect(r.status).toBe(400);
    expect(JSON.stringify(bad[0]?.body)).toContain('query parameter \\"season\\" must be an integer');
    expect(JSON.stringify(bad[6]?.body)).toContain('playerPool=All only');
    expect(api('POST', new URL('http://x.invalid/api/v1/stats')).status).toBe(405);
  });
});
