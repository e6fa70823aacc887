/**
 * Builds the Temporal worker that runs the pipeline: the workflow bundle plus activities over real dependencies.
 * Shared by `npm start`, the standalone worker entry and the end-to-end tests.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import type { Logger } from '../lib/log.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

let runtimeInstalled = false;
/**
 * Sends Temporal's logs (workflow and activity loggers, with their workflowId/activityId metadata) to pino.
 * Signals are left to the entry point, which shuts everything down in order. Once per process.
 */
export function installTemporalRuntime(log: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => log[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message)),
    shutdownSignals: [],
  });
}

export async function createPipelineWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installTemporalRuntime(options.deps.log);
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(options.deps),
    // Two cores: training and site builds are heavy, so few activities at once.
    maxConcurrentActivityTaskExecutions: 4,
  });
  return { worker, connection };
}
