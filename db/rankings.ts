/**
 * Ranking snapshots and their publication: the published prospect cards the API serves, and the notification
 * PostgreSQL sends on PUBLISHED_CHANNEL when a snapshot goes live, which starts a new API cache version.
 */
import type { Queryable } from '../lib/db.ts';

/** `NOTIFY` channel of a publication; the payload is the ranking snapshot id. */
export const PUBLISHED_CHANNEL = 'afwd_published';

export interface PublishedSnapshot {
  snapshotId: string;
  predictionRunId: string;
  publishedAt: Date;
}

/**
 * The snapshot being served: the newest published one, or the newest published on or before `asOf` (end of that
 * day, UTC) to reproduce what was served then. Null when nothing was published (by then).
 */
export async function latestPublishedSnapshot(db: Queryable, asOf?: Date): Promise<PublishedSnapshot | null> {
  const { rows } = await db.query<{ snapshot_id: string; prediction_run_id: string; published_at: Date }>(
    `SELECT snapshot_id, prediction_run_id, published_at FROM ranking_snapshots
     WHERE published_at IS NOT NULL AND ($1::timestamptz IS NULL OR published_at <= $1)
     ORDER BY published_at DESC LIMIT 1`,
    [asOf ?? null],
  );
  const row = rows[0];
  return row ? { snapshotId: row.snapshot_id, predictionRunId: row.prediction_run_id, publishedAt: row.published_at } : null;
}
