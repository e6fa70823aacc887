/**
 * A pipeline worker in the scenario's own process (infra/pipeline-worker.ts over injected activity dependencies, so
 * a scenario can hand it a flaky source or a capturing logger), and the ephemeral Temporal dev server it polls.
 */
import type { ActivityDeps } from '../../activities/index.ts';
import { createPipelineWorker } from '../../infra/pipeline-worker.ts';
import { installTemporalRuntime } from '../../infra/temporal-runtime.ts';
import { startEphemeralTemporal } from '../../test/ephemeral-temporal.ts';
import { quietLog } from './logging.ts';

/** An ephemeral Temporal dev server (the CLI's, as the tests use it) on free loopback ports. */
export async function startTemporal(): Promise<{ address: string; stop(): Promise<void> }> {
  // The SDK's runtime is one per process and the test environment would install a default one: ours goes first.
  installTemporalRuntime(quietLog);
  const env = await startEphemeralTemporal();
  return { address: env.address, stop: () => env.teardown() };
}

/** Runs `work` while a real pipeline worker (infra/pipeline-worker.ts) over `deps` polls a task queue of its own. */
export async function withWorker<T>(
  address: string,
  deps: ActivityDeps,
  work: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `chaos-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const { worker, connection } = await createPipelineWorker({ address, namespace: 'default', taskQueue, deps });
  try {
    return await worker.runUntil(work(taskQueue));
  } finally {
    await connection.close();
  }
}
