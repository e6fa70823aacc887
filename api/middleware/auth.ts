/**
 * Authentication and authorization: `authenticate` verifies a bearer access token when one is sent (a bad one is a
 * 401, never treated as anonymous) and sets `c.var.auth`; `requireRole` guards a route. STUB: to be built.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiDeps, ApiEnv, Role } from '../env.ts';
import { HttpProblem } from '../problem.ts';

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  void deps;
  return async (_c, next) => { await next(); };
}

/** 401 without a token; 403 when the caller's role is not among `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.var.auth;
    if (!auth) throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
    if (!roles.includes(auth.role)) throw new HttpProblem(403, `This endpoint is for ${roles.join(' or ')} accounts.`);
    await next();
  };
}
