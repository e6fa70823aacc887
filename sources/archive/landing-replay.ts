/**
 * Reading a landing zone back for replay (sources/archive/replay.ts): the stored responses of one origin (the base URL
 * a past run fetched from, e.g. http://127.0.0.1:8787 or https://statsapi.mlb.com), indexed by path and query.
 * Only an index of URLs is kept in memory; bodies are read when asked for, except people, which are indexed by id on
 * first use (a run asks for bios by batches its database decides, so they cannot be matched by URL).
 */
import { latestResponseIds, responseBodies, responseIdsByPrefix } from '../../db/landing-zone.ts';
import type { Queryable } from '../../lib/db.ts';
import type { ReplayStore } from './replay.ts';

export interface LandingReplay extends ReplayStore {
  /** The origin being replayed. */
  origin: string;
  /** Distinct URLs of that origin that can be answered. */
  urls: number;
}

const ORIGIN = /^(.*?)(\/api\/v1\/.*)$/;

/**
 * @param origin the base URL to replay; may be omitted when the landing zone holds one origin only.
 * @throws Error naming the origins found when there are several and none was chosen, or none at all.
 */
export async function openLandingReplay(pool: Queryable, origin?: string): Promise<LandingReplay> {
  const rows = await latestResponseIds(pool);
  const byOrigin = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = ORIGIN.exec(r.url);
    if (!m) continue;
    const [, o = '', pathAndQuery = ''] = m;
    const index = byOrigin.get(o) ?? new Map<string, number>();
    index.set(pathAndQuery, r.responseId);
    byOrigin.set(o, index);
  }
  const origins = [...byOrigin.keys()].sort();
  if (origins.length === 0) throw new Error('landing replay: the landing zone holds no Stats API response');
  const chosen = origin ?? (origins.length === 1 ? origins[0]! : undefined);
  if (chosen === undefined)
    throw new Error(
      `landing replay: the landing zone holds responses of ${origins.length} origins (${origins.join(', ')}); choose one with landing:<url>#<origin>`,
    );
  const index = byOrigin.get(chosen);
  if (!index)
    throw new Error(`landing replay: no response from ${chosen} in the landing zone (it holds ${origins.join(', ')})`);

  const read = (ids: number[]): Promise<unknown[]> => responseBodies(pool, ids);

  let people: Promise<Map<number, unknown>> | undefined;
  const indexPeople = async (): Promise<Map<number, unknown>> => {
    // Every /people response of the origin (not only the latest per URL), oldest first, so the latest bio wins.
    const all = await responseIdsByPrefix(pool, `${chosen}/api/v1/people?`);
    const map = new Map<number, unknown>();
    for (let i = 0; i < all.length; i += 50) {
      for (const body of await read(all.slice(i, i + 50))) {
        const list = (body as { people?: unknown } | null)?.people;
        for (const p of Array.isArray(list) ? (list as unknown[]) : []) {
          const id = (p as { id?: unknown } | null)?.id;
          if (typeof id === 'number') map.set(id, p);
        }
      }
    }
    return map;
  };

  return {
    origin: chosen,
    urls: index.size,
    async body(pathAndQuery) {
      const id = index.get(pathAndQuery);
      return id === undefined ? undefined : (await read([id]))[0];
    },
    async person(id) {
      people ??= indexPeople();
      return (await people).get(id);
    },
  };
}
