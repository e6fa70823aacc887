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

/** The pattern of the route that answered: middleware are registered for every method ('ALL'), routes for one. */
function routeLabel(c: Context<ApiEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
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
