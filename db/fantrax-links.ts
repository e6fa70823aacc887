/**
 * Fantrax links: one per user, holding the Secret ID sealed under a keyring key (fantrax/secret-box.ts), whether
 * Fantrax refused it (the user must reconnect), and the last sync's outcome. The Secret ID is never read here in the
 * clear. Unlinking removes everything synced for the user: leagues, syncs with their rosters, matches and
 * recommendations.
 */
import { withTransaction, type Pool, type Queryable } from '../lib/db.ts';
import type { SealedSecret } from '../fantrax/secret-box.ts';

export interface FantraxLink {
  userId: string;
  sealed: SealedSecret;
  linkedAt: Date;
  needsReconnect: boolean;
  lastSyncedAt: Date | null;
  lastError: string | null;
}

interface LinkRow {
  user_id: string;
  secret_key_id: string;
  secret_iv: Buffer;
  secret_tag: Buffer;
  secret_ciphertext: Buffer;
  linked_at: Date;
  needs_reconnect: boolean;
  last_synced_at: Date | null;
  last_error: string | null;
}

const toLink = (r: LinkRow): FantraxLink => ({
  userId: r.user_id,
  sealed: { keyId: r.secret_key_id, iv: r.secret_iv, tag: r.secret_tag, ciphertext: r.secret_ciphertext },
  linkedAt: r.linked_at,
  needsReconnect: r.needs_reconnect,
  lastSyncedAt: r.last_synced_at,
  lastError: r.last_error,
});

/** Links (or relinks) a user: a new Secret ID clears the reconnect flag and the last error. */
export async function saveLink(db: Queryable, userId: string, sealed: SealedSecret): Promise<void> {
  await db.query(
    `INSERT INTO fantrax_links (user_id, secret_key_id, secret_iv, secret_tag, secret_ciphertext)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET secret_key_id = EXCLUDED.secret_key_id, secret_iv = EXCLUDED.secret_iv,
       secret_tag = EXCLUDED.secret_tag, secret_ciphertext = EXCLUDED.secret_ciphertext, linked_at = now(),
       needs_reconnect = false, last_error = NULL`,
    [userId, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext],
  );
}

export async function linkOf(db: Queryable, userId: string): Promise<FantraxLink | null> {
  const { rows } = await db.query<LinkRow>('SELECT * FROM fantrax_links WHERE user_id = $1', [userId]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** Every link, for key rotation. */
export async function allLinks(db: Queryable): Promise<FantraxLink[]> {
  const { rows } = await db.query<LinkRow>('SELECT * FROM fantrax_links ORDER BY user_id');
  return rows.map(toLink);
}

/** Users whose link Fantrax still accepts: the daily sync and the recomputation after a publish cover them. */
export async function linkedUserIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    'SELECT user_id FROM fantrax_links WHERE NOT needs_reconnect ORDER BY user_id',
  );
  return rows.map((r) => r.user_id);
}

/**
 * Inside a transaction: locks the user's link row until it ends, so a disconnect (deleteLink) waits for the writes of
 * a sync, or went first and this finds nothing. @returns when the link was made (a relink changes it), or null when
 * the user has no link (write nothing then).
 */
export async function lockLink(db: Queryable, userId: string): Promise<Date | null> {
  const { rows } = await db.query<{ linked_at: Date }>(
    'SELECT linked_at FROM fantrax_links WHERE user_id = $1 FOR UPDATE',
    [userId],
  );
  return rows[0]?.linked_at ?? null;
}

/**
 * Replaces the sealed secret if it is still exactly `expected` (key id and IV; a fresh IV is drawn for every seal):
 * a relink made meanwhile wins over a rotation, even one sealed under the same old key by an API not yet given the
 * new key. @returns true when replaced.
 */
export async function resealLink(
  db: Queryable,
  userId: string,
  expected: SealedSecret,
  sealed: SealedSecret,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE fantrax_links SET secret_key_id = $4, secret_iv = $5, secret_tag = $6, secret_ciphertext = $7
     WHERE user_id = $1 AND secret_key_id = $2 AND secret_iv = $3`,
    [userId, expected.keyId, expected.iv, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext],
  );
  return (rowCount ?? 0) > 0;
}

/** Fantrax refused the Secret ID: syncs stop until the user connects again. */
export async function markNeedsReconnect(db: Queryable, userId: string, error: string): Promise<void> {
  await db.query('UPDATE fantrax_links SET needs_reconnect = true, last_error = $2 WHERE user_id = $1', [
    userId,
    error,
  ]);
}

export async function recordLinkSync(
  db: Queryable,
  userId: string,
  outcome: { at: Date; error: string | null },
): Promise<void> {
  await db.query(
    `UPDATE fantrax_links SET last_error = $3, last_synced_at = CASE WHEN $3::text IS NULL THEN $2 ELSE last_synced_at END WHERE user_id = $1`,
    [userId, outcome.at, outcome.error],
  );
}

/** Removes the link and everything synced for the user. @returns false when there was no link. */
export async function deleteLink(pool: Pool, userId: string): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rowCount } = await client.query('DELETE FROM fantrax_links WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM fantrax_recommendations WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM fantrax_matches WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM fantrax_syncs WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM fantrax_leagues WHERE user_id = $1', [userId]);
    return (rowCount ?? 0) > 0;
  });
}
