import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/audit-log.ts';
import { seedPublishedWorld, type PublishedWorld } from '../../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, login, type TestUser } from '../../test/api-users.ts';

let api: TestApi;
let world: PublishedWorld;
let admin: TestUser;
let free: TestUser;
let premium: TestUser;

beforeAll(async () => {
  api = await createTestApi();
  [admin, free, premium] = await Promise.all([
    createUser(api, 'admin'),
    createUser(api, 'free'),
    createUser(api, 'premium'),
  ]);
});
afterAll(async () => {
  await api?.close();
});

describe('admin routes', () => {
  it.each([
    ['GET', '/api/v1/admin/users'],
    ['GET', '/api/v1/admin/status'],
    ['PUT', '/api/v1/admin/users/00000000-0000-4000-8000-000000000000/role'],
  ])('%s %s is 401 without a token and 403 for free and premium users', async (method, path) => {
    const body = method === 'PUT' ? { role: 'premium' } : undefined;
    expect((await api.request(method, path, { body })).status).toBe(401);
    for (const user of [free, premium]) {
      const res = await api.request(method, path, { body, token: user.accessToken });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('lists accounts with paging and a role filter, without password hashes', async () => {
    const res = await api.request('GET', '/api/v1/admin/users?limit=2&offset=0', { token: admin.accessToken });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { users: Record<string, unknown>[]; total: number; limit: number };
    expect(page.users).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(3);
    for (const user of page.users)
      expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'lastLoginAt', 'role', 'userId']);
    const admins = (await (
      await api.request('GET', '/api/v1/admin/users?role=admin', { token: admin.accessToken })
    ).json()) as { users: { email: string }[] };
    expect(admins.users.map((u) => u.email)).toEqual([admin.email]);
  });

  it.each(['limit=0', 'limit=abc', 'limit=100000', 'offset=-1', 'role=root', 'sort=email'])(
    'refuses the query %s with a 400',
    async (query) => {
      expect((await api.request('GET', `/api/v1/admin/users?${query}`, { token: admin.accessToken })).status).toBe(400);
    },
  );

  it('sets a role, audits it, and the next login carries it', async () => {
    const user = await createUser(api);
    const res = await api.request('PUT', `/api/v1/admin/users/${user.userId}/role`, {
      token: admin.accessToken,
      body: { role: 'premium' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: user.userId, role: 'premium' });
    const audit = await auditEntries(api.deps.pool, { action: 'user.set_role', subject: user.userId });
    expect(audit).toMatchObject([{ actor: admin.userId, details: { from: 'free', to: 'premium' } }]);
    const pair = await login(api, user.email, user.password);
    expect((await api.deps.keys.verifyAccessToken(pair.accessToken)).role).toBe('premium');
  });

  it("refuses an unknown user (404), a bad role or body (400), a bad id (400) and the admin's own role (409)", async () => {
    const put = (id: string, body: unknown) =>
      api.request('PUT', `/api/v1/admin/users/${id}/role`, { token: admin.accessToken, body });
    expect((await put(crypto.randomUUID(), { role: 'premium' })).status).toBe(404);
    expect((await put(free.userId, { role: 'superuser' })).status).toBe(400);
    expect((await put(free.userId, { role: 'premium', reason: 'x' })).status).toBe(400);
    expect((await put('1; DROP TABLE users', { role: 'premium' })).status).toBe(400);
    expect((await put(admin.userId, { role: 'free' })).status).toBe(409);
  });

  it('shows nothing run before the pipeline ran, then the serving model and the last run', async () => {
    const empty = await (await api.request('GET', '/api/v1/admin/status', { token: admin.accessToken })).json();
    expect(empty).toEqual({
      servingModel: null,
      lastPipelineRun: { ingest: null, prediction: null, ranking: null, lastPublishedAt: null },
    });
    world = await seedPublishedWorld(api.deps.pool);
    await api.deps.pool.query(
      `INSERT INTO ingest_batches (source, season, started_at, finished_at) VALUES ('mlb-stats-api', 2025, '2025-06-01T06:00:00Z', '2025-06-01T06:10:00Z')`,
    );
    const res = await api.request('GET', '/api/v1/admin/status', { token: admin.accessToken });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      servingModel: { modelVersion: string };
      lastPipelineRun: {
        ingest: { source: string };
        ranking: { snapshotId: string; publishedAt: string | null };
        lastPublishedAt: string;
      };
    };
    expect(body.servingModel.modelVersion).toBe(world.current.modelVersion);
    expect(body.lastPipelineRun.ingest.source).toBe('mlb-stats-api');
    // The newest snapshot is the one generated but never published.
    expect(body.lastPipelineRun.ranking).toMatchObject({ snapshotId: world.unpublishedSnapshotId, publishedAt: null });
    expect(new Date(body.lastPipelineRun.lastPublishedAt).getTime()).toBe(world.current.publishedAt.getTime());
  });
});
