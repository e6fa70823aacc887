/**
 * The general rate limit of /api/v1, per user (or per IP for anonymous callers), by role; and `limitRoute`, a
 * route's own tighter limit (free users' 10 predictions a minute). Answers carry RateLimit-* headers (IETF draft:
 * limit, remaining, seconds to reset, policy); a refusal is a 429 problem with Retry-After, counted in the metrics.
 * When Redis is down the general limit lets requests through (an outage of an accelerator must not take the API
 * down); a route limit given `failClosed` refuses them with a 503 instead. `countBadToken` counts failed
 * authentications per IP, which the general limit never sees (authentication refuses them first).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { clientIp } from '../client-ip.ts';
import type { ApiDeps, ApiEnv, RateLimitResult, Role } from '../env.ts';
import { HttpProblem } from '../problem.ts';

export const GENERAL_WINDOW_SECONDS = 60;

/** Whose counter a request counts against: the user, or the IP of an anonymous caller. */
export function callerKey(c: Context<ApiEnv>, trustProxy: boolean): string {
  const auth = c.get('auth');
  return auth ? `user:${auth.userId}` : `ip:${clientIp(c, trustProxy)}`;
}

function setHeaders(c: Context<ApiEnv>, result: RateLimitResult, windowSeconds: number): void {
  c.header('ratelimit-limit', String(result.limit));
  c.header('ratelimit-remaining', String(result.remaining));
  c.header('ratelimit-reset', String(result.resetSeconds));
  c.header('ratelimit-policy', `${result.limit};w=${windowSeconds}`);
}

function refuse(deps: ApiDeps, bucket: string, result: RateLimitResult, what: string): never {
  deps.metrics.rateLimited(bucket);
  throw new HttpProblem(429, `Rate limit exceeded: ${what}. Retry in ${result.resetSeconds} s.`, {
    type: 'https://afinewinedynasty.com/problems/rate-limited',
    headers: { 'retry-after': String(result.resetSeconds) },
  });
}

function isDegraded(result: RateLimitResult): boolean {
  return (result as RateLimitResult & { degraded?: boolean }).degraded === true;
}

export function rateLimit(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  const { rateLimits, trustProxy } = deps.config.api;
  return async (c, next) => {
    // Preflights carry no credentials and cost nothing: never count them.
    if (c.req.method === 'OPTIONS') return next();
    const role = c.get('auth')?.role ?? 'anonymous';
    const limit = rateLimits[role];
    if (limit === 0) return next();
    const result = await deps.limiter.hit(`${callerKey(c, trustProxy)}:general`, limit, GENERAL_WINDOW_SECONDS);
    if (!isDegraded(result)) setHeaders(c, result, GENERAL_WINDOW_SECONDS);
    if (!result.allowed)
      refuse(
        deps,
        `general:${role}`,
        result,
        `${limit} requests a minute for ${role === 'anonymous' ? 'anonymous callers' : `${role} accounts`}`,
      );
    await next();
  };
}

/** Bad bearer tokens a client IP may send a minute before its next one is a 429 rather than a 401. */
export const BAD_TOKEN_LIMIT = 60;
export const BAD_TOKEN_WINDOW_SECONDS = 60;

/**
 * Counts a failed authentication against an IP (per IP, not per user: a bad token names no one). Returns the
 * refusal once the IP has sent more than BAD_TOKEN_LIMIT bad tokens in the window, counted in the metrics; null
 * otherwise, and while Redis is down (fails open: the caller gets its 401).
 */
export async function countBadToken(deps: ApiDeps, ip: string): Promise<RateLimitResult | null> {
  const result = await deps.limiter.hit(`ip:${ip}:bad-token`, BAD_TOKEN_LIMIT, BAD_TOKEN_WINDOW_SECONDS);
  if (result.allowed || isDegraded(result)) return null;
  deps.metrics.rateLimited('bad-token');
  return result;
}

export interface RouteLimit {
  /** Names the limit in bucket keys, metrics and messages (`predictions`). */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Roles the limit applies to; anonymous callers count as `free`. */
  roles: readonly Role[];
  /** Refuse (503) rather than allow while Redis is down: for limits that guard against abuse (login, register). */
  failClosed?: boolean;
}

/** A route's own limit, for the roles listed (anonymous counts as `free`); other roles pass. */
export function limitRoute(deps: ApiDeps, options: RouteLimit): MiddlewareHandler<ApiEnv> {
  const { trustProxy } = deps.config.api;
  return async (c, next) => {
    const role = c.get('auth')?.role ?? 'free';
    if (!options.roles.includes(role)) return next();
    const result = await deps.limiter.hit(
      `${callerKey(c, trustProxy)}:${options.name}`,
      options.limit,
      options.windowSeconds,
      { failClosed: options.failClosed },
    );
    if (isDegraded(result)) {
      if (result.allowed) return next();
      deps.metrics.rateLimited(options.name);
      throw new HttpProblem(
        503,
        `This endpoint is briefly unavailable (its rate limit cannot be checked). Retry in ${result.resetSeconds} s.`,
        {
          headers: { 'retry-after': String(result.resetSeconds) },
        },
      );
    }
    setHeaders(c, result, options.windowSeconds);
    if (!result.allowed)
      refuse(deps, options.name, result, `${options.limit} ${options.name} per ${options.windowSeconds} s`);
    await next();
  };
}
