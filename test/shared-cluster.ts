/**
 * The test cluster (.data/postgres-test) is shared by every test run and benchmark of the clone: the first to find
 * it stopped starts it and "owns" it, but others may attach while it runs. Stopping it under them kills their
 * connections mid-test ("terminating connection due to administrator command"), so the owner stops it only when
 * no other run's database is left on it.
 */
import path from 'node:path';
import pg from 'pg';
import { ensureLocalPostgres, type LocalPostgres } from '../infra/postgres.ts';
import { REPO_ROOT } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

/** Databases runs create: test runs (`afwd_test_`), test files (`afwd_t_`), benchmarks (`afwd_bench_`). */
const RUN_DATABASES = '^afwd_(test|t|bench)_';

/** Names of the databases of other runs still on the server. */
export async function otherRunDatabases(adminUrl: string): Promise<string[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname ~ $1 ORDER BY 1',
      [RUN_DATABASES],
    );
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

/** Stops the cluster this process started, unless another run still has a database on it. */
export async function stopUnlessShared(
  local: { stop(): Promise<void>; adminUrl: string } | undefined,
): Promise<string[]> {
  if (!local) return [];
  const others = await otherRunDatabases(local.adminUrl).catch(() => []);
  if (others.length === 0) await local.stop();
  return others;
}

/**
 * This clone's test cluster. A port taken by another clone's cluster (left running by a killed run) is skipped
 * rather than fatal: the next few ports are tried.
 */
export async function testCluster(log: Logger): Promise<LocalPostgres> {
  const first = Number(process.env.TEST_PG_PORT ?? 54330);
  for (let port = first; ; port++) {
    try {
      return await ensureLocalPostgres({ dir: path.join(REPO_ROOT, '.data', 'postgres-test'), port, log });
    } catch (error) {
      if (
        !(error instanceof PrerequisiteError) ||
        !/already serves another PostgreSQL cluster/.test(error.message) ||
        port >= first + 9
      )
        throw error;
    }
  }
}
