/**
 * What each user wants to be e-mailed about (notification_settings; no row = the defaults) and his one-click
 * unsubscribes (email_unsubscribes). Transactional mail has no setting: it always goes.
 */
import { withTransaction, type Pool, type Queryable } from '../lib/db.ts';
import { cancelPendingEmails } from './outbox.ts';

export type OptionalKind = 'rank_move' | 'weekly_digest';

export interface NotificationSettings {
  rankMove: boolean;
  weeklyDigest: boolean;
  /** Places a watched prospect must move (up or down) for a rank-move e-mail. */
  rankMoveThreshold: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  rankMove: true,
  weeklyDigest: true,
  rankMoveThreshold: 10,
};

interface Row {
  rank_move: boolean;
  weekly_digest: boolean;
  rank_move_threshold: number;
}

const toSettings = (r: Row): NotificationSettings => ({
  rankMove: r.rank_move,
  weeklyDigest: r.weekly_digest,
  rankMoveThreshold: r.rank_move_threshold,
});

export async function notificationSettings(db: Queryable, userId: string): Promise<NotificationSettings> {
  const { rows } = await db.query<Row>(
    `SELECT rank_move, weekly_digest, rank_move_threshold FROM notification_settings WHERE user_id = $1`,
    [userId],
  );
  return rows[0] ? toSettings(rows[0]) : DEFAULT_NOTIFICATION_SETTINGS;
}

/**
 * Replaces a user's settings; pending e-mails of a kind turned off are cancelled with them.
 * @returns null when the user does not exist.
 */
export async function saveNotificationSettings(
  pool: Pool,
  userId: string,
  settings: NotificationSettings,
): Promise<NotificationSettings | null> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<Row>(
      `INSERT INTO notification_settings (user_id, rank_move, weekly_digest, rank_move_threshold)
       SELECT user_id, $2, $3, $4 FROM users WHERE user_id = $1
       ON CONFLICT (user_id) DO UPDATE SET rank_move = EXCLUDED.rank_move, weekly_digest = EXCLUDED.weekly_digest,
         rank_move_threshold = EXCLUDED.rank_move_threshold, updated_at = now()
       RETURNING rank_move, weekly_digest, rank_move_threshold`,
      [userId, settings.rankMove, settings.weeklyDigest, settings.rankMoveThreshold],
    );
    if (!rows[0]) return null;
    if (!settings.rankMove) await cancelPendingEmails(client, userId, 'rank_move', 'turned off in the settings');
    if (!settings.weeklyDigest)
      await cancelPendingEmails(client, userId, 'weekly_digest', 'turned off in the settings');
    return toSettings(rows[0]);
  });
}

/**
 * One-click unsubscribe: turns the kind off, records when, and cancels that kind's pending e-mails, together.
 * @returns false when the user no longer exists.
 */
export async function unsubscribe(pool: Pool, userId: string, kind: OptionalKind): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    // The column is the kind's own name, from the two allowed above.
    const column = kind === 'rank_move' ? 'rank_move' : 'weekly_digest';
    const { rowCount } = await client.query(
      `INSERT INTO notification_settings (user_id, ${column}) SELECT user_id, false FROM users WHERE user_id = $1
       ON CONFLICT (user_id) DO UPDATE SET ${column} = false, updated_at = now()`,
      [userId],
    );
    if (!rowCount) return false;
    await client.query(`INSERT INTO email_unsubscribes (user_id, kind) VALUES ($1, $2)`, [userId, kind]);
    await cancelPendingEmails(client, userId, kind, 'unsubscribed');
    return true;
  });
}
