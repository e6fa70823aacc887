/**
 * What the API-side chaos scenarios start for themselves, loopback only, on free ports, in the scenario's folder: a
 * scratch database on the run's PostgreSQL server, a redis-server that can be SIGKILLed and started again on its
 * port, an ephemeral Temporal dev server, the API as a process of its own (bin/api.ts, as `npm run api` runs it), a
 * pipeline worker in this process, and a logger whose JSON lines are kept for the checks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import type { ActivityDeps } from '../../activities/index.ts';
import { ensureLocalRedis, type LocalRedis } from '../../infra/redis.ts';
import { createPipelineWorker } from '../../infra/pipeline-worker.ts';
import { startEphemeralTemporal } from '../../test/ephemeral-temporal.ts';
import { installTemporalRuntime } from '../../infra/temporal-runtime.ts';
import { REPO_ROOT } from '../../lib/config.ts';
import { createPool, migrate, type Pool } from '../../lib/db.ts';
import { createLogger, type Logger } from '../../lib/log.ts';
import { freePort } from '../../test/ports.ts';

export { freePort };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ScratchDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own on the server of `adminUrl`, named `afwd_t_<label>_<pid>_<now>`: the `afwd_t_` prefix
 * marks it as a run's (test/shared-cluster.ts), so another run that owns the local cluster does not stop it under
 * this one. `drop()` removes it.
 */
export async function scratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(label)) throw new Error(`scratchDatabase: label must be 1-31 lower-case letters, digits or _, got ${JSON.stringify(label)}`);
  const name = `afwd_t_${label}_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: 4, applicationName: 'afwd-chaos' });
  await migrate(pool);
  return {
    name,
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end().catch(() => undefined);
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A logger whose lines are kept (parsed) in `lines`, for checks on what a worker logged. */
export function capturingLogger(level = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level }, new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }));
  return { log, lines };
}

export const quietLogger = (): Logger => createLogger({ level: 'error', name: 'chaos' });

/** A redis-server of the scenario's own (infra/redis.ts's local server, in `dir`), which can be killed and restarted. */
export interface ChaosRedis {
  url: string;
  /** SIGKILLs the server (no snapshot saved) and waits until its port refuses connections; returns the pid killed. */
  kill(): Promise<number>;
  /** Starts it again on the same port and folder, and waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function redisPid(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('server');
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`redis INFO gave no process_id: ${info.slice(0, 200)}`);
    return pid;
  } finally {
    client.disconnect();
  }
}

export async function startChaosRedis(dir: string): Promise<ChaosRedis> {
  const port = await freePort();
  const log = quietLogger();
  let server: LocalRedis = await ensureLocalRedis({ dir, port, log });
  const url = server.url;
  const refuses = async () => redisPid(url).then(() => false, () => true);
  return {
    url,
    async kill() {
      const pid = await redisPid(url);
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (!(await refuses())) {
        if (Date.now() > deadline) throw new Error(`redis-server pid ${pid} still answers 10 s after SIGKILL`);
        await sleep(50);
      }
      return pid;
    },
    async restart() {
      server = await ensureLocalRedis({ dir, port, log });
    },
    stop: () => server.stop(),
  };
}

/** An ephemeral Temporal dev server (the CLI's, as the tests use it) on free loopback ports. */
export async function startTemporal(): Promise<{ address: string; stop(): Promise<void> }> {
  // The SDK's runtime is one per process and the test environment would install a default one: ours goes first.
  installTemporalRuntime(quietLogger());
  const env = await startEphemeralTemporal();
  return { address: env.address, stop: () => env.teardown() };
}

/** Runs `work` while a real pipeline worker (infra/pipeline-worker.ts) over `deps` polls a task queue of its own. */
export async function withWorker<T>(address: string, deps: ActivityDeps, work: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `chaos-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const { worker, connection } = await createPipelineWorker({ address, namespace: 'default', taskQueue, deps });
  try {
    return await worker.runUntil(work(taskQueue));
  } finally {
    await connection.close();
  }
}

export interface ApiProcess {
  /** Origin, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  /** What the process wrote to stderr (its last 20 kB), for a failure's message. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * The API as `npm run api` runs it (bin/api.ts: migrates, connects Redis, serves), in a process of its own on a free
 * loopback port, with `env` over this process's environment. Resolves once /healthz answers.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'api.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', API_SHUTDOWN_GRACE_MS: '2000', ...env, API_HOST: '127.0.0.1', API_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-20_000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited (code ${child.exitCode}) before answering: ${stderr.slice(-1000)}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API process did not answer within 60 s: ${stderr.slice(-1000)}`);
    }
    await sleep(200);
  }
  return {
    url,
    pid: child.pid!,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Tears down in reverse order, each step on its own: one failing step does not leave the others running. */
export class Teardown {
  private readonly steps: { name: string; run: () => unknown }[] = [];
  push(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }
  async run(): Promise<void> {
    const errors: string[] = [];
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        errors.push(`${step.name}: ${(error as Error).message}`);
      }
    }
    if (errors.length) console.error(`  teardown: ${errors.join('; ')}`);
  }
}
