import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';
import { initTracing, type Tracing } from '../../lib/tracing.ts';
import type { ApiEnv } from '../env.ts';
import { onError, onNotFound } from './errors.ts';
import { requestTracing } from './tracing.ts';

describe('requestTracing', () => {
  const memory = new InMemorySpanExporter();
  const lines: Record<string, unknown>[] = [];
  let tracing: Tracing;
  const app = new Hono<ApiEnv>();
  const log = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  app.use('*', requestTracing());
  app.use('*', async (c, next) => {
    await next();
    log.info({ status: c.res.status }, 'request');
  });
  app.get('/api/v1/prospects/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/api/v1/boom', () => {
    throw new Error('database went away');
  });
  app.onError(onError());
  app.notFound(onNotFound());

  beforeAll(() => {
    tracing = initTracing({
      serviceName: 'afwd-api-test',
      config: loadConfig({}),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => {
    memory.reset();
    lines.length = 0;
  });

  it('opens a server span named by method and route pattern, with the HTTP attributes, around the request log line', async () => {
    expect((await app.request('/api/v1/prospects/691406')).status).toBe(200);
    const [span] = memory.getFinishedSpans();
    expect(span).toMatchObject({
      name: 'GET /api/v1/prospects/:id',
      kind: SpanKind.SERVER,
      status: { code: SpanStatusCode.UNSET },
    });
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/api/v1/prospects/691406',
      'http.route': '/api/v1/prospects/:id',
      'http.response.status_code': 200,
    });
    expect(span!.parentSpanId).toBeUndefined();
    expect(lines[0]).toMatchObject({
      msg: 'request',
      traceId: span!.spanContext().traceId,
      spanId: span!.spanContext().spanId,
    });
  });

  it('marks a 5xx as an error with the exception, and leaves an unmatched 404 named by its method alone', async () => {
    expect((await app.request('/api/v1/boom', { method: 'POST' })).status).toBe(500);
    expect((await app.request('/nowhere/123')).status).toBe(404);
    const [failed, missing] = memory.getFinishedSpans();
    expect(failed).toMatchObject({
      name: 'POST /api/v1/boom',
      status: { code: SpanStatusCode.ERROR, message: 'database went away' },
    });
    expect(failed!.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
    expect(failed!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', 'database went away'],
    ]);
    expect(missing).toMatchObject({ name: 'GET', status: { code: SpanStatusCode.UNSET } });
    expect(missing!.attributes).toMatchObject({ 'http.response.status_code': 404 });
    expect(missing!.attributes['http.route']).toBeUndefined();
  });

  it("continues the caller's trace from a W3C traceparent, and ignores a malformed one", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.request('/api/v1/prospects/1', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await app.request('/api/v1/prospects/2', { headers: { traceparent: 'not-a-traceparent' } });
    const [continued, fresh] = memory.getFinishedSpans();
    expect(continued!.spanContext().traceId).toBe(traceId);
    expect(continued!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(fresh!.spanContext().traceId).not.toBe(traceId);
    expect(fresh!.parentSpanId).toBeUndefined();
  });
});
