/**
 * The API's Prometheus metrics, in a registry of its own (never prom-client's global one, so several apps in one
 * test process do not collide): requests and their latency by route pattern, cache results, rate-limit refusals,
 * Stripe webhook outcomes, requests refused because the database was overloaded, and the default process metrics.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What became of a Stripe webhook delivery, named as the webhook's answer names it: queued (signalled to the customer's
 * saga), duplicate (an event already applied), ignored (a type we do not handle), unparsable (200: a handled type whose
 * body we cannot read), rejected (400: no or a bad signature, not a Stripe event), unavailable (503: Temporal could
 * not take it; Stripe retries), error (anything else, a 500).
 */
export type StripeWebhookOutcome =
  'queued' | 'duplicate' | 'ignored' | 'unparsable' | 'rejected' | 'unavailable' | 'error';

export interface ApiMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  cacheResult(kind: string, result: 'hit' | 'miss' | 'error'): void;
  rateLimited(bucket: string): void;
  stripeWebhook(outcome: StripeWebhookOutcome): void;
  /** A request answered 503 because the database was overloaded (api/db-overload.ts names the reasons). */
  databaseOverload(reason: string): void;
  /** The text exposition served at /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createApiMetrics(options: { processMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const cache = new Counter({
    name: 'cache_requests_total',
    help: 'Read-cache lookups, by kind and result (hit, miss, error).',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const limited = new Counter({
    name: 'rate_limited_total',
    help: 'Requests refused by a rate limit, by bucket (the limit, not the caller).',
    labelNames: ['bucket'] as const,
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'afwd_stripe_webhooks_total',
    help: 'Stripe webhook deliveries, by outcome (queued, duplicate, ignored, unparsable, rejected, unavailable, error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const overloads = new Counter({
    name: 'api_database_overload_total',
    help: 'Requests answered 503 because the database was overloaded, by reason (pool-exhausted, statement-timeout...).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // The labelled series of each combination, looked up once: prom-client hashes a labels object on every call
  // otherwise. The combinations are bounded (route patterns, not paths; a handful of kinds and results).
  const series = new Map<string, { requests: { inc(): void }; duration: { observe(value: number): void } }>();
  const cacheSeries = new Map<string, { inc(): void }>();
  return {
    observeRequest(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let s = series.get(key);
      if (!s) {
        const statusLabel = String(status);
        s = {
          requests: requests.labels(method, route, statusLabel),
          duration: duration.labels(method, route, statusLabel),
        };
        series.set(key, s);
      }
      s.requests.inc();
      s.duration.observe(seconds);
    },
    cacheResult(kind, result) {
      const key = `${kind} ${result}`;
      let s = cacheSeries.get(key);
      if (!s) {
        s = cache.labels(kind, result);
        cacheSeries.set(key, s);
      }
      s.inc();
    },
    rateLimited: (bucket) => limited.inc({ bucket }),
    stripeWebhook: (outcome) => webhooks.inc({ outcome }),
    databaseOverload: (reason) => overloads.inc({ reason }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
