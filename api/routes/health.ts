/**
 * Health of the API: /healthz (liveness: the process answers, no I/O), /readyz (readiness: the database answers,
 * a serving model exists, and the server is not draining; a 503 problem names what is not ready; Redis is checked
 * and reported, but without it the API still serves (no cache, login refused), so a Redis outage answers 200
 * `degraded` rather than take every instance out of a load balancer at once) and /metrics (Prometheus text).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { pingDatabase } from '../../db/health.ts';
import { servingModel } from '../../db/models.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { isDraining } from '../lifecycle.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

/** Longest a readiness check waits for the database before calling it not ready. */
export const READINESS_DB_TIMEOUT_MS = 2000;

const LiveSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');
const ReadySchema = z
  .object({
    status: z
      .enum(['ready', 'degraded'])
      .openapi({ description: '`degraded`: serving without Redis (no cache; login and registration refused).' }),
    checks: z.object({ database: z.literal('ok'), redis: z.enum(['ok', 'unavailable']), model: z.literal('ok') }),
    modelVersion: z.string(),
  })
  .openapi('Readiness');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process answers (no I/O).',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: LiveSchema } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary:
    'Readiness: the database and a serving model are available and the server is not shutting down; Redis is reported (degraded without it).',
  responses: {
    200: { description: 'Ready to serve', content: { 'application/json': { schema: ReadySchema } } },
    ...problemResponses(503),
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary: 'Prometheus metrics: requests by route and status, latency histograms, cache results, rate-limit refusals.',
  responses: {
    200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
  },
});

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(healthz, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ status: 'ok' as const }, 200);
  });

  app.openapi(readyz, async (c) => {
    c.header('cache-control', 'no-store');
    if (isDraining(deps))
      throw new HttpProblem(503, 'Not ready: the server is shutting down.', { headers: { 'retry-after': '5' } });
    const failing: string[] = [];
    const [database, model] = await Promise.allSettled([
      withTimeout(pingDatabase(deps.pool), READINESS_DB_TIMEOUT_MS, 'the database'),
      withTimeout(servingModel(deps.pool), READINESS_DB_TIMEOUT_MS, 'the database'),
    ]);
    if (database.status === 'rejected')
      failing.push(`the database does not answer (${(database.reason as Error).message})`);
    if (model.status === 'rejected') {
      if (database.status === 'fulfilled')
        failing.push(`the serving model could not be read (${(model.reason as Error).message})`);
    } else if (model.value === null) failing.push('no model is serving (none has been promoted yet)');
    if (failing.length || model.status === 'rejected' || !model.value) {
      throw new HttpProblem(503, `Not ready: ${failing.join('; ')}.`, { headers: { 'retry-after': '5' } });
    }
    const redis = deps.redis.ready();
    return c.json(
      {
        status: redis ? ('ready' as const) : ('degraded' as const),
        checks: {
          database: 'ok' as const,
          redis: redis ? ('ok' as const) : ('unavailable' as const),
          model: 'ok' as const,
        },
        modelVersion: model.value.modelVersion,
      },
      200,
    );
  });

  app.openapi(metrics, async (c) => {
    const { contentType, body } = await deps.metrics.render();
    c.header('cache-control', 'no-store');
    // Prometheus' own content type (it names the format version), over c.text's default.
    return c.text(body, 200, { 'Content-Type': contentType });
  });

  return app;
}
