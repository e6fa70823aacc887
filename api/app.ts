/**
 * The premium API as one Hono app: the middleware chain (one concern per file, in this order), the route groups
 * (one file each, under /api/v1), the OpenAPI 3.1 document at /api/openapi.json and its docs page at /api/docs.
 * Built from injected dependencies, so tests call it in-process with `app.request(...)`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { except } from 'hono/combine';
import type { ApiDeps, ApiEnv } from './env.ts';
import { accessLog } from './middleware/access-log.ts';
import { authenticate } from './middleware/auth.ts';
import { bodySizeLimit } from './middleware/body-limit.ts';
import { corsPolicy } from './middleware/cors.ts';
import { onError, onNotFound } from './middleware/errors.ts';
import { requestMetrics } from './middleware/metrics.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { requestTracing } from './middleware/tracing.ts';
import { registerOpenApi } from './openapi.ts';
import { API_PREFIX, WEBHOOK_PATH } from './paths.ts';
import { createRouter } from './router.ts';
import { accountRoutes } from './routes/account.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { billingRoutes, WEBHOOK_BODY_LIMIT_BYTES } from './routes/billing.ts';
import { fantraxRoutes } from './routes/fantrax.ts';
import { healthRoutes } from './routes/health.ts';
import { mlRoutes } from './routes/ml.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { passwordResetRoutes } from './routes/password-reset.ts';
import { prospectRoutes } from './routes/prospects.ts';
import { userRoutes } from './routes/users.ts';

export { API_PREFIX };

export function createApp(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();
  // First: everything after it, the access log line included, runs inside the request's span.
  app.use('*', requestTracing());
  app.use('*', requestId(deps.log));
  app.use('*', requestMetrics(deps.metrics));
  app.use('*', accessLog());
  app.use('*', securityHeaders());
  app.use('*', corsPolicy(deps.config.api.corsOrigins));
  // Stripe's webhook takes larger bodies than the rest (its events are not ours to shorten).
  app.use('*', except(WEBHOOK_PATH, bodySizeLimit(deps.config.api.bodyLimitBytes)));
  app.use(WEBHOOK_PATH, bodySizeLimit(Math.max(WEBHOOK_BODY_LIMIT_BYTES, deps.config.api.bodyLimitBytes)));
  app.use('*', authenticate(deps));
  // Stripe's webhook is not limited per IP: its deliveries come from a few addresses and must never be refused.
  app.use(`${API_PREFIX}/*`, except(WEBHOOK_PATH, rateLimit(deps)));
  app.onError(onError(deps.metrics));
  app.notFound(onNotFound());

  app.route('/', healthRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', passwordResetRoutes(deps));
  app.route(API_PREFIX, prospectRoutes(deps));
  app.route(API_PREFIX, mlRoutes(deps));
  app.route(API_PREFIX, userRoutes(deps));
  app.route(API_PREFIX, notificationRoutes(deps));
  app.route(API_PREFIX, accountRoutes(deps));
  app.route(API_PREFIX, billingRoutes(deps));
  app.route(API_PREFIX, fantraxRoutes(deps));
  app.route(API_PREFIX, adminRoutes(deps));
  registerOpenApi(app, deps);
  return app;
}
