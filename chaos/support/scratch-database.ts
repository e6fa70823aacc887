/**
 * Databases the chaos scenarios create for themselves on a PostgreSQL server, named
 * `afwd_t_chaos_<label>_<runner pid>_<n>`. The `afwd_t_` prefix marks a run's database (test/shared-cluster.ts), so
 * another run that owns the local cluster does not stop it under this one; the runner's pid lets the supervisor
 * (chaos/index.ts) drop what a runner it killed left behind, before it decides whether to stop the cluster.
 */
import pg from 'pg';
import { createPool, migrate, type Pool } from '../../lib/db.ts';

export interface ScratchDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** Copy this database (which must have no open connections) instead of creating an empty, migrated one. */
  template?: string;
  /** @default 4 */
  poolMax?: number;
}

/** Letters and `_` only: the pid and counter after it are then the only digits, and the name stays unambiguous. */
const LABEL = /^[a-z][a-z_]{0,19}$/;
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

let created = 0;

async function admin(adminUrl: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database of the scenario's own on the server of `adminUrl`: migrated, or a copy of `options.template`. */
export async function scratchDatabase(
  adminUrl: string,
  label: string,
  options: ScratchOptions = {},
): Promise<ScratchDatabase> {
  if (!LABEL.test(label))
    throw new Error(`scratchDatabase: label must be 1-20 lower-case letters or _, got ${JSON.stringify(label)}`);
  if (options.template !== undefined && !NAME.test(options.template))
    throw new Error(`scratchDatabase: not a database name: ${JSON.stringify(options.template)}`);
  const name = `afwd_t_chaos_${label}_${process.pid}_${created++}`;
  // A runner that had this pid before (pids are reused) may have been killed before its supervisor dropped it.
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(adminUrl, `CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ''}`);
  const url = databaseUrl(adminUrl, name);
  const pool = createPool(url, { max: options.poolMax ?? 4, applicationName: 'afwd-chaos' });
  // A restarted server cuts this pool's idle connections: the pool drops them, the next query reconnects.
  pool.on('error', () => undefined);
  if (!options.template) await migrate(pool);
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end().catch(() => undefined);
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Drops every database the runner process `pid` created on the server of `adminUrl`; returns their names. */
export async function dropRunnerDatabases(adminUrl: string, pid: number): Promise<string[]> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`dropRunnerDatabases: not a pid: ${pid}`);
  const { rows } = await admin(adminUrl, 'SELECT datname FROM pg_database WHERE datname ~ $1 ORDER BY datname', [
    `^afwd_t_chaos_[a-z_]+_${pid}_[0-9]+$`,
  ]);
  const names = rows.map((r: { datname: string }) => r.datname);
  for (const name of names) await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return names;
}
