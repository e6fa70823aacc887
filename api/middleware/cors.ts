/**
 * CORS for the configured browser origins only (API_CORS_ORIGINS, by default the rankings site). Bearer tokens,
 * not cookies, carry identity, so credentials are not allowed cross-origin.
 *
 * Preflights (OPTIONS) go through Hono's middleware. Every other request gets the same headers Hono's would give it
 * (Access-Control-Allow-Origin for an allowed Origin, Access-Control-Expose-Headers, Vary: Origin), but set once the
 * answer is made: Hono's sets them before, on a placeholder response that every route's answer must then be copied
 * over, which made @hono/node-server build a full Response for every request (about 6% of a cached card's CPU).
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { ApiEnv } from '../env.ts';

const EXPOSE_HEADERS = ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'];

export function corsPolicy(origins: readonly string[]): MiddlewareHandler<ApiEnv> {
  const allowed = new Set(origins);
  const preflight = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: 600,
  });
  const expose = EXPOSE_HEADERS.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    // c.res.headers, not c.header(): once the answer is made, c.header() rebuilds it as a full Response.
    const headers = c.res.headers;
    const origin = c.req.header('origin');
    if (origin !== undefined && allowed.has(origin)) headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', expose);
    headers.append('vary', 'Origin');
  };
}
