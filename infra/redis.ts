/**
 * The project-local Redis used when REDIS_URL is unset: Debian's `redis-server` (the bootstrap installs it), data in
 * the project's data folder, bound to 127.0.0.1. A server already answering on the port from the same folder is
 * reused and left running; only a server this process started is stopped.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { dataPaths, type Config } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

export const REDIS_SERVER_PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export interface LocalRedis {
  url: string;
  /** False when an already-running server was reused: stopping it is then someone else's job. */
  owned: boolean;
  stop(): Promise<void>;
}

/** The `redis-server` binary: PATH first, then the usual places. Undefined when none is installed. */
export function locateRedisServer(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const candidates = [...dirs.map((dir) => path.join(dir, 'redis-server')), ...REDIS_SERVER_PATHS];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function probeClient(port: number): Redis {
  return new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
}

/** The data folder of the server answering on `port`, or undefined when nothing answers. */
async function runningServerDir(port: number): Promise<string | undefined> {
  const client = probeClient(port);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const reply = (await client.call('CONFIG', 'GET', 'dir')) as string[];
    return reply[1] ?? '';
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

function logTail(file: string): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
}

export interface LocalRedisOptions {
  dir: string;
  port: number;
  log: Logger;
  /**
   * Start the server in a process group of its own, so a Ctrl-C reaching the terminal's group does not kill it
   * before we save and stop it in order. False keeps it in the caller's group, for a caller whose group is killed
   * as a whole (the chaos runner) and must take the server with it.
   * @default true
   */
  detached?: boolean;
}

/** Starts (or reuses) the local redis-server keeping its data in `dir`, on 127.0.0.1:`port`. */
export async function ensureLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const { dir, port, log, detached = true } = options;
  const url = `redis://127.0.0.1:${port}`;
  const runningDir = await runningServerDir(port);
  if (runningDir !== undefined) {
    if (path.resolve(runningDir) !== path.resolve(dir)) {
      throw new PrerequisiteError(
        `Port ${port} already serves another Redis (data in ${runningDir || 'an unknown folder'}): set LOCAL_REDIS_PORT to a free port or REDIS_URL to use that server.`,
      );
    }
    log.info({ port, dir }, 'reusing the running local Redis');
    return { url, owned: false, stop: async () => {} };
  }

  const binary = locateRedisServer();
  if (!binary) {
    throw new PrerequisiteError(
      'redis-server was not found: run `apt-get install redis-server` as root, or set REDIS_URL to a Redis server.',
    );
  }
  await mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'redis.log');
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      '--logfile',
      logFile,
      '--save',
      '300 1',
      '--appendonly',
      'no',
    ],
    { detached, stdio: 'ignore' },
  );
  child.unref();
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  child.once('error', () => {
    exited = -1;
  });

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited !== undefined) {
      throw new PrerequisiteError(
        `The local Redis in ${dir} did not start (${logTail(logFile) || `exit code ${exited}`}).`,
      );
    }
    if ((await runningServerDir(port)) !== undefined) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new PrerequisiteError(
        `The local Redis in ${dir} did not answer on port ${port} within 15 s (${logTail(logFile)}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log.info({ port, dir }, 'local Redis started');
  return {
    url,
    owned: true,
    stop: async () => {
      if (exited !== undefined) return;
      // SIGTERM makes redis-server save its snapshot and exit.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The Redis of a process: REDIS_URL when set, otherwise the project-local server in AFWD_DATA_DIR/redis. */
export async function openRedis(config: Config, log: Logger): Promise<LocalRedis> {
  if (config.redis.url) return { url: config.redis.url, owned: false, stop: async () => {} };
  return ensureLocalRedis({ dir: dataPaths(config).redis, port: config.redis.localPort, log });
}
