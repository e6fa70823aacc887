/**
 * Which notification e-mails a ranking snapshot or a week calls for, queued into the outbox in one statement each:
 * one rank-move e-mail per user per snapshot listing his watched prospects that moved past his threshold, and one
 * digest per user with a watchlist per ISO week. Dedupe keys make both safe to run again.
 */
import type { Queryable } from '../lib/db.ts';

/**
 * Queues `rank_move:<userId>:<snapshotId>` for every user (rank-move mail on) who watches a prospect whose recorded
 * rank move in `snapshotId` (notifications, kind rank_move) is at least his threshold; entering or leaving the
 * rankings always counts. @returns e-mails queued now.
 */
export async function queueRankMoveEmails(db: Queryable, snapshotId: string): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO email_outbox (user_id, kind, dedupe_key, payload)
     SELECT w.user_id, 'rank_move', 'rank_move:' || w.user_id || ':' || $1,
            jsonb_build_object('snapshotId', $1::text, 'moves', jsonb_agg(jsonb_build_object(
              'playerId', n.player_id, 'name', COALESCE(pp.name, p.full_name), 'slug', pp.card->>'slug',
              'previousRank', n.previous_rank, 'newRank', n.new_rank) ORDER BY n.new_rank NULLS LAST, n.player_id))
     FROM notifications n
     JOIN watchlists w ON w.player_id = n.player_id
     JOIN users u ON u.user_id = w.user_id
     JOIN players p ON p.player_id = n.player_id
     LEFT JOIN notification_settings s ON s.user_id = w.user_id
     LEFT JOIN published_prospects pp ON pp.ranking_snapshot_id = n.ranking_snapshot_id AND pp.player_id = n.player_id
     WHERE n.kind = 'rank_move' AND n.ranking_snapshot_id = $1
       AND COALESCE(s.rank_move, true)
       AND (n.previous_rank IS NULL OR n.new_rank IS NULL
            OR abs(n.new_rank - n.previous_rank) >= COALESCE(s.rank_move_threshold, 10))
     GROUP BY w.user_id
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [snapshotId],
  );
  return rowCount ?? 0;
}

/**
 * Queues `weekly_digest:<userId>:<isoWeek>` for every user (digest on) with a watchlist: each watched prospect with
 * his rank and move in the served snapshot. @returns e-mails queued now.
 */
export async function queueWeeklyDigests(db: Queryable, isoWeek: string): Promise<number> {
  const { rowCount } = await db.query(
    `WITH served AS (
       SELECT snapshot_id FROM ranking_snapshots WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1)
     INSERT INTO email_outbox (user_id, kind, dedupe_key, payload)
     SELECT w.user_id, 'weekly_digest', 'weekly_digest:' || w.user_id || ':' || $1,
            jsonb_build_object('isoWeek', $1::text, 'snapshotId', (SELECT snapshot_id FROM served), 'items', jsonb_agg(jsonb_build_object(
              'playerId', w.player_id, 'name', COALESCE(pp.name, p.full_name), 'slug', pp.card->>'slug',
              'rank', pp.rank, 'rankChange', (pp.card->>'trend')::int) ORDER BY pp.rank NULLS LAST, w.player_id))
     FROM watchlists w
     JOIN users u ON u.user_id = w.user_id
     JOIN players p ON p.player_id = w.player_id
     LEFT JOIN notification_settings s ON s.user_id = w.user_id
     LEFT JOIN published_prospects pp ON pp.player_id = w.player_id AND pp.ranking_snapshot_id = (SELECT snapshot_id FROM served)
     WHERE COALESCE(s.weekly_digest, true)
     GROUP BY w.user_id
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [isoWeek],
  );
  return rowCount ?? 0;
}
