// The prospect routes over the seeded published world (test/api-fixture.ts), in-process against real PostgreSQL and
// Redis: filters, sorts, pagination, search, compare, detail, as_of, and bad input answered with 4xx problems.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import type { PublishedWorld } from '../../test/api-fixture.ts';
import { seededApi } from '../../test/seeded.ts';
import type { TestApi } from '../../test/api.ts';
import {
  CompareResponseSchema,
  FilterOptionsSchema,
  ProspectDetailResponseSchema,
  ProspectListSchema,
  SearchResultSchema,
} from '../schemas/prospect.ts';

let api: TestApi;
let world: PublishedWorld;
let premium: string;
let free: string;

beforeAll(async () => {
  ({ api, world, premium, free } = await seededApi());
});
afterAll(async () => {
  await api?.close();
});

/** The body, checked against its schema: parsing drops undocumented fields, so equality means there were none. */
async function body<T extends z.ZodType>(res: Response, schema: T, status = 200): Promise<z.infer<T>> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const json = JSON.parse(text) as unknown;
  const parsed = schema.parse(json);
  expect(parsed).toEqual(json);
  return parsed;
}

async function problem(res: Response, status: number): Promise<{ detail: string }> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const json = JSON.parse(text) as { detail: string };
  expect(json.detail.length).toBeGreaterThan(0);
  return json;
}

const get = (path: string, token?: string) => api.request('GET', `/api/v1${path}`, { token });

describe('GET /api/v1/prospects', () => {
  it('lists the latest published snapshot by rank, 25 a page', async () => {
    const page = await body(await get('/prospects'), ProspectListSchema);
    expect(page.snapshot.id).toBe(world.current.id);
    expect(page).toMatchObject({ page: 1, pageSize: 25, total: 60, totalPages: 3 });
    expect(page.items.map((p) => p.rank)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const last = await body(await get('/prospects?page=3'), ProspectListSchema);
    expect(last.items.map((p) => p.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 51));
    const beyond = await body(await get('/prospects?page=9&pageSize=100'), ProspectListSchema);
    expect(beyond.items).toEqual([]);
  });

  it('filters by organization (abbreviation or id), type, level, ETA, confidence and position', async () => {
    const cle = await body(await get('/prospects?organization=cle&type=pitcher&pageSize=100'), ProspectListSchema);
    const expected = world.players
      .filter((p) => p.organization.abbreviation === 'CLE' && p.isPitcher)
      .map((p) => p.id)
      .sort();
    expect(cle.items.map((p) => p.playerId).sort()).toEqual(expected);
    const byId = await body(await get('/prospects?organization=114&type=pitcher&pageSize=100'), ProspectListSchema);
    expect(byId.items).toEqual(cle.items);
    const aPlus = await body(
      await get('/prospects?level=A%2B&eta=2027&confidence=High&pageSize=100'),
      ProspectListSchema,
    );
    expect(aPlus.total).toBe(
      world.players.filter((p) => p.level === 'A+' && p.eta === 2027 && p.confidence === 'High').length,
    );
    expect(aPlus.items.every((p) => p.level === 'A+' && p.eta === 2027 && p.confidence === 'High')).toBe(true);
    const ss = await body(await get('/prospects?position=ss&pageSize=100'), ProspectListSchema);
    expect(ss.total).toBeGreaterThan(0);
    expect(ss.items.every((p) => p.position === 'SS')).toBe(true);
  });

  it('sorts by probability, dynasty value, age and ETA, in either order', async () => {
    const byProbability = await body(await get('/prospects?sort=probability&pageSize=100'), ProspectListSchema);
    const probabilities = byProbability.items.map((p) => p.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    const youngest = await body(await get('/prospects?sort=age&pageSize=100'), ProspectListSchema);
    const ages = youngest.items.map((p) => p.age!);
    expect(ages).toEqual([...ages].sort((a, b) => a - b));
    const oldest = await body(await get('/prospects?sort=age&order=desc&pageSize=5'), ProspectListSchema);
    expect(oldest.items[0]!.age).toBe(Math.max(...ages));
    const dynasty = await body(await get('/prospects?sort=dynasty&order=asc&pageSize=100'), ProspectListSchema);
    const values = dynasty.items.map((p) => p.dynastyValue);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const eta = await body(await get('/prospects?sort=eta&order=desc&pageSize=100'), ProspectListSchema);
    expect(eta.items[0]!.eta).toBe(2029);
  });

  it('answers bad parameters with 400 problems, injection strings included', async () => {
    for (const query of [
      'pageSize=101',
      'page=0',
      'page=abc',
      'sort=name',
      'sort=rank;DROP TABLE users',
      'order=sideways',
      'level=A+',
      'type=both',
      'confidence=high',
      `position=SS'%20OR%20'1'='1`,
      'organization=99999999999',
      'organization=9999999999',
      'eta=twenty',
      'as_of=2025-02-30',
      'as_of=yesterday',
    ]) {
      await problem(await get(`/prospects?${query}`), 400);
    }
  });

  it('answers as_of with the snapshot published by then, and 404 before any', async () => {
    const older = await body(await get('/prospects?as_of=2025-05-31&pageSize=100'), ProspectListSchema);
    expect(older.snapshot.id).toBe(world.older.id);
    expect(older.total).toBe(56);
    expect(older.items[0]!.probability).toBeCloseTo(
      [...world.older.predictions.values()].find((p) => p.rank === 1)!.probability,
      5,
    );
    const sameDay = await body(await get('/prospects?as_of=2025-06-01'), ProspectListSchema);
    expect(sameDay.snapshot.id).toBe(world.current.id);
    await problem(await get('/prospects?as_of=2025-02-28'), 404);
  });
});

describe('GET /api/v1/prospects/filters', () => {
  it('lists every filter value with its count', async () => {
    const options = await body(await get('/prospects/filters'), FilterOptionsSchema);
    expect(options.total).toBe(60);
    expect(options.organizations.map((o) => o.abbreviation)).toEqual(['BOS', 'CLE', 'CWS', 'LAD', 'NYY', 'SF']);
    expect(options.levels.map((l) => l.value)).toEqual(['ROK', 'A', 'A+', 'AA', 'AAA']);
    expect(options.types).toEqual([
      { value: 'hitter', count: 40 },
      { value: 'pitcher', count: 20 },
    ]);
    expect(options.sorts).toEqual(['rank', 'probability', 'dynasty', 'age', 'eta']);
    const older = await body(await get('/prospects/filters?as_of=2025-03-01'), FilterOptionsSchema);
    expect(older.total).toBe(56);
  });
});

describe('GET /api/v1/prospects/search', () => {
  it('finds José Ramírez with a typo, without accents, in any case', async () => {
    for (const q of ['Ramirex', 'jose ramirez', 'JOSÉ RAMÍREZ', 'jose ramirex']) {
      const result = await body(await get(`/prospects/search?q=${encodeURIComponent(q)}`), SearchResultSchema);
      expect(
        result.items.map((h) => h.playerId),
        q,
      ).toContain(world.ids.joseRamirez);
    }
    const exact = await body(await get('/prospects/search?q=jose%20ramirez'), SearchResultSchema);
    expect(exact.query).toBe('jose ramirez');
    expect(exact.items[0]).toMatchObject({ playerId: world.ids.joseRamirez, name: 'José Ramírez', score: 1 });
    const moncada = await body(await get('/prospects/search?q=yoan%20moncda&limit=3'), SearchResultSchema);
    expect(moncada.items[0]!.name).toBe('Yoán Moncada');
    expect(moncada.items.length).toBeLessThanOrEqual(3);
  });

  it('does not serve an unpublished snapshot', async () => {
    const result = await body(await get('/prospects/search?q=phantom%20unpublished'), SearchResultSchema);
    expect(result.items).toEqual([]);
  });

  it('treats an injection string as a name to look for', async () => {
    const result = await body(
      await get(`/prospects/search?q=${encodeURIComponent("x'; DROP TABLE published_prospects; --")}`),
      SearchResultSchema,
    );
    expect(result.items).toEqual([]);
    expect((await body(await get('/prospects?pageSize=1'), ProspectListSchema)).total).toBe(60);
  });

  it('refuses an empty, one-character or oversized query', async () => {
    for (const query of ['', 'q=', 'q=j', 'q=%20j%20', `q=${'a'.repeat(101)}`, 'q=ab&limit=0', 'q=ab&limit=51']) {
      await problem(await get(`/prospects/search?${query}`), 400);
    }
  });

  it('answers quickly over the fixture (measured, not asserted)', async () => {
    const times: number[] = [];
    for (const q of ['ramirez', 'moncada', 'holliday', 'carlos', 'luis pena', 'andres nunez', 'ortiz', 'salas']) {
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        expect((await get(`/prospects/search?q=${encodeURIComponent(q)}&limit=${5 + i}`)).status).toBe(200);
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    console.info(
      `GET /prospects/search in-process: p50 ${times[times.length >> 1]!.toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(1)} ms`,
    );
  });
});

describe('GET /api/v1/prospects/{id}', () => {
  it('shows the card with its stat history', async () => {
    const { snapshot, prospect } = await body(
      await get(`/prospects/${world.ids.joseRamirez}`),
      ProspectDetailResponseSchema,
    );
    expect(snapshot.id).toBe(world.current.id);
    const served = world.current.predictions.get(world.ids.joseRamirez)!;
    expect(prospect).toMatchObject({
      playerId: world.ids.joseRamirez,
      name: 'José Ramírez',
      rank: served.rank,
      probability: served.probability,
    });
    expect(prospect.stats.map((s) => s.season)).toEqual([2024, 2025]);
    expect(prospect.history).toHaveLength(2);
    expect(prospect.factors.length).toBeGreaterThan(0);
  });

  it('reproduces the older snapshot with as_of', async () => {
    const { snapshot, prospect } = await body(
      await get(`/prospects/${world.ids.joseRamirez}?as_of=2025-04-01`),
      ProspectDetailResponseSchema,
    );
    expect(snapshot.id).toBe(world.older.id);
    const served = world.older.predictions.get(world.ids.joseRamirez)!;
    expect(prospect.rank).toBe(served.rank);
    expect(prospect.probability).toBe(served.probability);
    expect(prospect.stats.map((s) => s.season)).toEqual([2023, 2024]);
    await problem(await get(`/prospects/${world.ids.newcomer}?as_of=2025-04-01`), 404);
  });

  it('answers unknown ids with 404 and malformed ones with 4xx', async () => {
    await problem(await get('/prospects/123'), 404);
    await problem(await get(`/prospects/${world.ids.unpublishedOnly}`), 404);
    for (const id of [
      'abc',
      '99999999999',
      '2147483648',
      '0',
      '-5',
      '1.5',
      '1e3',
      '..%2F..%2Fetc%2Fpasswd',
      "1'%20OR%20'1'='1",
      '%00',
    ]) {
      await problem(await get(`/prospects/${id}`), 400);
    }
    const traversal = await get('/prospects/../../etc/passwd');
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(traversal.status).toBeLessThan(500);
  });
});

describe('GET /api/v1/prospects/compare', () => {
  const ids = () => [world.ids.yoanMoncada, world.ids.joseRamirez, world.ids.newcomer];

  it('is for premium accounts', async () => {
    await problem(await get(`/prospects/compare?ids=${ids().join(',')}`), 401);
    await problem(await get(`/prospects/compare?ids=${ids().join(',')}`, free), 403);
  });

  it('puts 2-4 prospects side by side, in the order asked', async () => {
    const result = await body(await get(`/prospects/compare?ids=${ids().join(',')}`, premium), CompareResponseSchema);
    expect(result.prospects.map((p) => p.playerId)).toEqual(ids());
    for (const p of result.prospects) {
      expect(p.stats.length).toBeGreaterThan(0);
      expect(p.factors.length).toBeGreaterThan(0);
      expect(p.eta).not.toBeNull();
      expect(p.dynasty.value).toBe(p.dynastyValue);
    }
    const older = await body(
      await get(`/prospects/compare?ids=${world.ids.joseRamirez},${world.ids.yoanMoncada}&as_of=2025-03-01`, premium),
      CompareResponseSchema,
    );
    expect(older.snapshot.id).toBe(world.older.id);
  });

  it('refuses too few, too many, repeated, malformed or unknown ids', async () => {
    const [a, b, c] = ids();
    for (const list of [
      `${a}`,
      `${a},${b},${c},900004,900005`,
      `${a},${a}`,
      `${a},abc`,
      `${a},99999999999`,
      `${a},,${b}`,
      '',
    ]) {
      await problem(await get(`/prospects/compare?ids=${list}`, premium), 400);
    }
    await problem(await get('/prospects/compare', premium), 400);
    await problem(await get(`/prospects/compare?ids=${a},123`, premium), 404);
  });
});

describe('OpenAPI', () => {
  it('documents every prospect route', async () => {
    const res = await api.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    for (const path of [
      '/api/v1/prospects',
      '/api/v1/prospects/filters',
      '/api/v1/prospects/search',
      '/api/v1/prospects/compare',
      '/api/v1/prospects/{id}',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths['/api/v1/prospects/compare']!.get!.parameters!.map((p) => p.name)).toEqual(['ids', 'as_of']);
  });
});
