/**
 * PostgreSQL access: the pool, and the migration runner over the ordered files in `sql/`.
 * Migrations run under an advisory lock so two processes starting together apply each file once.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from './config.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or one client inside a transaction. The data-access layer (db/) takes this. */
export type Queryable = Pick<pg.Pool, 'query'>;

// BIGINT and NUMERIC come back as strings by default; our ids fit in a double and our numerics are small.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PoolOptions {
  /** Connections the pool may open. @default 8 */
  max?: number;
  /** Shown in pg_stat_activity, so operators (and tests that cut connections) can tell processes apart. @default 'afwd' */
  applicationName?: string;
  /** Time allowed to open a connection before the query fails instead of hanging on a dead server. @default 10000 */
  connectTimeoutMs?: number;
  /**
   * Longest a single statement may run before the server cancels it, so a stuck query (a lock held by a zombie
   * attempt, a runaway plan) fails the activity, which Temporal retries. 0 disables. @default 600000
   */
  statementTimeoutMs?: number;
  /**
   * Longest a connection may sit idle inside an open transaction: a process that stalls mid-transaction (and keeps
   * its locks, e.g. a timed-out attempt's fence lock) is cut off by the server. 0 disables. @default 300000
   */
  idleInTransactionTimeoutMs?: number;
  /**
   * Where errors of connections go (a server restart, a terminated backend); they must not crash the process,
   * but they are worth a log line. Each error is reported once. @default ignored
   */
  onError?: (error: Error) => void;
}

export const POOL_DEFAULTS = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 600_000,
  idleInTransactionTimeoutMs: 300_000,
} as const;

export function createPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 8,
    application_name: options.applicationName ?? 'afwd',
    connectionTimeoutMillis: options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? POOL_DEFAULTS.idleInTransactionTimeoutMs,
  });
  // A dropped connection (server restart, terminated backend) must not crash the process: an idle client's error
  // reaches the pool, a checked-out client's its own listener; the query in flight rejects, and activities retry.
  // An idle client's error reaches both listeners: report it once.
  const seen = new WeakSet<Error>();
  const report = (error: Error) => {
    if (seen.has(error)) return;
    seen.add(error);
    options.onError?.(error);
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when it throws
 * (the error is rethrown), the client always released.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: {
    /**
     * Aborts the transaction: the connection is closed at once, which fails the statement in flight (a COPY stream
     * included) and makes the server roll back; the call rejects with the signal's reason. @default none
     */
    signal?: AbortSignal | undefined;
    /** A read-only snapshot (REPEATABLE READ READ ONLY): every read sees the database as at the first. @default false */
    snapshot?: boolean;
  } = {},
): Promise<T> {
  const { signal } = options;
  signal?.throwIfAborted();
  const client = await pool.connect();
  let cut = false;
  const abort = () => {
    cut = true;
    client.end().catch(() => undefined);
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.query(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const result = await work(client);
    signal?.throwIfAborted();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!cut) await client.query('ROLLBACK').catch(() => undefined);
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', abort);
    // A closed connection must not go back to the pool.
    client.release(cut);
  }
}

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'sql');
const MIGRATION_LOCK = 7_244_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    const version = Number(file.slice(0, file.indexOf('_')));
    if (migrations.some((m) => m.version === version))
      throw new Error(`Two migrations share version ${version} in ${dir}`);
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
 * A recorded migration whose file has since changed is an error: history is append-only.
 * @returns the names of the migrations applied by this call.
 */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const m of migrations) {
      const previous = done.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
