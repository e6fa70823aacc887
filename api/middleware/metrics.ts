/** Counts every request and times it, by method, route pattern and status. STUB: to be built. */
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../env.ts';
import type { ApiMetrics } from '../metrics.ts';

export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler<ApiEnv> {
  void metrics;
  return async (_c, next) => { await next(); };
}
