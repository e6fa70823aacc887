import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPublishedWorld, type PublishedWorld } from '../../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';
import { DEFAULT_PREFERENCES } from './users.ts';

let api: TestApi;
let world: PublishedWorld;
let ann: TestUser;
let bob: TestUser;

beforeAll(async () => {
  api = await createTestApi();
  world = await seedPublishedWorld(api.deps.pool);
  [ann, bob] = await Promise.all([createUser(api), createUser(api, 'premium')]);
});
afterAll(async () => {
  await api?.close();
});

describe('profile and preferences', () => {
  it("shows the caller's profile under me and under the own id, with only documented fields", async () => {
    for (const id of ['me', ann.userId, ann.userId.toUpperCase()]) {
      const res = await api.request('GET', `/api/v1/users/${id}`, { token: ann.accessToken });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'preferences', 'role', 'userId']);
      expect(body).toMatchObject({
        userId: ann.userId,
        email: ann.email,
        role: 'free',
        preferences: DEFAULT_PREFERENCES,
      });
    }
  });

  it('needs a token', async () => {
    const res = await api.request('GET', '/api/v1/users/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('saves preferences and shows them in the profile', async () => {
    const preferences = {
      strategy: 'contending',
      scoringWeights: { probability: 0.7, eta: 0.3, age: 0, dynastyValue: 1 },
    };
    const res = await api.request('PUT', '/api/v1/users/me/preferences', { token: ann.accessToken, body: preferences });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(preferences);
    const profile = (await (await api.request('GET', '/api/v1/users/me', { token: ann.accessToken })).json()) as {
      preferences: unknown;
    };
    expect(profile.preferences).toEqual(preferences);
  });

  it.each([
    ['an unknown strategy', { strategy: 'tanking', scoringWeights: DEFAULT_PREFERENCES.scoringWeights }],
    [
      'a weight out of bounds',
      { strategy: 'contending', scoringWeights: { ...DEFAULT_PREFERENCES.scoringWeights, age: 5 } },
    ],
    [
      'a weight of the wrong type',
      { strategy: 'contending', scoringWeights: { ...DEFAULT_PREFERENCES.scoringWeights, age: '0.5' } },
    ],
    ['an unknown field', { ...DEFAULT_PREFERENCES, theme: 'dark' }],
    [
      'an unknown weight',
      { strategy: 'contending', scoringWeights: { ...DEFAULT_PREFERENCES.scoringWeights, speed: 0.1 } },
    ],
    ['a missing field', { strategy: 'contending' }],
  ])('refuses %s with a 400 problem naming the field', async (_name, body) => {
    const res = await api.request('PUT', '/api/v1/users/me/preferences', { token: bob.accessToken, body });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { detail: string; errors: { path: string }[] };
    expect(problem.errors[0]?.path).toMatch(/^body/);
  });

  it('refuses malformed JSON with a 400', async () => {
    const res = await api.request('PUT', '/api/v1/users/me/preferences', {
      token: bob.accessToken,
      rawBody: '{"strategy":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });
});

describe('watchlist', () => {
  it('adds, lists with the latest rank change, and removes, idempotently', async () => {
    const { joseRamirez, newcomer } = world.ids;
    for (const id of [joseRamirez, joseRamirez, newcomer]) {
      expect((await api.request('PUT', `/api/v1/users/me/watchlist/${id}`, { token: bob.accessToken })).status).toBe(
        204,
      );
    }
    const res = await api.request('GET', `/api/v1/users/${bob.userId}/watchlist`, { token: bob.accessToken });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      snapshotId: string;
      items: { playerId: number; rank: number | null; rankChange: number | null }[];
    };
    expect(body.snapshotId).toBe(world.current.id);
    const jose = body.items.find((item) => item.playerId === joseRamirez)!;
    const before = world.older.predictions.get(joseRamirez)!.rank;
    const now = world.current.predictions.get(joseRamirez)!.rank;
    expect(jose).toMatchObject({ rank: now, rankChange: before - now });
    expect(Object.keys(jose).sort()).toEqual(['addedAt', 'name', 'playerId', 'rank', 'rankChange']);
    expect(body.items.find((item) => item.playerId === newcomer)).toMatchObject({
      rank: world.current.predictions.get(newcomer)!.rank,
      rankChange: null,
    });
    expect(body.items).toHaveLength(2);

    for (let i = 0; i < 2; i++) {
      expect(
        (await api.request('DELETE', `/api/v1/users/me/watchlist/${newcomer}`, { token: bob.accessToken })).status,
      ).toBe(204);
    }
    const after = (await (
      await api.request('GET', '/api/v1/users/me/watchlist', { token: bob.accessToken })
    ).json()) as { items: { playerId: number }[] };
    expect(after.items.map((item) => item.playerId)).toEqual([joseRamirez]);
  });

  it('answers 404 to a prospect that does not exist', async () => {
    const res = await api.request('PUT', '/api/v1/users/me/watchlist/123456789', { token: bob.accessToken });
    expect(res.status).toBe(404);
  });

  it("answers 404 when user A reads or changes user B's watchlist, and B's list is untouched", async () => {
    const id = world.ids.yoanMoncada;
    await api.request('PUT', `/api/v1/users/me/watchlist/${id}`, { token: bob.accessToken });
    const attempts = [
      api.request('GET', `/api/v1/users/${bob.userId}/watchlist`, { token: ann.accessToken }),
      api.request('PUT', `/api/v1/users/${bob.userId}/watchlist/${world.ids.newcomer}`, { token: ann.accessToken }),
      api.request('DELETE', `/api/v1/users/${bob.userId}/watchlist/${id}`, { token: ann.accessToken }),
      api.request('GET', `/api/v1/users/${bob.userId}`, { token: ann.accessToken }),
      api.request('PUT', `/api/v1/users/${bob.userId}/preferences`, {
        token: ann.accessToken,
        body: DEFAULT_PREFERENCES,
      }),
      // An id nobody has answers the same as someone else's.
      api.request('GET', `/api/v1/users/${crypto.randomUUID()}/watchlist`, { token: ann.accessToken }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const list = (await (
      await api.request('GET', '/api/v1/users/me/watchlist', { token: bob.accessToken })
    ).json()) as { items: { playerId: number }[] };
    expect(list.items.map((item) => item.playerId)).toContain(id);
    expect(list.items.map((item) => item.playerId)).not.toContain(world.ids.newcomer);
  });

  it.each([
    ['a path traversal as user id', '/api/v1/users/..%2F..%2Fetc%2Fpasswd/watchlist'],
    ['an SQL injection as user id', `/api/v1/users/${encodeURIComponent("me' OR '1'='1")}/watchlist`],
    ['an oversized user id', `/api/v1/users/${'a'.repeat(5000)}/watchlist`],
    ['an SQL injection as player id', `/api/v1/users/me/watchlist/${encodeURIComponent('1 OR 1=1')}`],
    ['an oversized player id', '/api/v1/users/me/watchlist/99999999999999999999'],
    ['a negative player id', '/api/v1/users/me/watchlist/-5'],
  ])('refuses %s with a 4xx problem', async (_name, path) => {
    const method = path.endsWith('/watchlist') ? 'GET' : 'PUT';
    const res = await api.request(method, path, { token: bob.accessToken });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
