import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { createPool, migrate, readMigrations, withTransaction, type Pool } from './db.ts';

// A database of its own, so "twice" really starts from nothing.
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  pool = db.pool;
});

afterAll(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('applies every migration once, and a second run applies nothing', async () => {
    const all = (await readMigrations()).map((m) => m.name);
    expect(await migrate(pool)).toEqual(all);
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query('SELECT name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toEqual(all);
  });

  it('lets two processes migrate at once without applying anything twice', async () => {
    const results = await Promise.all([migrate(pool), migrate(pool)]);
    expect(results.flat()).toEqual([]);
  });

  it('creates every table the design names', async () => {
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'player_season_stats_%'",
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      'players',
      'organizations',
      'affiliates',
      'player_season_stats',
      'draft_picks',
      'scouting_grades',
      'raw_responses',
      'quarantine',
      'feature_snapshots',
      'models',
      'predictions',
      'ranking_snapshots',
      'users',
      'refresh_tokens',
      'subscriptions',
      'watchlists',
      'fantrax_links',
      'audit_log',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('partitions season stats by season natively when TimescaleDB is absent', async () => {
    const { rows: timescale } = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
    expect(timescale).toHaveLength(0);
    const { rows } = await pool.query(
      "SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'player_season_stats'::regclass",
    );
    expect(rows[0]?.partstrat).toBe('r');
    await pool.query(
      `INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, games, hits, home_runs, base_on_balls, hit_by_pitch, strike_outs, source)
       VALUES (2015, 1, 12, 'hitting', 1, 1, 0, 0, 0, 0, 'test'), (2055, 1, 12, 'hitting', 1, 1, 0, 0, 0, 0, 'test')`,
    );
    const { rows: placed } = await pool.query(
      "SELECT season, tableoid::regclass::text AS part FROM player_season_stats WHERE source = 'test' ORDER BY season",
    );
    expect(placed).toEqual([
      { season: 2015, part: 'player_season_stats_2015' },
      { season: 2055, part: 'player_season_stats_other' },
    ]);
  });

  it('refuses a migration that changed after it was applied', async () => {
    await pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    await expect(migrate(pool)).rejects.toThrow(/001_reference.sql was changed after it was applied/);
  });
});

describe('createPool', () => {
  it('sets the statement and idle-in-transaction timeouts on every connection', async () => {
    const timed = createPool(db.url, { max: 1, statementTimeoutMs: 1500, idleInTransactionTimeoutMs: 60_000 });
    try {
      const { rows } = await timed.query(
        "SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i",
      );
      expect(rows[0]).toEqual({ s: '1500ms', i: '1min' });
      await expect(timed.query('SELECT pg_sleep(5)')).rejects.toThrow(/statement timeout/);
    } finally {
      await timed.end();
    }
  });

  it('gives up connecting after the connect timeout instead of hanging', async () => {
    // A listening socket that never answers the startup packet: the way a wedged server looks.
    const { createServer } = await import('node:net');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const dead = createPool(`postgres://nobody@127.0.0.1:${port}/x`, { connectTimeoutMs: 300 });
    try {
      const started = performance.now();
      await expect(dead.query('SELECT 1')).rejects.toThrow(/timeout/i);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await dead.end();
      server.close();
    }
  });

  it('reports an idle connection cut by the server to onError instead of crashing', async () => {
    const errors: string[] = [];
    const watched = createPool(db.url, {
      max: 1,
      applicationName: 'afwd-cut-me',
      onError: (error) => errors.push(error.message),
    });
    try {
      await watched.query('SELECT 1');
      await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'afwd-cut-me'");
      for (const deadline = Date.now() + 5_000; errors.length === 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual(['terminating connection due to administrator command']);
      // The pool replaces the lost connection.
      expect((await watched.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    } finally {
      await watched.end();
    }
  });
});

describe('withTransaction', () => {
  it('reads a read-only snapshot when asked: later commits stay unseen, and writes are refused', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS snapshot_probe (n integer)');
    await pool.query('INSERT INTO snapshot_probe VALUES (1)');
    const seen = await withTransaction(
      pool,
      async (client) => {
        const first = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM snapshot_probe')).rows[0]!.n;
        await pool.query('INSERT INTO snapshot_probe VALUES (2)');
        const second = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM snapshot_probe')).rows[0]!.n;
        return [first, second];
      },
      { snapshot: true },
    );
    expect(seen).toEqual([1, 1]);
    await expect(
      withTransaction(pool, (client) => client.query('INSERT INTO snapshot_probe VALUES (3)'), { snapshot: true }),
    ).rejects.toThrow(/read-only transaction/);
  });
});
