/**
 * Workflow interceptors for OpenTelemetry, bundled with the workflows through `interceptors.workflowModules`
 * (infra/worker-tracing.ts), never exported from the workflows barrel: RunWorkflow spans (children of the client's
 * StartWorkflow), StartActivity spans whose context travels to the activity in its headers, and the spans' export
 * through the worker's `exporter` sink. Deterministic: inside the sandbox, span ids come from the workflow's seeded
 * Math.random and times from its clock.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type {
  GetLogAttributesInput,
  Next,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Temporal's `trace_id`/`span_id` (and `trace_flags`) on a workflow's log line, named as on every other line. */
export function traceLogFields(attributes: Record<string, unknown>): Record<string, unknown> {
  if (!('trace_id' in attributes)) return attributes;
  const { trace_id: traceId, span_id: spanId, trace_flags: _flags, ...rest } = attributes;
  return { ...rest, traceId, spanId };
}

/** Outermost, so it renames what the OpenTelemetry interceptor inside it added. */
class TraceLogFields implements WorkflowOutboundCallsInterceptor {
  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    return traceLogFields(next(input));
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new TraceLogFields(), new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
