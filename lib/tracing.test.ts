import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { currentTracing, initTracing } from './tracing.ts';

/** A logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { log, lines };
}

/** A stand-in OTLP/HTTP collector on a loopback port of its own: records every request. */
async function startCollector(status = 200): Promise<{
  url: string;
  received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[];
  server: Server;
}> {
  const received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

interface OtlpJson {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string; traceId: string; spanId: string }[] }[];
  }[];
}

describe('initTracing', () => {
  afterEach(async () => {
    await currentTracing()?.shutdown();
  });

  it('without an endpoint, makes real spans whose ids reach the log lines written inside them, and exports nothing', async () => {
    const memory = new InMemorySpanExporter();
    const tracing = initTracing({
      serviceName: 'afwd-test',
      config: loadConfig({}),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    expect(tracing.exportUrl).toBeUndefined();
    const { log, lines } = capturingLogger();
    log.info('before');
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => log.child({ step: 1 }).info('inside'));
    span.end();
    log.info('after');

    expect(lines.map((l) => [l.msg, l.traceId, l.spanId])).toEqual([
      ['before', undefined, undefined],
      ['inside', span.spanContext().traceId, span.spanContext().spanId],
      ['after', undefined, undefined],
    ]);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    const [ended] = memory.getFinishedSpans();
    expect(ended?.name).toBe('work');
    expect(ended?.resource.attributes['service.name']).toBe('afwd-test');
  });

  it('takes OTEL_SERVICE_NAME over the process default, and refuses to be set up twice', () => {
    const tracing = initTracing({ serviceName: 'afwd-test', config: loadConfig({ OTEL_SERVICE_NAME: 'afwd-api-eu' }) });
    expect(tracing.resource.attributes['service.name']).toBe('afwd-api-eu');
    expect(() => initTracing({ serviceName: 'again', config: loadConfig({}) })).toThrow(/already set up.*afwd-api-eu/);
  });

  it('after shutdown, spans are no-ops again and another set-up may follow', async () => {
    await initTracing({ serviceName: 'first', config: loadConfig({}) }).shutdown();
    expect(trace.getTracer('test').startSpan('x').isRecording()).toBe(false);
    expect(initTracing({ serviceName: 'second', config: loadConfig({}) }).serviceName).toBe('second');
  });

  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, with the configured headers, and flushes on shutdown', async () => {
    const collector = await startCollector();
    try {
      const config = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%20key',
      });
      const tracing = initTracing({ serviceName: 'afwd-export-test', config });
      expect(tracing.exportUrl).toBe(`${collector.url}/v1/traces`);
      const span = trace.getTracer('test').startSpan('exported work', { attributes: { rows: 3 } });
      span.end();
      // The batch processor would wait 5 s; shutdown must not lose what it holds.
      await tracing.shutdown();

      expect(collector.received).toHaveLength(1);
      const [request] = collector.received;
      expect(request).toMatchObject({ method: 'POST', path: '/v1/traces' });
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['x-api-key']).toBe('s3cret key');
      const body = JSON.parse(request!.body) as OtlpJson;
      const resource = body.resourceSpans[0]!;
      expect(resource.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'afwd-export-test' },
      });
      const exported = resource.scopeSpans.flatMap((s) => s.spans);
      expect(exported.map((s) => s.name)).toEqual(['exported work']);
      expect(exported[0]!.traceId).toBe(span.spanContext().traceId);
    } finally {
      collector.server.close();
    }
  });

  it('logs an export the collector refuses, rather than losing the spans unnoticed', async () => {
    const collector = await startCollector(400);
    try {
      const { log, lines } = capturingLogger();
      const tracing = initTracing({
        serviceName: 'afwd-export-test',
        config: loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }),
        log,
      });
      // A full batch (512) goes out at once, in the background: its failure can only reach the log.
      for (let i = 0; i < 512; i++) trace.getTracer('test').startSpan(`refused ${i}`).end();
      for (let waited = 0; waited < 5000 && !lines.some((l) => l.component === 'opentelemetry'); waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(collector.received.length).toBeGreaterThanOrEqual(1);
      expect(lines.find((l) => l.component === 'opentelemetry')).toMatchObject({
        level: 50,
        msg: expect.stringMatching(/Bad Request/) as unknown,
      });
      // What is left at shutdown fails the shutdown itself, which the entry point's stack reports.
      trace.getTracer('test').startSpan('refused at shutdown').end();
      await expect(tracing.shutdown()).rejects.toThrow(/Bad Request/);
    } finally {
      collector.server.close();
    }
  });
});
