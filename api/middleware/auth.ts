/**
 * Authentication and authorization: `authenticate` verifies a bearer access token when one is sent to /api/v1 (a bad
 * one is a 401, never treated as anonymous, so a client learns its token is no good, and counts against its IP's
 * bad-token limit: past it, a 429) and sets `c.var.auth`; `requireRole` guards a route.
 */
import type { MiddlewareHandler } from 'hono';
import { InvalidTokenError } from '../auth/keys.ts';
import type { ApiDeps, ApiEnv, Role } from '../env.ts';
import { HttpProblem } from '../problem.ts';
import { limitBadTokens } from './rate-limit.ts';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Where a token is never read: the token endpoints (a client refreshing typically still sends its expired access
 * token, which must not stop the refresh) and everything outside the versioned API (health, metrics, JWKS, docs).
 * The same prefix as app.ts's API_PREFIX, which this module cannot import (app.ts imports it).
 */
function readsToken(path: string): boolean {
  return path.startsWith('/api/v1/') && !path.startsWith('/api/v1/auth/');
}

function invalidToken(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('auth', null);
    const header = c.req.header('authorization');
    if (header !== undefined && readsToken(c.req.path)) {
      const token = BEARER.exec(header)?.[1];
      if (!token) {
        await limitBadTokens(deps, c);
        throw invalidToken('The Authorization header must be "Bearer <access token>".');
      }
      let verified;
      try {
        verified = await deps.keys.verifyAccessToken(token);
      } catch (error) {
        // Only a bad token is the caller's fault; the key store failing to load (database down) stays a 5xx.
        if (!(error instanceof InvalidTokenError)) throw error;
        await limitBadTokens(deps, c);
        throw invalidToken('The access token is invalid or expired.');
      }
      // The request's logger binds the user id from here on (middleware/request-log.ts).
      c.set('auth', verified);
    }
    await next();
  };
}

/** 401 without a token; 403 when the caller's role is not among `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
    if (!roles.includes(auth.role)) throw new HttpProblem(403, `This endpoint is for ${roles.join(' or ')} accounts.`);
    await next();
  };
}
