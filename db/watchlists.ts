/**
 * Watchlists: the prospects a user follows, each with where the served (newest published) snapshot ranks him and
 * his move since the snapshot before (the card's `trend`, positive = up).
 */
import { withTransaction, type Pool, type Queryable } from '../lib/db.ts';

export interface WatchlistItem {
  playerId: number;
  name: string;
  addedAt: Date;
  /** Null when the served snapshot does not rank him (or nothing is published yet). */
  rank: number | null;
  rankChange: number | null;
  snapshotId: string | null;
}

/**
 * Adds a player; 'added', 'present' (already on it), 'unknown-player' or 'full' (at `maxItems`). The user's row is
 * locked first, in a transaction, so concurrent adds count one after the other and the list never passes the limit.
 */
export async function addToWatchlist(
  pool: Pool,
  userId: string,
  playerId: number,
  maxItems: number,
): Promise<'added' | 'present' | 'unknown-player' | 'full'> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT 1 FROM users WHERE user_id = $1 FOR UPDATE', [userId]);
    return addLocked(client, userId, playerId, maxItems);
  });
}

async function addLocked(
  db: Queryable,
  userId: string,
  playerId: number,
  maxItems: number,
): Promise<'added' | 'present' | 'unknown-player' | 'full'> {
  const { rows } = await db.query<{ outcome: 'added' | 'present' | 'unknown-player' | 'full' }>(
    `WITH player AS (SELECT player_id FROM players WHERE player_id = $2),
          present AS (SELECT 1 FROM watchlists WHERE user_id = $1 AND player_id = $2),
          size AS (SELECT count(*) AS n FROM watchlists WHERE user_id = $1),
          inserted AS (
            INSERT INTO watchlists (user_id, player_id)
            SELECT $1, player_id FROM player
            WHERE NOT EXISTS (SELECT 1 FROM present) AND (SELECT n FROM size) < $3
            ON CONFLICT DO NOTHING RETURNING 1)
     SELECT CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN 'added'
                 WHEN EXISTS (SELECT 1 FROM present) THEN 'present'
                 WHEN NOT EXISTS (SELECT 1 FROM player) THEN 'unknown-player'
                 ELSE 'full' END AS outcome`,
    [userId, playerId, maxItems],
  );
  return rows[0]?.outcome ?? 'present';
}

/** Removes a player; false when he was not on the list. */
export async function removeFromWatchlist(db: Queryable, userId: string, playerId: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM watchlists WHERE user_id = $1 AND player_id = $2`, [
    userId,
    playerId,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function watchlist(db: Queryable, userId: string): Promise<WatchlistItem[]> {
  const { rows } = await db.query<{
    player_id: number;
    name: string;
    created_at: Date;
    rank: number | null;
    trend: number | null;
    snapshot_id: string | null;
  }>(
    `WITH served AS (
       SELECT snapshot_id FROM ranking_snapshots WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1)
     SELECT w.player_id, p.full_name AS name, w.created_at, pp.rank, (pp.card->>'trend')::int AS trend,
            pp.ranking_snapshot_id AS snapshot_id
     FROM watchlists w
     JOIN players p ON p.player_id = w.player_id
     LEFT JOIN published_prospects pp ON pp.player_id = w.player_id AND pp.ranking_snapshot_id = (SELECT snapshot_id FROM served)
     WHERE w.user_id = $1
     ORDER BY pp.rank NULLS LAST, w.created_at, w.player_id`,
    [userId],
  );
  return rows.map((r) => ({
    playerId: r.player_id,
    name: r.name,
    addedAt: r.created_at,
    rank: r.rank,
    rankChange: r.trend,
    snapshotId: r.snapshot_id,
  }));
}
