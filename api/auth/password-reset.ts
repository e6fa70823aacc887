/**
 * Password reset by e-mailed token: a request queues a `password_reset` e-mail carrying a one-time link (the token
 * is 32 random bytes; only its sha256 is stored, valid for an hour), and confirming it sets the new password, spends
 * the token and revokes every refresh token of the account, all in one transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeAudit } from '../../db/audit-log.ts';
import { enqueueEmail } from '../../db/outbox.ts';
import { insertPasswordResetToken, lockPasswordResetToken, usePasswordResetTokens } from '../../db/password-resets.ts';
import { revokeUserTokens } from '../../db/refresh-tokens.ts';
import { setPasswordHash } from '../../db/users.ts';
import { withTransaction, type Pool } from '../../lib/db.ts';
import { hashPassword } from './passwords.ts';

export const PASSWORD_RESET_TTL_SECONDS = 3600;
/** 32 bytes in base64url, without padding. */
export const PASSWORD_RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The link the e-mail carries: the site's reset page, which posts the token to /confirm. */
export function resetUrl(siteUrl: string, token: string): string {
  // base64url needs no escaping in a query string.
  return `${siteUrl.replace(/\/+$/, '')}/account/reset/?token=${token}`;
}

/**
 * Makes a token for the account and queues its e-mail in one transaction. The dedupe key is the token hash's
 * prefix, so every request is its own e-mail (and a retried step is not a second one).
 * @returns the token (tests read it; the route never answers it).
 */
export async function requestPasswordReset(
  pool: Pool,
  options: { userId: string; siteUrl: string; now: Date },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashResetToken(token);
  const expiresAt = new Date(options.now.getTime() + PASSWORD_RESET_TTL_SECONDS * 1000);
  await withTransaction(pool, async (client) => {
    await insertPasswordResetToken(client, { tokenHash, userId: options.userId, createdAt: options.now, expiresAt });
    await enqueueEmail(client, {
      userId: options.userId,
      kind: 'password_reset',
      dedupeKey: `password_reset:${tokenHash.slice(0, 16)}`,
      payload: { resetUrl: resetUrl(options.siteUrl, token), expiresAt: expiresAt.toISOString() },
    });
    await writeAudit(client, { actor: options.userId, action: 'password_reset_requested', subject: options.userId });
  });
  return token;
}

export type ResetOutcome = { ok: true; userId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Spends the token and sets the new password. The argon2id hash is made before the transaction, so no row lock is
 * held while it runs.
 */
export async function confirmPasswordReset(
  pool: Pool,
  options: { token: string; password: string; now: Date },
): Promise<ResetOutcome> {
  if (!PASSWORD_RESET_TOKEN_PATTERN.test(options.token)) return { ok: false, reason: 'unknown' };
  const passwordHash = await hashPassword(options.password);
  return withTransaction(pool, async (client): Promise<ResetOutcome> => {
    const row = await lockPasswordResetToken(client, hashResetToken(options.token));
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.usedAt) return { ok: false, reason: 'used' };
    if (row.expiresAt.getTime() <= options.now.getTime()) return { ok: false, reason: 'expired' };
    if (!(await setPasswordHash(client, row.userId, passwordHash))) return { ok: false, reason: 'unknown' };
    await usePasswordResetTokens(client, row.userId, options.now);
    const revoked = await revokeUserTokens(client, row.userId, 'password_reset', options.now);
    await writeAudit(client, {
      actor: row.userId,
      action: 'password_reset',
      subject: row.userId,
      details: { tokensRevoked: revoked },
    });
    return { ok: true, userId: row.userId };
  });
}
