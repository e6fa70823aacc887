/**
 * The pipeline's worker on the run's Temporal server, for the end-to-end workflow tests: each run gets a task queue
 * of its own, so files running in parallel never take each other's tasks.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities, ActivityDeps } from '../activities/index.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';
import { WORKFLOWS_PATH, installTemporalRuntime } from '../infra/temporal-runtime.ts';
import { createLogger } from '../lib/log.ts';

/**
 * Runs `work`, given a task queue of its own (`<prefix>-<now>-<random>`), while a pipeline worker over `deps` polls
 * that queue; the worker stops and its connection closes once `work` settles.
 */
export async function withPipelineWorker<T>(
  prefix: string,
  deps: ActivityDeps,
  work: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `${prefix}-${Date.now()}-${Math.random()}`;
  const { worker, connection, metricsServer } = await createPipelineWorker({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue,
    deps,
  });
  try {
    return await worker.runUntil(work(taskQueue));
  } finally {
    await metricsServer?.close();
    await connection.close();
  }
}

/** A client and a native connection on the run's server, for tests that build workers of their own (stubbed activities). */
export interface StubbedWorkerHarness {
  client: Client;
  /** Builds a worker over `activities` on a fresh task queue (`<prefix>-<now>-<random>`) of its own. */
  worker(prefix: string, activities: Partial<Activities>): Promise<{ worker: Worker; taskQueue: string }>;
  close(): Promise<void>;
}

export async function stubbedWorkerHarness(): Promise<StubbedWorkerHarness> {
  installTemporalRuntime(createLogger({ level: 'error' }));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  return {
    client: new Client({ connection }),
    worker: async (prefix, activities) => {
      const taskQueue = `${prefix}-${Date.now()}-${Math.random()}`;
      return {
        worker: await Worker.create({
          connection: nativeConnection,
          taskQueue,
          workflowsPath: WORKFLOWS_PATH,
          activities,
        }),
        taskQueue,
      };
    },
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
