import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiEnv } from '../env.ts';
import type { ApiMetrics } from '../metrics.ts';
import { requestMetrics } from './metrics.ts';

/** An app with the metrics middleware, a rate-limit-like middleware, and two routes that both match /p/search. */
function appRecording(): { app: Hono<ApiEnv>; seen: { route: string; status: number }[] } {
  const seen: { route: string; status: number }[] = [];
  const metrics = {
    observeRequest: (_m: string, route: string, status: number) => seen.push({ route, status }),
  } as unknown as ApiMetrics;
  const app = new Hono<ApiEnv>();
  app.use('*', requestMetrics(metrics));
  app.use('*', async (c, next) => (c.req.header('x-refuse') ? c.text('slow down', 429) : next()));
  app.get('/p/search', (c) => (c.req.query('fail') ? Promise.reject(new Error('pool timeout')) : c.text('hits')));
  app.get('/p/:id', (c) => c.text(`card ${c.req.param('id')}`));
  app.onError((_error, c) => c.text('failed', 500));
  return { app, seen };
}

describe('requestMetrics route label', () => {
  it('labels a request with the route that answered when a later pattern also matches its path', async () => {
    const { app, seen } = appRecording();
    await app.request('/p/search');
    await app.request('/p/search?fail=1');
    await app.request('/p/42');
    expect(seen).toEqual([
      { route: '/p/search', status: 200 },
      { route: '/p/search', status: 500 },
      { route: '/p/:id', status: 200 },
    ]);
  });

  it('labels a request a middleware refused with the route that would have answered, and unknown paths as unmatched', async () => {
    const { app, seen } = appRecording();
    await app.request('/p/search', { headers: { 'x-refuse': '1' } });
    await app.request('/nowhere');
    expect(seen).toEqual([
      { route: '/p/search', status: 429 },
      { route: 'unmatched', status: 404 },
    ]);
  });
});
