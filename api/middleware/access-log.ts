/**
 * One JSON log line per request (pino): method, route pattern, status, duration, user. Bodies and the
 * Authorization header never reach the log.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ApiEnv } from '../env.ts';

export function accessLog(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      route: routePath(c, -1),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      // c.get, not c.var: Hono builds a fresh object of every variable on each c.var access.
      userId: c.get('auth')?.userId,
    };
    const log = c.get('log');
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
