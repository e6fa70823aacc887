/**
 * Counts every request and times it, by method, route pattern and status. The label is Hono's matched pattern
 * (`/api/v1/prospects/:id`), never the raw path, so a crawler cannot grow the label set without bound.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiEnv } from '../env.ts';
import type { ApiMetrics } from '../metrics.ts';

/** The label of a request no route matched (404s), so unknown paths share one series. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route that answered: middleware are registered for every method ('ALL'), routes for one. Several
 * routes may match one path (`/prospects/search` matches `/prospects/:id` too); Hono runs them in registration order,
 * so the one that answered is the handler last dispatched (`routeIndex`), or, when a middleware answered first (a 401
 * or 429), the first route after it: the one that would have.
 */
function routeLabel(c: Context<ApiEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = Math.max(0, c.req.routeIndex); i < routes.length; i++) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return route.path;
  }
  return UNMATCHED_ROUTE;
}

export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
    }
  };
}
