/**
 * OpenTelemetry for the pipeline worker: the activity interceptors, workflow interceptor module and sink that carry a
 * trace from the Temporal client (infra/temporal-client.ts) through workflows into activities. Workflow spans are
 * made inside the workflow sandbox and reach this process's span processor through the `exporter` sink.
 */
import { fileURLToPath } from 'node:url';
import { OpenTelemetryActivityInboundInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import { currentTracing, type Tracing } from '../lib/tracing.ts';

export interface WorkerTracing {
  activityInterceptors: ActivityInterceptorsFactory[];
  workflowModules: string[];
  sinks: InjectedSinks<Sinks>;
}

/** The workflow interceptors (OpenTelemetry inbound, outbound and internals), bundled with the workflows. */
export const WORKFLOW_TRACING_MODULE = fileURLToPath(new URL('../workflows/tracing-interceptors.ts', import.meta.url));

/**
 * The worker's share of the process's tracing (lib/tracing.ts `initTracing`, which entry points call first). A
 * process that set up no tracing (most tests) gets no interceptors: its workers run exactly as before.
 */
export function workerTracing(tracing: Tracing | undefined = currentTracing()): WorkerTracing {
  if (!tracing) return { activityInterceptors: [], workflowModules: [], sinks: {} };
  return {
    activityInterceptors: [
      // RunActivity:<type>, a child of the workflow's StartActivity span; the activity runs inside it, so its pino
      // lines get traceId/spanId from lib/log.ts. (Not OpenTelemetryActivityOutboundInterceptor: it would add the same
      // ids again as trace_id/span_id.)
      (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) }),
    ],
    workflowModules: [WORKFLOW_TRACING_MODULE],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
