/**
 * A database of its own for a test file, on the run's PostgreSQL server: created (and migrated) in beforeAll,
 * dropped in afterAll, so heavy suites running in parallel never see each other's rows.
 */
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, migrate, type Pool } from '../lib/db.ts';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `afwd_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A name of its own, so a test that cuts the application's connections does not cut its own.
  const pool = createPool(url.toString(), { max: 4, applicationName: 'afwd-test' });
  if (options.migrate ?? true) await migrate(pool);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
