/**
 * What the pipeline chaos scenarios share: a Temporal dev server of their own (SQLite file in the work folder, so it
 * survives a restart), a sample source, and pipeline workers as real processes (bin/worker.ts, as operators run it)
 * that can be SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { REPO_ROOT, loadConfig } from '../../lib/config.ts';
import { startSampleSource, type SampleSource } from '../../infra/sample-source.ts';
import { ensureTemporalCli, startDevServer, type DevServer } from '../../infra/temporal-cli.ts';
import { freePort } from '../../test/ports.ts';
import type { BackfillInput, BackfillProgress } from '../../workflows/backfill-history.ts';
import { quietLog } from './logging.ts';
import { sleep, untilGone } from './wait.ts';

/**
 * The backfill every pipeline scenario runs: 2014-2019 plus the five MLB-only lead seasons (2009-2013), eleven season
 * children three at a time, from the sample universe at scale 0.1 (6,230 season lines), each season's fetch limited
 * to one request every 2 s so the run lasts long enough to break (about 75 s uninterrupted on a 2-core machine).
 */
export const BACKFILL: BackfillInput = { fromSeason: 2014, toSeason: 2019 };
export const SAMPLE_ENV = { SAMPLE_SCALE: '0.1', SAMPLE_FROM_SEASON: '2014', SAMPLE_TO_SEASON: '2019' } as const;
export const REQUESTS_PER_SECOND = '0.5';
export const SEASONS = 11;

/** A dev server on free loopback ports whose state is a file in `dir`, so it can be killed and started again. */
export interface ScenarioTemporal {
  address: string;
  /** Process id of the running server. */
  pid(): number;
  /** Starts it again on the same file and port (after `kill`). */
  restart(): Promise<void>;
  /** SIGKILL: no shutdown of any kind. Resolves when the process is gone. */
  kill(): Promise<number>;
  stop(): Promise<void>;
}

export async function startScenarioTemporal(dir: string): Promise<ScenarioTemporal> {
  const cli = await ensureTemporalCli(quietLog);
  const address = `127.0.0.1:${await freePort()}`;
  const uiPort = await freePort();
  const start = () =>
    startDevServer({
      cli,
      address,
      uiPort,
      dbFile: path.join(dir, 'temporal.sqlite'),
      logFile: path.join(dir, 'temporal.log'),
      log: quietLog,
    });
  let server: DevServer = await start();
  const pidOf = (s: DevServer) => {
    if (!s.owned || s.pid === undefined)
      throw new Error(`a Temporal server already answered at ${address}: not ours to break`);
    return s.pid;
  };
  pidOf(server);
  return {
    address,
    pid: () => pidOf(server),
    restart: async () => {
      server = await start();
      pidOf(server);
    },
    kill: async () => {
      const pid = pidOf(server);
      process.kill(pid, 'SIGKILL');
      await untilGone(pid);
      return pid;
    },
    stop: () => server.stop(),
  };
}

export async function startScenarioSource(): Promise<SampleSource> {
  const config = loadConfig({ SAMPLE_PORT: '0', ...SAMPLE_ENV });
  return startSampleSource(config.sample, quietLog);
}

export async function connectClient(address: string): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), connection };
}

export interface WorkerOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  sourceUrl: string;
  /** The worker's data folder and log file go here. */
  dir: string;
}

/** A pipeline worker process (bin/worker.ts). Its output goes to `dir/worker-<start time in ms>.log` for diagnosis. */
export function spawnWorker(options: WorkerOptions): ChildProcess {
  const out = openSync(path.join(options.dir, `worker-${Date.now()}.log`), 'a');
  return spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      MLB_STATS_API_URL: options.sourceUrl,
      MLB_REQUESTS_PER_SECOND: REQUESTS_PER_SECOND,
      AFWD_DATA_DIR: options.dir,
      // Processes sharing a host: no Prometheus port, no trace export.
      METRICS_ADDRESS: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', out, out],
  });
}

/** Waits until the worker process `pid` polls the task queue's activities, so a kill lands on a working worker. */
export async function waitUntilPolling(
  client: Client,
  taskQueue: string,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const identity = `${child.pid}@${hostname()}`;
  for (const deadline = Date.now() + timeoutMs; ; await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`worker ${child.pid} exited with ${child.exitCode} before polling`);
    const { pollers = [] } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: 2,
    });
    if (pollers.some((p) => p.identity === identity)) return;
    if (Date.now() > deadline)
      throw new Error(`worker ${child.pid} not polling ${taskQueue} after ${timeoutMs / 1000} s`);
  }
}

/**
 * A worker on `taskQueue` against the rig's Temporal server and source: spawned, handed to `track` at once (so the
 * caller stops it whatever happens next), then waited for until it polls.
 */
export async function startRigWorker(
  rig: Rig,
  target: { databaseUrl: string; taskQueue: string; dir: string },
  track: (child: ChildProcess) => void,
): Promise<ChildProcess> {
  const child = spawnWorker({ ...target, temporalAddress: rig.temporal.address, sourceUrl: rig.source.url });
  track(child);
  await waitUntilPolling(rig.client, target.taskQueue, child);
  return child;
}

/** SIGKILL and wait for the exit. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A backfill run: its workflow id, its result and how long it took. */
export interface BackfillRun {
  workflowId: string;
  result: BackfillProgress;
  seconds: number;
}

export function startBackfill(client: Client, taskQueue: string, workflowId: string) {
  return client.workflow.start('backfillHistory', { taskQueue, workflowId, args: [BACKFILL] });
}

/** A scenario's Temporal server, sample source and client, closed together. */
export interface Rig {
  temporal: ScenarioTemporal;
  source: SampleSource;
  client: Client;
  close(): Promise<void>;
}

export async function openRig(dir: string): Promise<Rig> {
  const temporal = await startScenarioTemporal(dir);
  const source = await startScenarioSource().catch(async (error: unknown) => {
    await temporal.stop();
    throw error;
  });
  const { client, connection } = await connectClient(temporal.address);
  return {
    temporal,
    source,
    client,
    close: async () => {
      await connection.close().catch(() => undefined);
      await source.close();
      await temporal.stop();
    },
  };
}
