/**
 * One JSON log line per request (pino): method, route pattern, status, duration, user. Bodies and the
 * Authorization header never reach the log.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ApiEnv } from '../env.ts';
import { requestLogParts } from './request-log.ts';

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
    // Through the base logger with the request's fields, so the request's own child logger is never made for it.
    const parts = requestLogParts(c.get('log'));
    const log = parts ? parts.base : c.get('log');
    const fields = parts ? { ...parts.bindings(), ...line } : line;
    if (status >= 500) log.error(fields, 'request failed');
    else log.info(fields, 'request');
  };
}
