/**
 * Workflow interceptors for OpenTelemetry, bundled with the workflows through `interceptors.workflowModules`
 * (infra/worker-tracing.ts), never exported from the workflows barrel: RunWorkflow spans (children of the client's
 * StartWorkflow), StartActivity spans whose context travels to the activity in its headers, and the spans' export
 * through the worker's `exporter` sink. Deterministic: span ids come from the workflow's seeded random.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
