/**
 * The sample universe's Stats API, as a pure request → response function (no socket), so it can be tested in-process
 * and served by server.ts. Paths and shapes follow https://statsapi.mlb.com/api/v1.
 */
import { jsonApiRouter, type ApiResponse } from '../http/json-api-server.ts';
import { applyMissingField, applyPlaceholderBirthDate } from './faults.ts';
import { BadRequest, enumListParam, intListParam, intParam } from './query.ts';
import { COPYRIGHT, draftPickJson, personJson, teamJson } from './render-people.ts';
import { renderSplit } from './render-stats.ts';
import { ladder, LEVELS } from './levels.ts';
import { teamsInSeason, type SampleTeam } from './organizations.ts';
import type { StatRow } from './rows.ts';
import type { SampleUniverse } from './universe.ts';

export type { ApiResponse };

const notFound = (path: string): ApiResponse => ({
  status: 404,
  body: { messageNumber: 10, message: `Object not found: ${path}` },
});

/** Rows the real API counts as qualified when playerPool is not All (it defaults to qualified players). */
function qualified(row: StatRow): boolean {
  const mlb = row.sportId === 1;
  if (row.group === 'hitting')
    return 'plateAppearances' in row.stats && row.stats.plateAppearances >= (mlb ? 502 : 400);
  return 'outs' in row.stats && row.stats.outs >= (mlb ? 486 : 360);
}

export function createSampleApi(universe: SampleUniverse): (method: string, url: URL) => ApiResponse {
  const teams = new Map<number, SampleTeam>();
  for (const org of universe.organizations) for (const t of org.bySport.values()) teams.set(t.id, t);
  const orgTeam = (team: SampleTeam | undefined): SampleTeam | undefined => (team ? teams.get(team.orgId) : undefined);
  // Who played where: season:sportId → playerId → team of his last row there (the /sports/{id}/players roster).
  const appearances = new Map<string, Map<number, number>>();
  for (const rows of universe.rows.values()) {
    for (const r of rows) {
      if (r.teamId === null || r.fault === 'missing-player-id') continue;
      const key = `${r.season}:${r.sportId}`;
      const m = appearances.get(key) ?? new Map<number, number>();
      m.set(r.playerId, r.teamId);
      appearances.set(key, m);
    }
  }
  const { toSeason, shapeDriftSeason, missingField, placeholderBirthDateEvery, noSplitsOf } = universe.options;
  const person = (id: number, currentTeamId?: number): Record<string, unknown> | null => {
    const p = universe.people.get(id);
    if (!p) return null;
    const json = personJson(p, { asOfSeason: toSeason, ...(currentTeamId === undefined ? {} : { currentTeamId }) });
    applyPlaceholderBirthDate(json, id, placeholderBirthDateEvery);
    return json;
  };

  function stats(q: URLSearchParams): ApiResponse {
    const types = enumListParam(q, 'stats', ['season', 'yearByYear', 'career'] as const);
    if (types.some((t) => t !== 'season')) throw new BadRequest('the sample server supports stats=season only');
    const groups = enumListParam(q, 'group', ['hitting', 'pitching'] as const);
    const season = intParam(q, 'season');
    const sportIds = new Set(intListParam(q, 'sportIds') ?? intListParam(q, 'sportId') ?? [1]);
    const limit = intParam(q, 'limit', { min: 1, max: 100000, fallback: 50 });
    const offset = intParam(q, 'offset', { min: 0, fallback: 0 });
    const pool = (q.get('playerPool') ?? 'QUALIFIED').toUpperCase();
    if (!['ALL', 'QUALIFIED'].includes(pool))
      throw new BadRequest(`playerPool must be All or Qualified, got "${q.get('playerPool')}"`);
    const containers = groups.map((group) => {
      // The noSplitsOf fault: the group answers well-formed and empty, as if nobody had played it.
      const all =
        group === noSplitsOf
          ? []
          : (universe.rows.get(`${season}:${group}`) ?? []).filter(
              (r) => sportIds.has(r.sportId) && (pool === 'ALL' || qualified(r)),
            );
      const drifted = season === shapeDriftSeason;
      const splits = all.slice(offset, offset + limit).map((r) => {
        const split = renderSplit(r, {
          player: universe.people.get(r.playerId),
          team: r.teamId === null ? undefined : teams.get(r.teamId),
          drifted,
        });
        applyMissingField(split, r, missingField);
        return split;
      });
      return {
        type: { displayName: 'season' },
        group: { displayName: group },
        totalSplits: all.length,
        exemptions: [],
        splits,
        splitsTiedWithOffset: [],
        splitsTiedWithLimit: [],
        playerPool: pool,
      };
    });
    return { status: 200, body: { copyright: COPYRIGHT, stats: containers } };
  }

  function people(q: URLSearchParams): ApiResponse {
    const ids = intListParam(q, 'personIds');
    if (!ids) throw new BadRequest('missing required query parameter "personIds"');
    const found = [...new Set(ids)].map((id) => person(id)).filter((p) => p !== null);
    return { status: 200, body: { copyright: COPYRIGHT, people: found } };
  }

  function sportPlayers(sportId: number, q: URLSearchParams): ApiResponse {
    const season = intParam(q, 'season', { fallback: toSeason });
    const roster = appearances.get(`${season}:${sportId}`) ?? new Map<number, number>();
    const ids = [...roster.keys()].sort((a, b) => {
      const pa = universe.people.get(a);
      const pb = universe.people.get(b);
      return (pa?.lastName ?? '').localeCompare(pb?.lastName ?? '') || a - b;
    });
    const list = ids.map((id) => person(id, roster.get(id))).filter((p) => p !== null);
    return { status: 200, body: { copyright: COPYRIGHT, people: list } };
  }

  function teamList(q: URLSearchParams): ApiResponse {
    const season = intParam(q, 'season', { fallback: toSeason });
    const sportIds = intListParam(q, 'sportIds') ?? intListParam(q, 'sportId') ?? [1];
    const list = teamsInSeason(universe.organizations, season, sportIds).map((t) => teamJson(t, season, orgTeam(t)));
    return { status: 200, body: { copyright: COPYRIGHT, teams: list } };
  }

  function draft(year: number): ApiResponse {
    const rounds = new Map<string, unknown[]>();
    for (const d of universe.drafts.get(year) ?? []) {
      const p = universe.people.get(d.playerId);
      const team = teams.get(d.orgId);
      if (!p || !team) continue;
      const list = rounds.get(d.round) ?? [];
      list.push(draftPickJson(d, p, team));
      rounds.set(d.round, list);
    }
    const body = { draftYear: year, rounds: [...rounds].map(([round, picks]) => ({ round, picks })) };
    return { status: 200, body: { copyright: COPYRIGHT, drafts: body } };
  }

  function changes(q: URLSearchParams): ApiResponse {
    const since = q.get('updatedSince');
    const time = since === null ? NaN : Date.parse(since);
    if (Number.isNaN(time))
      throw new BadRequest(`query parameter "updatedSince" must be an ISO date-time, got "${since ?? ''}"`);
    const fromYear = new Date(time).getUTCFullYear();
    const limit = intParam(q, 'limit', { min: 1, fallback: 1000 });
    const offset = intParam(q, 'offset', { min: 0, fallback: 0 });
    const ids = new Set<number>();
    for (const [key, roster] of appearances)
      if (Number(key.split(':')[0]) >= fromYear) for (const id of roster.keys()) ids.add(id);
    const list = [...ids]
      .sort((a, b) => a - b)
      .slice(offset, offset + limit)
      .map((id) => person(id))
      .filter((p) => p !== null);
    return { status: 200, body: { copyright: COPYRIGHT, people: list } };
  }

  function sports(): ApiResponse {
    const ids = [...new Set([...ladder(Math.min(toSeason, 2020)), ...ladder(toSeason)])];
    const list = ids.map((id) => {
      const spec = LEVELS.get(id);
      return {
        id,
        code: spec?.abbreviation.toLowerCase(),
        link: `/api/v1/sports/${id}`,
        name: spec?.name,
        abbreviation: spec?.abbreviation,
        activeStatus: !(toSeason >= 2021 && (id === 15 || id === 5442)),
      };
    });
    return { status: 200, body: { copyright: COPYRIGHT, sports: list } };
  }

  return jsonApiRouter((path, q) => {
    if (path === '/api/v1/stats') return stats(q);
    if (path === '/api/v1/people') return people(q);
    if (path === '/api/v1/people/changes') return changes(q);
    if (path === '/api/v1/teams') return teamList(q);
    if (path === '/api/v1/sports') return sports();
    let m = /^\/api\/v1\/people\/(\d+)$/.exec(path);
    if (m) {
      const p = person(Number(m[1]));
      return p ? { status: 200, body: { copyright: COPYRIGHT, people: [p] } } : notFound(path);
    }
    m = /^\/api\/v1\/sports\/(\d+)\/players$/.exec(path);
    if (m) return sportPlayers(Number(m[1]), q);
    m = /^\/api\/v1\/draft\/(\d{4})$/.exec(path);
    if (m) return draft(Number(m[1]));
    return notFound(path);
  });
}
