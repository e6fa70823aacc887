/**
 * Benchmark of the load path alone: the same bulk upsert the loader uses (`insertRows` + `upsertClause` into the
 * partitioned season-stats table), on generated season lines, into an empty database and then again (a no-op reload).
 */
import pg from 'pg';
import { createPool, migrate } from '../lib/db.ts';
import { STAT_COLUMNS, statRow } from '../activities/load-season.ts';
import { insertRows, upsertClause } from '../activities/sql.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import type { BenchContext } from './context.ts';

const STAT_DATA = STAT_COLUMNS.filter((c) => c !== 'source' && c !== 'batch_id');

export async function benchLoad(ctx: BenchContext): Promise<void> {
  const universe = generateUniverse({ seed: 11, scale: 1, fromSeason: 2016, toSeason: 2025 });
  const lines = universe.lines;
  const database = `afwd_bench_load_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ctx.adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ctx.adminDatabaseUrl);
  url.pathname = `/${database}`;
  const pool = createPool(url.toString(), { max: 2 });
  try {
    await migrate(pool);
    const rows = lines.map((l) => statRow(l, 'bench', 1));
    const clause = upsertClause('player_season_stats', ['season', 'player_id', 'sport_id', 'stat_group'], STAT_COLUMNS, STAT_DATA);
    for (const label of ['empty table', 'reload (no changes)']) {
      const client = await pool.connect();
      const started = performance.now();
      await client.query('BEGIN');
      const written = await insertRows(client, 'player_season_stats', STAT_COLUMNS, rows, clause);
      await client.query('COMMIT');
      const seconds = (performance.now() - started) / 1000;
      client.release();
      console.log(`    ${label.padEnd(26)}${Math.round(rows.length / seconds)} rows/s (${rows.length} lines, ${written} written, ${seconds.toFixed(2)} s)`);
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
