/**
 * The Stats API paths answered from a directory of recorded responses, as a request → response function (no socket),
 * so it is tested in-process and served by server.ts. Same shapes as https://statsapi.mlb.com/api/v1: `/stats` filtered
 * by `split.sport.id` and paged with `limit`/`offset` (totalSplits counts the filtered list), `/people?personIds=`,
 * `/people/{id}`, `/teams?sportIds=&season=`, `/sports`, `/draft/{year}` (no rounds: the recordings hold no draft).
 * A season or file the archive does not hold is a 404 naming it, never an empty answer that would look like a
 * season without games.
 */
import { jsonApiRouter, type ApiResponse } from '../http/json-api-server.ts';
import { BadRequest, enumListParam, intListParam, intParam } from '../sample/query.ts';
import type { ArchiveDirectory } from './directory.ts';

export type { ApiResponse };

export interface ArchiveApiOptions {
  /**
   * Most splits one /stats page returns, whatever `limit` asks: a server that caps silently, as some do, for testing
   * the client's detection of it. @default 100000
   */
  maxLimit?: number;
}

const COPYRIGHT = 'Copyright MLB Advanced Media, L.P. (replayed from a recorded archive)';
const notFound = (message: string): ApiResponse => ({ status: 404, body: { messageNumber: 10, message } });

export function createArchiveApi(
  archive: ArchiveDirectory,
  options: ArchiveApiOptions = {},
): (method: string, url: URL) => ApiResponse {
  const maxLimit = options.maxLimit ?? 100_000;

  function stats(q: URLSearchParams): ApiResponse {
    const types = enumListParam(q, 'stats', ['season', 'yearByYear', 'career'] as const);
    if (types.some((t) => t !== 'season')) throw new BadRequest('the archive holds season totals only: stats=season');
    const groups = enumListParam(q, 'group', ['hitting', 'pitching'] as const);
    const season = intParam(q, 'season', { min: 1870, max: 2100 });
    // The real API answers MLB when no level is named.
    const sportIds = new Set(intListParam(q, 'sportIds') ?? intListParam(q, 'sportId') ?? [1]);
    const limit = intParam(q, 'limit', { min: 1, max: 100_000, fallback: 50 });
    const offset = intParam(q, 'offset', { min: 0, fallback: 0 });
    const pool = (q.get('playerPool') ?? 'QUALIFIED').toUpperCase();
    // Recorded lines are every player's, with no way to apply the API's qualification thresholds faithfully.
    if (pool !== 'ALL')
      throw new BadRequest(
        `the archive serves playerPool=All only, got "${q.get('playerPool') ?? '(default Qualified)'}"`,
      );
    const containers = [];
    for (const group of groups) {
      const all = archive.splits(season, group);
      if (all === null)
        return notFound(`season ${season} ${group} is not recorded in the archive (stats/${season}-${group}.json.gz)`);
      const filtered = all.filter((s) => s.sportId !== null && sportIds.has(s.sportId));
      const page = filtered.slice(offset, offset + Math.min(limit, maxLimit)).map((s) => s.raw);
      containers.push({
        type: { displayName: 'season' },
        group: { displayName: group },
        totalSplits: filtered.length,
        exemptions: [],
        splits: page,
        splitsTiedWithOffset: [],
        splitsTiedWithLimit: [],
        playerPool: 'ALL',
      });
    }
    return { status: 200, body: { copyright: COPYRIGHT, stats: containers } };
  }

  function people(q: URLSearchParams): ApiResponse {
    const ids = intListParam(q, 'personIds');
    if (!ids) throw new BadRequest('missing required query parameter "personIds"');
    // Unknown ids are left out, as the real API does.
    const found = [...new Set(ids)].map((id) => archive.person(id)).filter((p) => p !== undefined);
    return { status: 200, body: { copyright: COPYRIGHT, people: found } };
  }

  function teams(q: URLSearchParams): ApiResponse {
    const season = intParam(q, 'season', { min: 1870, max: 2100 });
    const sportIds = new Set(intListParam(q, 'sportIds') ?? intListParam(q, 'sportId') ?? [1]);
    const all = archive.teams(season);
    if (all.length === 0)
      return notFound(`teams of season ${season} are not recorded in the archive (teams/${season}.json.gz)`);
    return {
      status: 200,
      body: {
        copyright: COPYRIGHT,
        teams: all.filter((t) => t.sportId !== null && sportIds.has(t.sportId)).map((t) => t.raw),
      },
    };
  }

  return jsonApiRouter((path, q) => {
    if (path === '/api/v1/stats') return stats(q);
    if (path === '/api/v1/people') return people(q);
    if (path === '/api/v1/teams') return teams(q);
    if (path === '/api/v1/sports') return { status: 200, body: { copyright: COPYRIGHT, sports: archive.sports() } };
    let m = /^\/api\/v1\/people\/(\d+)$/.exec(path);
    if (m) {
      const p = archive.person(Number(m[1]));
      return p === undefined
        ? notFound(`person ${m[1]} is not recorded in the archive`)
        : { status: 200, body: { copyright: COPYRIGHT, people: [p] } };
    }
    m = /^\/api\/v1\/draft\/(\d{4})$/.exec(path);
    // The recordings carry no draft: a year with no rounds, which ingestion reads as "no picks known".
    if (m) return { status: 200, body: { copyright: COPYRIGHT, drafts: { draftYear: Number(m[1]), rounds: [] } } };
    return notFound(`Object not found: ${path}`);
  });
}
