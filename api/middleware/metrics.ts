/**
 * Counts every request and times it, by method, route pattern and status. The label is Hono's matched pattern
 * (`/api/v1/prospects/:id`), never the raw path, so a crawler cannot grow the label set without bound.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../env.ts';
import type { ApiMetrics } from '../metrics.ts';
import { routePattern } from './route-pattern.ts';

/** The label of a request no route matched (404s), so unknown paths share one series. */
export const UNMATCHED_ROUTE = 'unmatched';

export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(
        c.req.method,
        routePattern(c) ?? UNMATCHED_ROUTE,
        c.res.status,
        (performance.now() - started) / 1000,
      );
    }
  };
}
