/**
 * CORS for the configured browser origins only (API_CORS_ORIGINS, by default the rankings site). Bearer tokens carry
 * identity; the one cookie, the refresh token's (api/auth/refresh-cookie.ts), is scoped to /api/v1/auth, so only
 * there may an allowed origin send credentials (and the X-Requested-With header its CSRF guard asks for).
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
/** Where the refresh cookie goes: credentialed requests are allowed there only. */
const CREDENTIALED_PREFIX = '/api/v1/auth/';

export function corsPolicy(origins: readonly string[]): MiddlewareHandler<ApiEnv> {
  const allowed = new Set(origins);
  const preflight = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'X-Requested-With'],
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: 600,
  });
  const expose = EXPOSE_HEADERS.join(',');
  return async (c, next) => {
    const origin = c.req.header('origin');
    const credentialed = origin !== undefined && allowed.has(origin) && c.req.path.startsWith(CREDENTIALED_PREFIX);
    if (c.req.method === 'OPTIONS') {
      const answer = await preflight(c, next);
      if (credentialed && answer) answer.headers.set('access-control-allow-credentials', 'true');
      return answer;
    }
    await next();
    // c.res.headers, not c.header(): once the answer is made, c.header() rebuilds it as a full Response.
    const headers = c.res.headers;
    if (origin !== undefined && allowed.has(origin)) headers.set('access-control-allow-origin', origin);
    if (credentialed) headers.set('access-control-allow-credentials', 'true');
    headers.set('access-control-expose-headers', expose);
    headers.append('vary', 'Origin');
  };
}
