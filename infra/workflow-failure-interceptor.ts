/**
 * A workflow interceptor module (bundled with the workflows, so it runs in their sandbox: no I/O, no Node built-ins)
 * that reports each workflow execution ending failed to the worker through a sink, for
 * `afwd_workflow_failures_total` (infra/worker-metrics.ts). Sinks are not called during replay, so an execution
 * counts once, on the worker that ran its last task.
 */
import {
  CancellationScope,
  TemporalFailure,
  isCancellation,
  proxySinks,
  type Sinks,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

export interface WorkflowMetricsSinks extends Sinks {
  afwdMetrics: { workflowFailed(): void };
}

const { afwdMetrics } = proxySinks<WorkflowMetricsSinks>();

/**
 * The SDK's own rule (workflow internals, handleWorkflowFailure): a TemporalFailure thrown out of the workflow fails
 * the execution, except a cancellation after the workflow was asked to cancel (cancelled, not failed). Any other
 * error fails only the workflow task, which Temporal retries; ContinueAsNew is no failure at all.
 */
function endsFailed(error: unknown): boolean {
  if (!(error instanceof TemporalFailure)) return false;
  return !(CancellationScope.current().consideredCancelled && isCancellation(error));
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          if (endsFailed(error)) afwdMetrics.workflowFailed();
          throw error;
        }
      },
    },
  ],
});
