/**
 * Reading a landing zone back for replay (sources/archive/replay.ts): the stored responses of one origin (the base URL
 * a past run fetched from, e.g. http://127.0.0.1:8787 or https://statsapi.mlb.com), indexed by path and query.
 * Only an index of URLs is kept in memory; bodies are read when asked for, except people, which are indexed by id on
 * first use (a run asks for bios by batches its database decides, so they cannot be matched by URL).
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import type { Pool } from '../lib/db.ts';
import type { ReplayStore } from '../sources/archive/replay.ts';

const gunzip = promisify(gunzipCb);

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
export async function openLandingReplay(pool: Pool, origin?: string): Promise<LandingReplay> {
  const { rows } = await pool.query<{ response_id: number; url: string }>(
    `SELECT DISTINCT ON (url) response_id, url FROM raw_responses WHERE status = 200 ORDER BY url, fetched_at DESC`,
  );
  const byOrigin = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = ORIGIN.exec(r.url);
    if (!m) continue;
    const [, o = '', pathAndQuery = ''] = m;
    const index = byOrigin.get(o) ?? new Map<string, number>();
    index.set(pathAndQuery, r.response_id);
    byOrigin.set(o, index);
  }
  const origins = [...byOrigin.keys()].sort();
  if (origins.length === 0) throw new Error('landing replay: the landing zone holds no Stats API response');
  const chosen = origin ?? (origins.length === 1 ? origins[0]! : undefined);
  if (chosen === undefined) throw new Error(`landing replay: the landing zone holds responses of ${origins.length} origins (${origins.join(', ')}); choose one with landing:<url>#<origin>`);
  const index = byOrigin.get(chosen);
  if (!index) throw new Error(`landing replay: no response from ${chosen} in the landing zone (it holds ${origins.join(', ')})`);

  const read = async (ids: number[]): Promise<unknown[]> => {
    const { rows: bodies } = await pool.query<{ body_gzip: Buffer }>(
      'SELECT body_gzip FROM raw_responses WHERE response_id = ANY($1) ORDER BY fetched_at, response_id', [ids],
    );
    return Promise.all(bodies.map(async (b) => JSON.parse((await gunzip(b.body_gzip)).toString('utf8')) as unknown));
  };

  let people: Promise<Map<number, unknown>> | undefined;
  const indexPeople = async (): Promise<Map<number, unknown>> => {
    // Every /people response of the origin (not only the latest per URL), oldest first, so the latest bio wins.
    const { rows: all } = await pool.query<{ response_id: number }>(
      `SELECT response_id FROM raw_responses WHERE status = 200 AND starts_with(url, $1 || '/api/v1/people?') ORDER BY fetched_at, response_id`, [chosen],
    );
    const map = new Map<number, unknown>();
    for (let i = 0; i < all.length; i += 50) {
      for (const body of await read(all.slice(i, i + 50).map((r) => r.response_id))) {
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
