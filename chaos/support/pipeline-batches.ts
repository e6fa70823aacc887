/**
 * The ingest batches of a pipeline database after a chaos run: every season loaded by exactly one live batch, no
 * attempt left dangling, no superseded attempt loaded, every season line from a live loaded batch.
 */
import type { Queryable } from '../../lib/db.ts';
import { MLB_SOURCE } from '../../activities/ingest.ts';

export interface BatchHealth {
  seasons: number;
  /** Live (not superseded) batches with a finished load: one per season when all is well. */
  loaded: number;
  /** Live batches never loaded. */
  dangling: number;
  /** Fetch attempts replaced by a retry. */
  superseded: number;
  /** Superseded batches that were loaded anyway (must be 0). */
  supersededLoaded: number;
  /** Season lines whose batch is not a live loaded one (must be 0). */
  strayLines: number;
  /** Fetch attempts (batches) per season. */
  attemptsBySeason: Map<number, number>;
}

export async function batchHealth(db: Queryable): Promise<BatchHealth> {
  const { rows } = await db.query<{
    season: number;
    live_loaded: number;
    dangling: number;
    superseded: number;
    superseded_loaded: number;
  }>(
    `SELECT season::int,
            count(*) FILTER (WHERE superseded_at IS NULL AND finished_at IS NOT NULL)::int AS live_loaded,
            count(*) FILTER (WHERE superseded_at IS NULL AND finished_at IS NULL)::int AS dangling,
            count(*) FILTER (WHERE superseded_at IS NOT NULL)::int AS superseded,
            count(*) FILTER (WHERE superseded_at IS NOT NULL AND finished_at IS NOT NULL)::int AS superseded_loaded
       FROM ingest_batches WHERE source = $1 GROUP BY season ORDER BY season`,
    [MLB_SOURCE],
  );
  const { rows: stray } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM player_season_stats s
      WHERE NOT EXISTS (SELECT 1 FROM ingest_batches b WHERE b.batch_id = s.batch_id AND b.superseded_at IS NULL AND b.finished_at IS NOT NULL)`,
  );
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    seasons: rows.length,
    loaded: sum((r) => r.live_loaded),
    dangling: sum((r) => r.dangling),
    superseded: sum((r) => r.superseded),
    supersededLoaded: sum((r) => r.superseded_loaded),
    strayLines: stray[0]!.n,
    attemptsBySeason: new Map(rows.map((r) => [r.season, r.live_loaded + r.dangling + r.superseded])),
  };
}

/** True when every season was loaded once by a live batch and nothing else was. */
export function batchesSound(h: BatchHealth, seasons: number): boolean {
  return (
    h.seasons === seasons && h.loaded === seasons && h.dangling === 0 && h.supersededLoaded === 0 && h.strayLines === 0
  );
}

export function describeBatches(h: BatchHealth): string {
  return `${h.seasons} seasons, ${h.loaded} live loaded batches, ${h.dangling} dangling, ${h.superseded} superseded attempts (${h.supersededLoaded} loaded), ${h.strayLines} stray lines`;
}
