import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { dropRunnerDatabases, scratchDatabase } from './scratch-database.ts';

async function exists(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('scratchDatabase', () => {
  it('names a migrated database and its copies after the runner, so dropRunnerDatabases finds both', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const db = await scratchDatabase(adminUrl, 'unit_test', { poolMax: 1 });
    let copy: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
    try {
      expect(db.name).toMatch(new RegExp(`^afwd_t_chaos_unit_test_${process.pid}_\\d+$`));
      expect((await db.pool.query('SELECT count(*)::int AS n FROM players')).rows[0]).toEqual({ n: 0 });
      await db.pool.end();
      copy = await scratchDatabase(adminUrl, 'copy', { template: db.name, poolMax: 1 });
      await copy.pool.end();
      // What a killed runner leaves: the supervisor drops it by the runner's pid.
      const dropped = await dropRunnerDatabases(adminUrl, process.pid);
      expect(dropped).toEqual(expect.arrayContaining([db.name, copy.name]));
      expect(await exists(adminUrl, db.name)).toBe(false);
      expect(await exists(adminUrl, copy.name)).toBe(false);
    } finally {
      await copy?.drop();
      await db.drop();
    }
  });

  it('refuses a label that would make the name ambiguous or unsafe', async () => {
    await expect(scratchDatabase('postgres://unused', 'x1; DROP')).rejects.toThrow(/label must be/);
  });
});
