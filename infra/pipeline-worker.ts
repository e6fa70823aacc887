/**
 * Builds the Temporal worker that runs the pipeline: the workflow bundle plus activities over real dependencies, with
 * its Prometheus endpoint on METRICS_ADDRESS when that is set. Shared by `npm start`, the standalone worker entry and
 * the end-to-end tests.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { WORKFLOWS_PATH, installTemporalRuntime, loopbackMetricsAddress } from './temporal-runtime.ts';
import { createWorkerMetrics, taskQueueBacklog } from './worker-metrics.ts';
import { startWorkerMetricsServer, type WorkerMetricsServer } from './worker-metrics-server.ts';
import { workerTracing } from './worker-tracing.ts';

export async function createPipelineWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
}): Promise<{
  worker: Worker;
  connection: NativeConnection;
  /** The metrics endpoint (METRICS_ADDRESS), null when unset; the caller closes it after the worker has stopped. */
  metricsServer: WorkerMetricsServer | null;
}> {
  const { pool, config, log } = options.deps;
  // Core's exporter listens on loopback only; the endpoint on METRICS_ADDRESS merges it with the application's.
  const coreMetricsUrl = installTemporalRuntime(
    log,
    config.metricsAddress ? await loopbackMetricsAddress() : undefined,
  );
  const connection = await NativeConnection.connect({ address: options.address });
  const metrics = createWorkerMetrics({
    pool,
    config,
    log,
    taskQueue: {
      name: options.taskQueue,
      backlog: (timeoutMs) => taskQueueBacklog(connection, options.namespace, options.taskQueue, timeoutMs),
    },
  });
  // The endpoint is bound before the worker exists: a taken address then fails here with nothing to unwind but the
  // connection (a Worker holds its connection until it has run and stopped).
  let worker: Worker | undefined;
  let metricsServer: WorkerMetricsServer | null = null;
  try {
    if (config.metricsAddress) {
      metricsServer = await startWorkerMetricsServer({
        address: config.metricsAddress,
        registry: metrics.registry,
        coreMetricsUrl,
        log,
        healthy: () => worker?.getState() === 'RUNNING',
      });
    }
    const tracing = workerTracing();
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities: createActivities({ ...options.deps, metrics: metrics.activities }),
      interceptors: {
        activity: [...tracing.activityInterceptors, ...metrics.activityInterceptors],
        workflowModules: [...tracing.workflowModules, ...metrics.workflowModules],
      },
      sinks: { ...tracing.sinks, ...metrics.sinks },
      // Two cores: training and site builds are heavy, so few activities at once.
      maxConcurrentActivityTaskExecutions: 4,
    });
  } catch (error) {
    await metricsServer?.close();
    await connection.close();
    throw error;
  }
  return { worker, connection, metricsServer };
}
