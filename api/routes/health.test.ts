import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { seedChampion } from '../../test/api-seed.ts';
import { unreachableRedisUrl } from '../../test/redis.ts';
import { startDraining } from '../lifecycle.ts';

describe('health routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('GET /healthz answers 200 without touching anything', async () => {
    const res = await api.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /readyz is a 503 problem naming the missing model, then 200 once a champion exists', async () => {
    const before = await api.request('GET', '/readyz');
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await before.json()) as { detail: string };
    expect(problem.detail).toMatch(/no model is serving/);
    expect(problem.detail).not.toMatch(/Redis|database/);

    await seedChampion(api.db.pool, 'm-health');
    const after = await api.request('GET', '/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok', model: 'ok' },
      modelVersion: 'm-health',
    });
  });

  it('GET /metrics exposes request counters by route pattern, never the raw path', async () => {
    await api.request('GET', '/healthz');
    await api.request('GET', '/no/such/path/12345');
    await api.request('GET', '/api/docs/swagger-ui.css');
    const res = await api.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(body).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(body).toMatch(/http_requests_total\{method="GET",route="\/api\/docs\/:file",status="200"\} 1/);
    expect(body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\}/,
    );
    expect(body).not.toContain('12345');
    expect(body).toContain('# TYPE cache_requests_total counter');
    expect(body).toContain('# TYPE rate_limited_total counter');
  });

  it('GET /readyz is a 503 while the server drains', async () => {
    const draining = await createTestApi();
    try {
      await seedChampion(draining.db.pool);
      expect((await draining.request('GET', '/readyz')).status).toBe(200);
      startDraining(draining.deps);
      const res = await draining.request('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/shutting down/);
      expect((await draining.request('GET', '/healthz')).status).toBe(200);
    } finally {
      await draining.close();
    }
  });
});

describe('health with Redis unreachable', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl() } });
    await seedChampion(api.db.pool);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('/readyz stays 200 but says degraded, naming Redis, while /healthz, /metrics and the docs still answer', async () => {
    expect(api.deps.redis.ready()).toBe(false);
    const ready = await api.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      checks: { database: 'ok', redis: 'unavailable', model: 'ok' },
    });
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    expect((await api.request('GET', '/metrics')).status).toBe(200);
    expect((await api.request('GET', '/api/openapi.json')).status).toBe(200);
  });
});
