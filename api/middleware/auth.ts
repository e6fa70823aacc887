/**
 * Authentication and authorization: `authenticate` verifies a bearer access token when one is sent to /api/v1 and
 * sets `c.var.auth`; a bad one is a 401, never treated as anonymous, so a client learns its token is no good.
 * Bad tokens count against the sender's IP (an expired token of ours does not: it is a client that should refresh).
 * Past BAD_TOKEN_LIMIT a minute, the IP's tokens are no longer verified at all until its window ends (a flood of
 * forged tokens must not cost a signature check each): only tokens this process already verified pass, the rest get
 * a 429. `requireRole` guards a route.
 */
import type { MiddlewareHandler } from 'hono';
import { InvalidTokenError } from '../auth/keys.ts';
import type { ApiDeps, ApiEnv, Role } from '../env.ts';
import { HttpProblem } from '../problem.ts';
import { clientIp, UNKNOWN_IP } from '../client-ip.ts';
import { countBadToken } from './rate-limit.ts';

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

/** IPs remembered as past the bad-token limit; beyond this, the oldest is forgotten (it is counted in Redis still). */
const MAX_BLOCKED_IPS = 10_000;

function tooManyBadTokens(retryAfterSeconds: number): HttpProblem {
  return new HttpProblem(429, `Too many invalid access tokens from this address; retry in ${retryAfterSeconds} s.`, {
    type: 'https://afinewinedynasty.com/problems/rate-limited',
    // Still says the token is the problem, so a client that refreshes on invalid_token does so.
    headers: { 'retry-after': String(retryAfterSeconds), 'www-authenticate': 'Bearer error="invalid_token"' },
  });
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  const blocked = new Map<string, number>();
  const block = (ip: string, seconds: number) => {
    blocked.delete(ip);
    blocked.set(ip, Date.now() + seconds * 1000);
    if (blocked.size > MAX_BLOCKED_IPS) blocked.delete(blocked.keys().next().value!);
  };
  /** Counts a bad token unless the request has no address (in-process tests); the 429 once past the limit. */
  const refuse = async (ip: string, expired: boolean, problem: HttpProblem): Promise<never> => {
    if (ip !== UNKNOWN_IP && !expired) {
      const over = await countBadToken(deps, ip);
      if (over) {
        block(ip, over.resetSeconds);
        throw tooManyBadTokens(over.resetSeconds);
      }
    }
    throw problem;
  };

  return async (c, next) => {
    c.set('auth', null);
    const header = c.req.header('authorization');
    if (header !== undefined && readsToken(c.req.path)) {
      const ip = clientIp(c, deps.config.api.trustProxy);
      const token = BEARER.exec(header)?.[1];
      const until = blocked.get(ip);
      if (until !== undefined) {
        const left = until - Date.now();
        if (left > 0) {
          const known = token ? deps.keys.alreadyVerified(token) : undefined;
          if (!known) {
            deps.metrics.rateLimited('bad-token');
            throw tooManyBadTokens(Math.ceil(left / 1000));
          }
          c.set('auth', known);
          await next();
          return;
        }
        blocked.delete(ip);
      }
      if (!token) return refuse(ip, false, invalidToken('The Authorization header must be "Bearer <access token>".'));
      let verified;
      try {
        verified = await deps.keys.verifyAccessToken(token);
      } catch (error) {
        // Only a bad token is the caller's fault; the key store failing to load (database down) stays a 5xx.
        if (!(error instanceof InvalidTokenError)) throw error;
        return refuse(ip, error.expired, invalidToken('The access token is invalid or expired.'));
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
    if (!auth)
      throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
    if (!roles.includes(auth.role)) throw new HttpProblem(403, `This endpoint is for ${roles.join(' or ')} accounts.`);
    await next();
  };
}
