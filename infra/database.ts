/**
 * The database of a process: DATABASE_URL when set, otherwise the project-local cluster; migrated on start.
 */
import { dataPaths, type Config } from '../lib/config.ts';
import { createPool, migrate, type Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { ensureLocalPostgres } from './postgres.ts';

export interface Database {
  pool: Pool;
  url: string;
  /** Closes the pool, and stops the local cluster when this process started it. */
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  const local = config.databaseUrl
    ? undefined
    : await ensureLocalPostgres({ dir: dataPaths(config).postgres, port: config.embeddedPgPort, log });
  const url = config.databaseUrl ?? local!.url;
  const pool = createPool(url, {
    ...config.database,
    // Logged, not thrown: the query in flight rejects on its own and its activity is retried.
    onError: (error) => log.warn({ err: error }, 'database connection error'),
  });
  const applied = await migrate(pool);
  if (applied.length) log.info({ applied }, 'migrations applied');
  return {
    pool,
    url,
    close: async () => {
      await pool.end();
      await local?.stop();
    },
  };
}
