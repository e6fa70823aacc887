/**
 * Refresh tokens, stored as sha256 hashes only. Tokens of one login form a family: each use rotates the token
 * (the old row gets `used_at`, a new row joins the family); presenting a used one revokes the whole family.
 */
import type { Queryable } from '../lib/db.ts';

export interface RefreshTokenRow {
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export async function insertRefreshToken(
  db: Queryable,
  token: { tokenHash: string; userId: string; familyId: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [token.tokenHash, token.userId, token.familyId, token.expiresAt, token.createdAt],
  );
}

/**
 * Serializes everything that changes one family (rotation, reuse revocation, logout) until the transaction ends:
 * without it, a revocation running while another token of the family rotates cannot see the successor that rotation
 * inserts, and the successor would survive the revocation.
 */
export async function lockFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('refresh-family:' || $1, 0))`, [familyId]);
}

/** The token's row, locked until the transaction ends (two refreshes with one token take turns). */
export async function lockRefreshToken(db: Queryable, tokenHash: string): Promise<RefreshTokenRow | null> {
  const { rows } = await db.query<{
    user_id: string;
    family_id: string;
    expires_at: Date;
    used_at: Date | null;
    revoked_at: Date | null;
  }>(
    `SELECT user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  const row = rows[0];
  return row
    ? {
        userId: row.user_id,
        familyId: row.family_id,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
        revokedAt: row.revoked_at,
      }
    : null;
}

export async function markRefreshTokenUsed(db: Queryable, tokenHash: string, at: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1`, [tokenHash, at]);
}

/** Revokes every live token of the family; returns how many were still live. */
export async function revokeFamily(db: Queryable, familyId: string, reason: string, at: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE refresh_tokens SET revoked_at = $2, revoked_reason = $3 WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId, at, reason],
  );
  return rowCount ?? 0;
}

/** The family of a token, whatever its state; null for a token we never issued. */
export async function familyOf(db: Queryable, tokenHash: string): Promise<{ familyId: string; userId: string } | null> {
  const { rows } = await db.query<{ family_id: string; user_id: string }>(
    `SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { familyId: row.family_id, userId: row.user_id } : null;
}

export async function familyTokens(
  db: Queryable,
  familyId: string,
): Promise<{ usedAt: Date | null; revokedAt: Date | null; revokedReason: string | null }[]> {
  const { rows } = await db.query<{ used_at: Date | null; revoked_at: Date | null; revoked_reason: string | null }>(
    `SELECT used_at, revoked_at, revoked_reason FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at`,
    [familyId],
  );
  return rows.map((r) => ({ usedAt: r.used_at, revokedAt: r.revoked_at, revokedReason: r.revoked_reason }));
}

/** Revokes every live token of every login of the user (a password reset); returns how many were live. */
export async function revokeUserTokens(db: Queryable, userId: string, reason: string, at: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE refresh_tokens SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, at, reason],
  );
  return rowCount ?? 0;
}
