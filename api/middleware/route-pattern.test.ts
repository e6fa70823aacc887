import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { routePattern } from './route-pattern.ts';

function appRecording(seen: (string | undefined)[]): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    seen.push(routePattern(c));
  });
  app.use('/guarded/*', async (c, next) => (c.req.header('authorization') ? next() : c.text('no', 401)));
  app.get('/prospects/filters', (c) => c.text('filters'));
  app.get('/prospects/:id', (c) => c.text('one'));
  app.get('/guarded/:id', (c) => c.text('guarded'));
  return app;
}

describe('routePattern', () => {
  it('names the route that answered when a later pattern also matches', async () => {
    const seen: (string | undefined)[] = [];
    const app = appRecording(seen);
    expect(await (await app.request('/prospects/filters')).text()).toBe('filters');
    expect(await (await app.request('/prospects/123')).text()).toBe('one');
    expect(seen).toEqual(['/prospects/filters', '/prospects/:id']);
  });

  it('names the route a middleware answered for, and nothing for a 404', async () => {
    const seen: (string | undefined)[] = [];
    const app = appRecording(seen);
    expect((await app.request('/guarded/7')).status).toBe(401);
    expect((await app.request('/guarded/7', { headers: { authorization: 'x' } })).status).toBe(200);
    expect((await app.request('/nowhere')).status).toBe(404);
    expect(seen).toEqual(['/guarded/:id', '/guarded/:id', undefined]);
  });
});
