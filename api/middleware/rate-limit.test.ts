import type { MiddlewareHandler } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { unreachableRedisUrl } from '../../test/redis.ts';
import type { ApiEnv, Role } from '../env.ts';
import { createRouter } from '../router.ts';
import { onError } from './errors.ts';
import { limitRoute, rateLimit } from './rate-limit.ts';

/** Stands in for the auth middleware on test-only routes: the caller given in the x-test-role header. */
const testCaller: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const role = c.req.header('x-test-role') as Role | undefined;
  if (role) c.set('auth', { userId: c.req.header('x-test-user') ?? `u-${role}`, role, tokenId: 't' });
  await next();
};

function addTestRoutes(api: TestApi): void {
  // Under /api/v1 so the general limit applies too, as it does to every real route.
  api.app.get('/api/v1/test/ping', (c) => c.json({ ok: true }));
  api.app.get(
    '/api/v1/test/predict',
    testCaller,
    limitRoute(api.deps, { name: 'predictions', limit: 2, windowSeconds: 60, roles: ['free'] }),
    (c) => c.json({ ok: true }),
  );
  api.app.post(
    '/api/v1/test/login',
    testCaller,
    limitRoute(api.deps, {
      name: 'login',
      limit: 5,
      windowSeconds: 60,
      roles: ['free', 'premium', 'admin'],
      failClosed: true,
    }),
    (c) => c.json({ ok: true }),
  );
}

describe('general rate limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { API_RATE_LIMIT_ANONYMOUS: '3', API_TRUST_PROXY: '1' } });
    addTestRoutes(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers RateLimit-* headers, then a 429 problem with Retry-After, counted in the metrics', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await api.request('GET', '/api/v1/test/ping', { headers: from }));
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ok.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(ok[0]!.headers.get('ratelimit-limit')).toBe('3');
    expect(ok[0]!.headers.get('ratelimit-policy')).toBe('3;w=60');

    const refused = await api.request('GET', '/api/v1/test/ping', { headers: from });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const problem = (await refused.json()) as { status: number; detail: string };
    expect(problem.status).toBe(429);
    expect(problem.detail).toMatch(/3 requests a minute for anonymous callers/);

    const metrics = await (await api.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/rate_limited_total\{bucket="general:anonymous"\} 1/);
  });

  it('counts each anonymous IP on its own (the last X-Forwarded-For hop when the proxy is trusted)', async () => {
    const other = await api.request('GET', '/api/v1/test/ping', {
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.8' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('2');
    // A client cannot escape its bucket by prepending a forged hop.
    const forged = await api.request('GET', '/api/v1/test/ping', {
      headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.8' },
    });
    expect(forged.headers.get('ratelimit-remaining')).toBe('1');
  });

  it('leaves health, docs and OpenAPI outside /api/v1 unlimited', async () => {
    for (let i = 0; i < 5; i++)
      expect((await api.request('GET', '/healthz', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(
        200,
      );
  });

  it('a route limit applies to the roles it names (anonymous counts as free), and others pass', async () => {
    const free = { 'x-test-role': 'free', 'x-forwarded-for': '192.0.2.50' };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await api.request('GET', '/api/v1/test/predict', { headers: free })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const premium = { 'x-test-role': 'premium', 'x-forwarded-for': '192.0.2.51' };
    for (let i = 0; i < 3; i++)
      expect((await api.request('GET', '/api/v1/test/predict', { headers: premium })).status).toBe(200);
    const anonymous = [];
    for (let i = 0; i < 3; i++)
      anonymous.push(
        (await api.request('GET', '/api/v1/test/predict', { headers: { 'x-forwarded-for': '192.0.2.52' } })).status,
      );
    expect(anonymous).toEqual([200, 200, 429]);
    const metrics = await (await api.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/rate_limited_total\{bucket="predictions"\} 2/);
  });
});

describe('role limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { API_RATE_LIMIT_FREE: '2', API_RATE_LIMIT_ADMIN: '0' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("uses each role's own limit per user, and 0 means unlimited", async () => {
    // The general limit reads c.var.auth, which the auth middleware sets before it: a small app from the same deps
    // with the stand-in caller in its place.
    const app = createRouter();
    app.use('*', testCaller);
    app.use('/api/v1/*', rateLimit(api.deps));
    app.get('/api/v1/x', (c) => c.json({ ok: true }));
    app.onError(onError());
    const call = (role: string, user: string) =>
      Promise.resolve(app.request('/api/v1/x', { headers: { 'x-test-role': role, 'x-test-user': user } }));
    expect([
      (await call('free', 'a')).status,
      (await call('free', 'a')).status,
      (await call('free', 'a')).status,
    ]).toEqual([200, 200, 429]);
    expect((await call('free', 'b')).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const res = await call('admin', 'root');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});

describe('rate limits with Redis unreachable', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl(), API_RATE_LIMIT_ANONYMOUS: '1' } });
    addTestRoutes(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('general limits fail open (no headers), fail-closed limits refuse with a 503 problem and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api.request('GET', '/api/v1/test/ping');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const login = await api.request('POST', '/api/v1/test/login', { body: {} });
    expect(login.status).toBe(503);
    expect(login.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(login.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await login.json()) as { detail: string }).detail).toMatch(/rate limit cannot be checked/);
  });
});
