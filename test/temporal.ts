/**
 * The pipeline's worker on the run's Temporal server, for the end-to-end workflow tests: each run gets a task queue
 * of its own, so files running in parallel never take each other's tasks.
 */
import { inject } from 'vitest';
import type { ActivityDeps } from '../activities/index.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';

/**
 * Runs `work`, given a task queue of its own (`<prefix>-<now>-<random>`), while a pipeline worker over `deps` polls
 * that queue; the worker stops and its connection closes once `work` settles.
 */
export async function withPipelineWorker<T>(prefix: string, deps: ActivityDeps, work: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `${prefix}-${Date.now()}-${Math.random()}`;
  const { worker, connection } = await createPipelineWorker({ address: inject('temporalAddress'), namespace: 'default', taskQueue, deps });
  try {
    return await worker.runUntil(work(taskQueue));
  } finally {
    await connection.close();
  }
}
