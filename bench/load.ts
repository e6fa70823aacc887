/**
 * Benchmark of the load path alone: the same bulk upsert the loader uses (`insertRows` + `upsertClause` into the
 * partitioned season-stats table), on generated season lines, into an empty database and then again (a no-op reload).
 */
import { createPool, migrate } from '../lib/db.ts';
import { STAT_COLUMNS, statRow } from '../db/season-lines.ts';
import { insertRows, upsertClause } from '../db/bulk.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import type { BenchContext } from './context.ts';
import { createScratchDatabase } from './worker-process.ts';

const STAT_DATA = STAT_COLUMNS.filter((c) => c !== 'source' && c !== 'batch_id');

export async function benchLoad(ctx: BenchContext): Promise<void> {
  const universe = generateUniverse({ seed: 11, scale: 1, fromSeason: 2016, toSeason: 2025 });
  const lines = universe.lines;
  const scratch = await createScratchDatabase(ctx, 'afwd_bench_load');
  const pool = createPool(scratch.url, { max: 2 });
  try {
    await migrate(pool);
    const rows = lines.map((l) => statRow(l, 'bench', 1));
    const clause = upsertClause(
      'player_season_stats',
      ['season', 'player_id', 'sport_id', 'stat_group'],
      STAT_COLUMNS,
      STAT_DATA,
    );
    for (const label of ['empty table', 'reload (no changes)']) {
      const client = await pool.connect();
      const started = performance.now();
      await client.query('BEGIN');
      const written = await insertRows(client, 'player_season_stats', STAT_COLUMNS, rows, clause);
      await client.query('COMMIT');
      const seconds = (performance.now() - started) / 1000;
      client.release();
      console.log(
        `    ${label.padEnd(26)}${Math.round(rows.length / seconds)} rows/s (${rows.length} lines, ${written} written, ${seconds.toFixed(2)} s)`,
      );
    }
  } finally {
    await pool.end();
    await scratch.drop();
  }
}
