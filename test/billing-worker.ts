/**
 * A pipeline worker for billing tests, on the run's Temporal server and a task queue of its own, over a test
 * database and the run's stripe-mock; activities can be replaced one by one (to stop a worker in the middle of a
 * step), and `stop()` shuts it down as a crashed worker would leave its work: unfinished, for another worker to retry.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities, type Activities } from '../activities/index.ts';
import { loadConfig, type Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { WORKFLOWS_PATH, installTemporalRuntime } from '../infra/temporal-runtime.ts';
import { subscriptionWorkflowId } from '../workflows/billing-ids.ts';

/** The configuration of billing tests: the run's stripe-mock, the local webhook secret. */
export function billingTestConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    STRIPE_API_URL: inject('stripeMockUrl'),
    ...env,
  });
}

export interface BillingWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts a worker polling `taskQueue` (a fresh one by default) until `stop()`. */
export async function startBillingWorker(options: {
  pool: Pool;
  config?: Config;
  taskQueue?: string;
  /** Activities to use instead of the real ones of the same name. */
  override?: (real: Activities) => Partial<Activities>;
}): Promise<BillingWorker> {
  const config = options.config ?? billingTestConfig();
  const log = createLogger({ level: config.logLevel, name: 'billing-worker' });
  installTemporalRuntime(log);
  const taskQueue = options.taskQueue ?? `billing-${Date.now()}-${Math.random()}`;
  const real = createActivities({ pool: options.pool, config, log, mlbBaseUrl: 'http://127.0.0.1:1' });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: { ...real, ...options.override?.(real) },
    // A stopped worker cancels its running activities at once: they fail, and the server hands them to the next worker.
    shutdownGraceTime: '100 ms',
  });
  const running = worker.run();
  return {
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

/** A Temporal client on the run's server; close its connection when done. */
export async function testTemporalClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Polls `check` until it returns a value other than undefined (or the time runs out, then throws what it saw last). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ends the subscription sagas a test started (they wait for events forever), so the run's server holds none open. */
export async function endSagas(client: Client | undefined, customerIds: readonly string[]): Promise<void> {
  for (const customerId of customerIds) {
    await client?.workflow
      .getHandle(subscriptionWorkflowId(customerId))
      .terminate('test over')
      .catch(() => undefined);
  }
}
