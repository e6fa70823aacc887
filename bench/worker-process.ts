/**
 * What the process benchmarks share: a scratch database on the bench's PostgreSQL server, the full-scale sample
 * source in its own process, a worker in its own process on its own task queue (so its memory is its own), and the
 * worker's resident memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { REPO_ROOT } from '../lib/config.ts';
import type { BenchContext } from './context.ts';

/** The seasons the sample source serves (plus its MLB-only lead seasons). */
export const FROM = 2011;
export const TO = 2025;

export interface ScratchDatabase {
  url: string;
  /** Drops the database (forcing out its connections) and closes the admin connection. */
  drop: () => Promise<void>;
}

/** Creates an empty database named `<prefix>_<now>` on the bench's server. */
export async function createScratchDatabase(ctx: BenchContext, prefix: string): Promise<ScratchDatabase> {
  const database = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ctx.adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ctx.adminDatabaseUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function startSampleProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'sources/sample/main.ts'),
      '--port',
      '0',
      '--scale',
      '1',
      '--from',
      String(FROM),
      '--to',
      String(TO),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /on (http:\/\/[\d.]+:\d+)\/api\/v1/.exec(line);
    if (match?.[1]) {
      console.log(`  ${line}`);
      return { url: match[1], child };
    }
  }
  throw new Error('the sample server did not start');
}

export interface WorkerProcess {
  client: Client;
  taskQueue: string;
  /** The worker process's pid, for its /proc figures. */
  pid: number;
  /** Closes the Temporal connection, stops the worker and the sample source, drops the database. */
  stop: () => Promise<void>;
}

/**
 * A scratch database (`<databasePrefix>_<now>`), a data folder, the sample source and a worker on the task queue
 * `<taskQueuePrefix>-<now>` against them, and a Temporal client.
 */
export async function startWorkerProcess(
  ctx: BenchContext,
  names: { databasePrefix: string; dataDirPrefix: string; taskQueuePrefix: string },
): Promise<WorkerProcess> {
  const scratch = await createScratchDatabase(ctx, names.databasePrefix);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), names.dataDirPrefix));
  const sample = await startSampleProcess();
  const taskQueue = `${names.taskQueuePrefix}-${Date.now()}`;
  const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/worker.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: scratch.url,
      TEMPORAL_ADDRESS: ctx.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      MLB_STATS_API_URL: sample.url,
      AFWD_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  return {
    client: new Client({ connection }),
    taskQueue,
    pid: worker.pid!,
    stop: async () => {
      await connection.close();
      worker.kill('SIGTERM');
      sample.child.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** Peak resident memory (VmHWM) of a process, in MiB. */
export const peakRssMiB = (pid: number): Promise<number> => statusMiB(pid, 'VmHWM');

/** Current resident memory (VmRSS) of a process, in MiB. */
export const residentMiB = (pid: number): Promise<number> => statusMiB(pid, 'VmRSS');
