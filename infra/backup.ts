/**
 * Backups with pg_dump / pg_restore in the custom format (-Fc): compressed, one file, restorable table by table.
 * A restore never mixes into a database that already holds objects unless asked to clean it first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { emptyDatabase, serverMajorVersion, userRelationCount } from '../db/server.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { locateTool } from './pg-tools.ts';

/** A restore that would have mixed the backup into a database already holding objects (without --clean). */
export class RestoreRefusedError extends PrerequisiteError {
  override name = 'RestoreRefusedError';
}

/** `.data/backups/afwd-2026-11-30T05-53-00Z.dump` under the given folder. */
export function defaultBackupFile(dir: string, now = new Date()): string {
  return path.join(
    dir,
    `afwd-${now
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replaceAll(':', '-')}.dump`,
  );
}

/**
 * The URL without its password, and the password for PGPASSWORD: a password on the command line would be visible to
 * every user of the machine through the process list.
 */
function connectionArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${path.basename(binary)} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no output'}`),
        );
    });
  });
}

export interface BackupResult {
  file: string;
  tool: string;
  serverMajor: number;
}

/** Dumps the database at `url` to `out`; the file appears only once the dump is complete. */
export async function backupDatabase(options: { url: string; out: string }): Promise<BackupResult> {
  const serverMajor = await withClient(options.url, serverMajorVersion);
  const tool = locateTool('pg_dump', serverMajor);
  const { dbname, env } = connectionArgs(options.url);
  const file = path.resolve(options.out);
  const partial = `${file}.partial`;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await run(tool, ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return { file, tool, serverMajor };
}

export interface RestoreResult {
  tool: string;
  serverMajor: number;
  cleaned: boolean;
}

/**
 * Restores `from` into the database at `url` in one transaction: a failed restore leaves the target as it was, or,
 * with `clean`, empty.
 * Owners and grants are not restored: the target's connecting role owns what it restores, so a backup taken on one
 * server restores on another whose roles differ.
 */
export async function restoreDatabase(options: { from: string; url: string; clean?: boolean }): Promise<RestoreResult> {
  const file = path.resolve(options.from);
  if (!existsSync(file)) throw new PrerequisiteError(`No backup file at ${file}.`);
  const clean = options.clean ?? false;
  const database = decodeURIComponent(new URL(options.url).pathname.slice(1));
  const { serverMajor, tool, cleaned } = await withClient(options.url, async (client) => {
    const major = await serverMajorVersion(client);
    const relations = await userRelationCount(client);
    if (relations > 0 && !clean) {
      throw new RestoreRefusedError(
        `Database "${database}" is not empty (${relations} ${relations === 1 ? 'table, view or sequence' : 'tables, views or sequences'}): restore into a new empty database, ` +
          'or pass --clean to drop everything in it first.',
      );
    }
    // Located before anything is dropped: a missing tool must not leave the target emptied.
    const restorer = locateTool('pg_restore', major);
    if (relations > 0) await emptyDatabase(client);
    return { serverMajor: major, tool: restorer, cleaned: relations > 0 };
  });
  const { dbname, env } = connectionArgs(options.url);
  await run(
    tool,
    [`--dbname=${dbname}`, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', file],
    env,
  );
  return { tool, serverMajor, cleaned };
}
