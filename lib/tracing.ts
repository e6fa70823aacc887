/**
 * OpenTelemetry tracing of a process: one tracer provider, registered globally (AsyncLocalStorage context, W3C
 * `traceparent` propagation), so the API's request spans, the Temporal interceptors' spans and the log lines written
 * inside them (lib/log.ts adds `traceId`/`spanId`) share one trace. Spans are exported over OTLP/HTTP only when an
 * endpoint is configured; without one they still exist (the logs carry their ids) and are dropped when they end.
 */
import { DiagLogLevel, context, diag, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

export interface Tracing {
  /** `service.name` of this process's spans. */
  serviceName: string;
  /** Where spans are exported (OTLP/HTTP), or undefined when they are not. */
  exportUrl: string | undefined;
  /** The resource (service name, SDK) of this process's spans, also given to workflow spans. */
  resource: Resource;
  /** Every span of the process ends here, workflow spans too (the worker's sink hands them over). */
  spanProcessor: SpanProcessor;
  /** Exports what has ended so far. */
  flush(): Promise<void>;
  /** Flushes, stops exporting and unregisters the global provider (a later `initTracing` may register another). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** This process's `service.name` (e.g. `afwd-api`), unless OTEL_SERVICE_NAME names another. */
  serviceName: string;
  config: Pick<Config, 'tracing'>;
  /** Where the SDK's own warnings and errors go (a collector that refuses or cannot be reached): one line each. */
  log?: Logger;
  /** Processors besides the OTLP exporter's: tests pass a `SimpleSpanProcessor` over an `InMemorySpanExporter`. */
  spanProcessors?: SpanProcessor[];
  /**
   * Largest number of ended spans waiting for export; more are dropped (counted by the SDK) rather than held in
   * memory while a collector is down. @default 2048
   */
  maxQueueSize?: number;
}

let current: Tracing | undefined;

/** The tracing `initTracing` set up in this process, if any. */
export function currentTracing(): Tracing | undefined {
  return current;
}

/**
 * Sets up tracing once per process, before anything that starts spans (the API, the Temporal client and worker).
 * Throws if tracing is already set up: a second provider would split the process's spans.
 *
 * @example
 *   const tracing = initTracing({ serviceName: 'afwd-api', config });
 *   stack.push('tracing', () => tracing.shutdown());
 */
export function initTracing(options: TracingOptions): Tracing {
  if (current) throw new Error(`tracing is already set up in this process (service ${current.serviceName})`);
  const serviceName = options.config.tracing.serviceName ?? options.serviceName;
  const exportUrl = options.config.tracing.otlpTracesUrl;
  const processors = [...(options.spanProcessors ?? [])];
  if (exportUrl) {
    const exporter = new OTLPTraceExporter({
      url: exportUrl,
      headers: options.config.tracing.otlpHeaders,
      timeoutMillis: 10_000,
    });
    // Batches of up to 512 every 5 s: one POST per batch, off the request path.
    processors.push(
      new BatchSpanProcessor(exporter, { maxQueueSize: options.maxQueueSize ?? 2048, scheduledDelayMillis: 5_000 }),
    );
  }
  if (options.log)
    diag.setLogger(diagLogger(options.log), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const resource = new Resource({ ...Resource.default().attributes, [ATTR_SERVICE_NAME]: serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: processors });
  // AsyncLocalStorage context manager (the default of register()) and W3C trace context only: no baggage is read
  // from callers or sent on.
  provider.register({ propagator: new W3CTraceContextPropagator() });

  let stopped: Promise<void> | undefined;
  const tracing: Tracing = {
    serviceName,
    exportUrl,
    resource,
    spanProcessor: provider.getActiveSpanProcessor(),
    flush: () => provider.forceFlush(),
    shutdown: () =>
      (stopped ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          context.disable();
          propagation.disable();
          diag.disable();
          if (current === tracing) current = undefined;
        }
      })()),
  };
  current = tracing;
  return tracing;
}

/** OpenTelemetry's diagnostics as pino lines: without it a failing export would go unnoticed. */
function diagLogger(log: Logger): DiagLogger {
  const line =
    (level: 'error' | 'warn') =>
    (message: string, ...args: unknown[]) => {
      const err = args.find((arg) => arg instanceof Error);
      log[level](
        { component: 'opentelemetry', ...(err ? { err } : args.length ? { details: args.map(String) } : {}) },
        message,
      );
    };
  const ignore = () => undefined;
  return { error: line('error'), warn: line('warn'), info: ignore, debug: ignore, verbose: ignore };
}
