/**
 * OpenTelemetry for the pipeline worker (issue 11.1, being built): the activity interceptors, workflow interceptor
 * modules and sinks that carry a trace from the Temporal client through workflows into activities.
 */
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';

export interface WorkerTracing {
  activityInterceptors: ActivityInterceptorsFactory[];
  workflowModules: string[];
  sinks: InjectedSinks<Sinks>;
}

export function workerTracing(): WorkerTracing {
  return { activityInterceptors: [], workflowModules: [], sinks: {} };
}
