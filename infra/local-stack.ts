/**
 * The local stack an entry point needs: database, Temporal server (for a loopback TEMPORAL_ADDRESS the dev server
 * unless one already answers; any other address is a real server, waited for),
 * the sample source when no MLB_STATS_API_URL is set, and a pipeline worker. Each piece is pushed onto the
 * caller's shutdown stack, so Ctrl-C stops what was started and leaves alone what was reused.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import { dataPaths, type Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { openDatabase } from './database.ts';
import { createPipelineWorker } from './pipeline-worker.ts';
import { startRecordedSource } from './recorded-source.ts';
import { startSampleSource } from './sample-source.ts';
import { createTemporalClient } from './temporal-client.ts';
import type { SourceSpec } from './source-spec.ts';
import { ensureTemporalCli, startDevServer } from './temporal-cli.ts';
import { awaitTemporalServer, needsDevServer } from './temporal-server.ts';

export interface StopStack {
  push(name: string, stop: () => Promise<void> | void): void;
}

export interface LocalStack {
  pool: Pool;
  /** Connection string of the same database, for processes that keep a pool of their own (the API). */
  databaseUrl: string;
  client: Client;
  temporalUiUrl: string;
  mlbBaseUrl: string;
}

export interface LocalStackOptions {
  /** true: always run a worker here; 'auto': only when no worker polls the task queue. */
  worker: boolean | 'auto';
  /**
   * A recorded source (`--source`) to serve for this run instead of MLB_STATS_API_URL or the sample. It is served
   * whether or not this process runs the worker, since the run's input hands its URL to whichever worker runs it.
   */
  source?: SourceSpec;
}

export async function startLocalStack(
  config: Config,
  log: Logger,
  stack: StopStack,
  options: LocalStackOptions,
): Promise<LocalStack> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());

  // Only a loopback address may get a dev server, and only that path needs the Temporal CLI (images have none).
  const temporal = needsDevServer(config.temporal.address)
    ? await startDevServer({
        cli: await ensureTemporalCli(log),
        address: config.temporal.address,
        uiPort: config.temporal.uiPort,
        dbFile: dataPaths(config).temporalDb,
        logFile: path.join(config.dataDir, 'temporal.log'),
        log,
      })
    : await awaitTemporalServer({ address: config.temporal.address, uiPort: config.temporal.uiPort, log });
  stack.push('temporal server', () => temporal.stop());

  const connection = await Connection.connect({ address: temporal.address });
  stack.push('client', () => connection.close());
  const client = createTemporalClient({ connection, namespace: config.temporal.namespace });
  const runWorker =
    options.worker === true ||
    (options.worker === 'auto' &&
      !(await workerIsPolling(client, config.temporal.namespace, config.temporal.taskQueue)));
  let mlbBaseUrl = config.mlb.baseUrl;
  if (options.source) {
    const source = await startRecordedSource(options.source, config.mlb, log);
    stack.push('recorded source', () => source.close());
    mlbBaseUrl = source.url;
  }
  if (runWorker) {
    if (options.worker === 'auto') log.warn('no worker is polling the task queue: running one in this process');
    if (!mlbBaseUrl) {
      const source = await startSampleSource(config.sample, log);
      stack.push('sample source', () => source.close());
      mlbBaseUrl = source.url;
    }
    const { worker, connection, metricsServer } = await createPipelineWorker({
      address: temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps: { pool: db.pool, config, log, mlbBaseUrl },
    });
    // Pushed before the worker, so it stops after it: /healthz answers 503 while the worker drains.
    if (metricsServer) stack.push('worker metrics', () => metricsServer.close());
    const running = worker.run();
    // A worker that dies must not leave a process that looks alive: stop everything through the normal path.
    running.catch((error: unknown) => {
      log.fatal({ err: error }, 'worker stopped unexpectedly');
      process.kill(process.pid, 'SIGTERM');
    });
    stack.push('worker', async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });
  }

  return {
    pool: db.pool,
    databaseUrl: db.url,
    client,
    temporalUiUrl: temporal.uiUrl,
    mlbBaseUrl: mlbBaseUrl ?? '',
  };
}

/** True when some worker polls the task queue, so an entry point need not start its own. */
export async function workerIsPolling(client: Client, namespace: string, taskQueue: string): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1,
  });
  return (response.pollers?.length ?? 0) > 0;
}
