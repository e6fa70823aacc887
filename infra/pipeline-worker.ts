/**
 * Builds the Temporal worker that runs the pipeline: the workflow bundle plus activities over real dependencies.
 * Shared by `npm start`, the standalone worker entry and the end-to-end tests.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { WORKFLOWS_PATH, installTemporalRuntime } from './temporal-runtime.ts';
import { workerMetricsInterceptors } from './worker-metrics.ts';
import { workerTracing } from './worker-tracing.ts';

export async function createPipelineWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installTemporalRuntime(options.deps.log, options.deps.config.metricsAddress);
  const connection = await NativeConnection.connect({ address: options.address });
  const tracing = workerTracing();
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(options.deps),
    interceptors: {
      activity: [...tracing.activityInterceptors, ...workerMetricsInterceptors()],
      workflowModules: tracing.workflowModules,
    },
    sinks: tracing.sinks,
    // Two cores: training and site builds are heavy, so few activities at once.
    maxConcurrentActivityTaskExecutions: 4,
  });
  return { worker, connection };
}
