/**
 * The Temporal CLI, whose `server start-dev` is our local Temporal server: found on the machine, or built once
 * from its Go module into a per-user cache outside the clone, so fresh clones (CI) reuse it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

/** Later tags carry a local `replace` directive in go.mod, which `go install pkg@version` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Search attributes the workflows set, registered when the dev server starts. */
export const SEARCH_ATTRIBUTES: Record<string, 'Int' | 'Keyword' | 'Text' | 'Double'> = {
  AfwdStage: 'Keyword',
  AfwdSeasonsDone: 'Int',
  AfwdRowsLoaded: 'Int',
  AfwdRowsQuarantined: 'Int',
};

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.AFWD_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'afwd');
}

export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'temporal', TEMPORAL_CLI_VERSION, 'temporal');
}

function onPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** TEMPORAL_CLI_PATH, then `temporal` on the PATH, then the cache; undefined when none exists. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.TEMPORAL_CLI_PATH?.trim();
  if (configured) {
    if (!existsSync(configured)) {
      throw new PrerequisiteError(`TEMPORAL_CLI_PATH points to ${configured}, which does not exist: fix or unset it.`);
    }
    return configured;
  }
  const cached = cachedCliPath(env);
  return onPath('temporal', env) ?? (existsSync(cached) ? cached : undefined);
}

/** Returns a usable `temporal` binary, building it with `go install` when there is none (a few minutes, once). */
export async function ensureTemporalCli(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = locateTemporalCli(env);
  if (found) return found;
  const go = onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new PrerequisiteError(
      'No Temporal CLI was found and Go is not installed to build it: install Go 1.25 or later, or put a `temporal` binary on the PATH (or set TEMPORAL_CLI_PATH).',
    );
  }
  const target = cachedCliPath(env);
  // Build into a private folder, then rename: a build killed half-way never leaves a broken binary in the cache.
  const staging = `${path.dirname(target)}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  log.info({ module: `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`, target }, 'building the Temporal CLI (once; a few minutes)');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: staging, GOFLAGS: `${env.GOFLAGS ?? ''} -trimpath`.trim() },
      // go's output goes to stderr (fd 2 for both): stdout belongs to the command being bootstrapped.
      stdio: ['ignore', 2, 'inherit'],
    });
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0 || !existsSync(path.join(staging, 'temporal'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new PrerequisiteError(
      `Building the Temporal CLI with \`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}\` failed (exit ${code}): check Go (1.25+) and the module proxy, or set TEMPORAL_CLI_PATH.`,
    );
  }
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(path.join(staging, 'temporal'), target);
  rmSync(staging, { recursive: true, force: true });
  log.info({ target, seconds: Math.round((Date.now() - started) / 1000) }, 'Temporal CLI built');
  return target;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  /** False when a server was already answering at the address and was reused. */
  owned: boolean;
  stop(): Promise<void>;
}

async function answers(address: string, timeoutMs: number): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/**
 * Starts `temporal server start-dev` (SQLite file, Web UI) unless a server already answers at the address.
 * Its output goes to `logFile`, so a failure to start can be diagnosed.
 */
export async function startDevServer(options: {
  cli: string;
  address: string;
  uiPort: number;
  dbFile: string;
  logFile: string;
  log: Logger;
}): Promise<DevServer> {
  const { cli, address, uiPort, dbFile, logFile, log } = options;
  const [host = '127.0.0.1', port = '7233'] = address.split(':');
  const uiUrl = `http://${host}:${uiPort}`;
  if (await answers(address, 1000)) {
    log.info({ address }, 'reusing the Temporal server already running');
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const args = ['server', 'start-dev', '--ip', host, '--port', port, '--ui-port', String(uiPort), '--db-filename', dbFile];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!(await answers(address, 1000))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new PrerequisiteError(`The Temporal dev server did not start on ${address}: see ${logFile}.`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  log.info({ address, ui: uiUrl, dbFile }, 'Temporal dev server started');
  return {
    address,
    uiUrl,
    owned: true,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
