/**
 * The general rate limit of /api/v1, per user (or per IP for anonymous callers), by role; and `limitRoute`, a
 * route's own tighter limit (free users' 10 predictions a minute). STUB: to be built.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiDeps, ApiEnv, Role } from '../env.ts';

export function rateLimit(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  void deps;
  return async (_c, next) => { await next(); };
}

/** A route's own limit, for the roles listed (anonymous counts as `free`); other roles pass. */
export function limitRoute(deps: ApiDeps, options: { name: string; limit: number; windowSeconds: number; roles: readonly Role[] }): MiddlewareHandler<ApiEnv> {
  void deps; void options;
  return async (_c, next) => { await next(); };
}
