/**
 * The Temporal CLI, whose `server start-dev` is our local Temporal server: found on the machine, or built once
 * from its Go module into a per-user cache outside the clone, so fresh clones (CI) reuse it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { cachedToolPath, ensureGoTool, locateGoTool, type GoTool } from './go-tool.ts';

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

const TEMPORAL_CLI: GoTool = {
  binary: 'temporal',
  module: TEMPORAL_CLI_MODULE,
  version: TEMPORAL_CLI_VERSION,
  pathVariable: 'TEMPORAL_CLI_PATH',
  title: 'the Temporal CLI',
  buildTime: 'a few minutes',
};

export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return cachedToolPath(TEMPORAL_CLI, env);
}

/** TEMPORAL_CLI_PATH, then `temporal` on the PATH, then the cache; undefined when none exists. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return locateGoTool(TEMPORAL_CLI, env);
}

/** Returns a usable `temporal` binary, building it with `go install` when there is none (a few minutes, once). */
export function ensureTemporalCli(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return ensureGoTool(TEMPORAL_CLI, log, env);
}

export interface DevServer {
  address: string;
  uiUrl: string;
  /** False when a server was already answering at the address and was reused. */
  owned: boolean;
  /** Process id of the server this call started (none when reused), for a chaos run that kills it. */
  pid?: number | undefined;
  stop(): Promise<void>;
}

/** True when a Temporal server at `address` answers within `timeoutMs`. */
export async function temporalAnswers(address: string, timeoutMs: number): Promise<boolean> {
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
  if (await temporalAnswers(address, 1000)) {
    log.info({ address }, 'reusing the Temporal server already running');
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    port,
    '--ui-port',
    String(uiPort),
    '--db-filename',
    dbFile,
  ];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(address, 1000))) {
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
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
