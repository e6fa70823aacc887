/**
 * Password-reset tokens (password_reset_tokens): stored as sha256 hashes only, valid for an hour, usable once.
 * Written by POST /api/v1/auth/password-reset, spent by its /confirm.
 */
import type { Queryable } from '../lib/db.ts';

export interface PasswordResetRow {
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertPasswordResetToken(
  db: Queryable,
  token: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
    [token.tokenHash, token.userId, token.createdAt, token.expiresAt],
  );
}

/** The token's row, locked until the transaction ends (two confirmations with one token take turns). */
export async function lockPasswordResetToken(db: Queryable, tokenHash: string): Promise<PasswordResetRow | null> {
  const { rows } = await db.query<{ user_id: string; expires_at: Date; used_at: Date | null }>(
    `SELECT user_id, expires_at, used_at FROM password_reset_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at } : null;
}

/** Spends every unused token of the user (the one confirmed and any other still in a mailbox). */
export async function usePasswordResetTokens(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.query(`UPDATE password_reset_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, at]);
}
