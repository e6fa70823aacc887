/**
 * Replays a landing zone (the project's own recorded responses) at the Stats API's paths, so a past backfill can be
 * rebuilt without the network. A request is answered with the latest stored response to the same path and query
 * from the chosen origin: the client builds its URLs deterministically, so the same seasons and levels ask the same
 * questions. `/people` is the exception: which bios a run asks for depends on what its database already knows (and
 * on the order seasons finish in), so people are answered by id from every stored `/people` response.
 */
import type { ServedResponse } from './server.ts';

export interface ReplayStore {
  /** The latest stored body (status 200) for this path and query, e.g. `/api/v1/stats?stats=season&...`; undefined when none. */
  body(pathAndQuery: string): Promise<unknown>;
  /** The latest stored person with this id from any `/people` response; undefined when none. */
  person(id: number): Promise<unknown>;
}

const notFound = (message: string): ServedResponse => ({ status: 404, body: { messageNumber: 10, message } });

/** @returns a handler for startArchiveServer. */
export function createReplayApi(store: ReplayStore): (method: string, url: URL) => Promise<ServedResponse> {
  async function people(ids: number[]): Promise<ServedResponse> {
    const found: unknown[] = [];
    for (const id of new Set(ids)) {
      const p = await store.person(id);
      if (p !== undefined) found.push(p);
    }
    return { status: 200, body: { copyright: 'replayed from the landing zone', people: found } };
  }

  return async (method, url) => {
    if (method !== 'GET' && method !== 'HEAD')
      return { status: 405, body: { messageNumber: 405, message: `Method ${method} not allowed` } };
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/api/v1/people') {
      const raw = url.searchParams
        .getAll('personIds')
        .flatMap((v) => v.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (raw.length === 0 || raw.some((s) => !/^\d+$/.test(s))) {
        return {
          status: 400,
          body: {
            messageNumber: 400,
            message: `query parameter "personIds" must list integers, got "${url.searchParams.get('personIds') ?? ''}"`,
          },
        };
      }
      return people(raw.map(Number));
    }
    const one = /^\/api\/v1\/people\/(\d+)$/.exec(path);
    if (one) {
      const answer = await people([Number(one[1])]);
      return (answer.body as { people: unknown[] }).people.length
        ? answer
        : notFound(`person ${one[1]} is not in the landing zone`);
    }
    const pathAndQuery = `${url.pathname}${url.search}`;
    const body = await store.body(pathAndQuery);
    return body === undefined ? notFound(`${pathAndQuery} is not in the landing zone`) : { status: 200, body };
  };
}
