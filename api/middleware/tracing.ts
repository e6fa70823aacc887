/**
 * One OpenTelemetry server span per request, `METHOD /route/:pattern` (the matched pattern, never the raw path, as
 * the metrics label), with the HTTP attributes and status of the semantic conventions and an error status on 5xx.
 * A caller's W3C `traceparent` makes it a child of the caller's span. Everything below runs inside the span: the
 * request's log lines carry its trace id, and a workflow the request starts joins its trace.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../env.ts';
import { routePattern } from './route-pattern.ts';

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

export function requestTracing(): MiddlewareHandler<ApiEnv> {
  const tracer = trace.getTracer('afwd-api');
  return async (c, next) => {
    const method = c.req.method;
    const headers = c.req.raw.headers;
    // Most requests carry no traceparent: the propagator is not asked then. A server request never continues
    // whatever context happens to be active: its parent is the caller's span or nothing.
    const parent = headers.has('traceparent') ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
    const span = tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: c.req.path } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      if (span.isRecording()) {
        const route = routePattern(c);
        const status = c.res.status;
        if (route) {
          span.updateName(`${method} ${route}`);
          span.setAttribute(ATTR_HTTP_ROUTE, route);
        }
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        // Hono turns a handler's throw into the onError answer and keeps the error here.
        if (c.error) span.recordException(c.error);
        if (status >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(status));
          span.setStatus({ code: SpanStatusCode.ERROR, ...(c.error ? { message: c.error.message } : {}) });
        }
      }
      span.end();
    }
  };
}
