/**
 * The world of the load test under the daily pipeline (bench/api-under-pipeline.ts), every piece a real process:
 * PostgreSQL (the bench's local cluster, or BENCH_DATABASE_URL's server) with a scratch database, a Temporal dev
 * server, a pipeline worker (bin/worker.ts, serving the default sample itself), the database seeded by really running
 * the pipeline once, Redis of its own, and the API (bench/loadtest-api-process.ts: the server of `npm run api` with a
 * memory reporter) in a process of its own behind which
 * a trusted proxy is assumed (API_TRUST_PROXY=1: the generator's X-Forwarded-For addresses are its clients).
 * `stop()` takes everything down in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { setRole, userByEmail } from '../db/users.ts';
import type { LocalPostgres } from '../infra/postgres.ts';
import { ensureLocalRedis, type LocalRedis } from '../infra/redis.ts';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { startEphemeralTemporal } from '../test/ephemeral-temporal.ts';
import { stopUnlessShared, testCluster } from '../test/shared-cluster.ts';
import { freePort } from '../test/ports.ts';
import { pipelineWorkflowId } from '../workflows/ids.ts';
import type { PipelineResult, runPipeline } from '../workflows/run-pipeline.ts';
import { deleteKeys } from './api.ts';
import type { MemoryReport } from './loadtest-api-process.ts';
import { createScratchDatabase, type ScratchDatabase } from './worker-process.ts';

export const API_PREFIX = '/api/v1';

export interface LoadWorld {
  client: Client;
  taskQueue: string;
  /** First as-of season of the sample, the daily schedule's input. */
  fromSeason: number;
  apiUrl: string;
  apiPid: number;
  /** The API process's memory, from inside it (bench/loadtest-api-process.ts). */
  apiMemory(): Promise<MemoryReport>;
  workerPid: number;
  databaseUrl: string;
  redisUrl: string;
  pool: Pool;
  seed: { seconds: number; result: PipelineResult };
  stop(): Promise<void>;
}

type Stop = { name: string; stop: () => Promise<void> | void };

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns the API process and waits for the URL it reports over IPC. */
async function startApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  // The API's stdout is its JSON log (one access line a request): discarded, as a log shipper would take it away,
  // unless LOADTEST_API_STDOUT names a file for it (its errors, to find the cause of a 5xx).
  const stdout = process.env.LOADTEST_API_STDOUT ? openSync(process.env.LOADTEST_API_STDOUT, 'w') : 'ignore';
  // LOADTEST_API_NODE_FLAGS: Node/V8 flags for the API's process (--trace-gc: its pauses, into LOADTEST_API_STDOUT).
  const flags = (process.env.LOADTEST_API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...flags, path.join(REPO_ROOT, 'bench', 'loadtest-api-process.ts')], {
    env,
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API process did not start within 60 s')), 60_000);
    child.once('message', (message: { url?: string }) => {
      clearTimeout(timer);
      if (message.url) resolve(message.url);
      else reject(new Error(`unexpected message from the API process: ${JSON.stringify(message)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API process exited (code ${code}) before listening`));
    });
  });
  return { child, url };
}

/** Asks the API process for its memory report; rejects after 20 s without one. */
function askMemory(child: ChildProcess): Promise<MemoryReport> {
  return new Promise<MemoryReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the API process sent no memory report within 20 s'));
    }, 20_000);
    const onMessage = (message: Partial<MemoryReport>) => {
      if (message.rssBytes === undefined) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as MemoryReport);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

/** Starts everything; on a failure part-way, stops what was started and rethrows. */
export async function startLoadWorld(): Promise<LoadWorld> {
  const log = createLogger({ level: 'warn', name: 'loadtest' });
  const stops: Stop[] = [];
  const stop = async () => {
    for (const { name, stop: s } of stops.reverse()) {
      try {
        await s();
      } catch (error) {
        console.error(`  stopping ${name} failed: ${(error as Error).message}`);
      }
    }
    stops.length = 0;
  };
  try {
    let local: LocalPostgres | undefined;
    if (!process.env.BENCH_DATABASE_URL) {
      local = await testCluster(log);
      stops.push({ name: 'postgres', stop: async () => void (await stopUnlessShared(local)) });
    }
    const adminDatabaseUrl = process.env.BENCH_DATABASE_URL ?? local!.adminUrl;
    const temporal = await startEphemeralTemporal();
    stops.push({ name: 'temporal', stop: () => temporal.teardown() });
    const scratch: ScratchDatabase = await createScratchDatabase(
      { adminDatabaseUrl, temporalAddress: temporal.address },
      'afwd_bench_loadtest',
    );
    stops.push({ name: 'scratch database', stop: () => scratch.drop() });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'afwd-loadtest-'));
    stops.push({ name: 'data folder', stop: () => rm(dataDir, { recursive: true, force: true }) });

    // The worker serves the default sample itself (no MLB_STATS_API_URL), on a free port.
    const taskQueue = `loadtest-${Date.now()}`;
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: scratch.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AFWD_DATA_DIR: dataDir,
      SAMPLE_PORT: '0',
      LOG_LEVEL: 'warn',
      METRICS_ADDRESS: '',
    };
    delete workerEnv.MLB_STATS_API_URL;
    const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
      env: workerEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    stops.push({ name: 'worker', stop: () => stopChild(worker, 60_000) });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push({ name: 'temporal client', stop: () => connection.close() });
    const client = new Client({ connection });
    const config = loadConfig(workerEnv);
    const input = { fromSeason: config.sample.fromSeason, toSeason: config.sample.toSeason };
    console.log(
      `  seeding: runPipeline ${input.fromSeason}-${input.toSeason} on the default sample (scale ${config.sample.scale}), worker pid ${worker.pid}...`,
    );
    const started = performance.now();
    const result = await client.workflow.execute<typeof runPipeline>('runPipeline', {
      taskQueue,
      workflowId: `${taskQueue}-${pipelineWorkflowId(input)}`,
      args: [input],
    });
    const seedSeconds = (performance.now() - started) / 1000;

    const redis: LocalRedis = process.env.BENCH_REDIS_URL
      ? { url: process.env.BENCH_REDIS_URL, owned: false, stop: async () => {} }
      : await ensureLocalRedis({
          dir: path.join(REPO_ROOT, '.data', 'redis-loadtest'),
          port: Number(process.env.BENCH_REDIS_PORT ?? (await freePort())),
          log,
        });
    stops.push({ name: 'redis', stop: () => redis.stop() });
    const keyPrefix = `afwd-loadtest:${randomUUID().slice(0, 8)}:`;
    stops.push({ name: 'redis keys', stop: () => deleteKeys(redis.url, keyPrefix) });
    const pool = createPool(scratch.url);
    stops.push({ name: 'pool', stop: () => pool.end() });
    const api = await startApi({
      ...process.env,
      DATABASE_URL: scratch.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: keyPrefix,
      AFWD_DATA_DIR: dataDir,
      API_TRUST_PROXY: '1',
      LOG_LEVEL: process.env.LOADTEST_API_LOG_LEVEL ?? config.logLevel,
    });
    stops.push({ name: 'api', stop: () => stopChild(api.child, 60_000) });
    return {
      client,
      taskQueue,
      fromSeason: config.sample.fromSeason,
      apiUrl: api.url,
      apiPid: api.child.pid!,
      apiMemory: () => askMemory(api.child),
      workerPid: worker.pid!,
      databaseUrl: scratch.url,
      redisUrl: redis.url,
      pool,
      seed: { seconds: seedSeconds, result },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function expectStatus(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/**
 * `count` premium accounts for the run, each registered and logged in through the real routes from an address of
 * its own (the per-address registration and login limits stay as configured), its role raised as
 * `npm run users -- set-role` does; returns their access tokens (valid 15 minutes).
 */
export async function premiumTokens(apiUrl: string, pool: Pool, count: number, concurrency = 4): Promise<string[]> {
  const tokens: string[] = [];
  const run = randomUUID().slice(0, 8);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const email = `loadtest-${run}-${i}@example.test`;
        const password = `load test password ${run} ${i}`;
        const headers = { 'content-type': 'application/json', 'x-forwarded-for': `192.168.${i >> 8}.${i & 255}` };
        const post = (route: string) =>
          fetch(`${apiUrl}${API_PREFIX}/auth/${route}`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ email, password }),
          });
        await expectStatus(await post('register'), 202, `register ${email}`);
        const user = await userByEmail(pool, email);
        if (!user) throw new Error(`register of ${email} created no account`);
        await setRole(pool, user.userId, 'premium');
        const res = await expectStatus(await post('login'), 200, `login ${email}`);
        tokens.push(((await res.json()) as { accessToken: string }).accessToken);
      }
    }),
  );
  return tokens;
}

/** GET a JSON document from the API as an anonymous client; throws unless 200. */
export async function getJson<T>(apiUrl: string, route: string): Promise<T> {
  const res = await expectStatus(
    await fetch(`${apiUrl}${API_PREFIX}${route}`, { headers: { 'x-forwarded-for': '172.16.0.1' } }),
    200,
    `GET ${route}`,
  );
  return (await res.json()) as T;
}
