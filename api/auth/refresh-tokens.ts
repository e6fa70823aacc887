/**
 * Refresh tokens: opaque (32 random bytes, base64url), stored only as their sha256, valid 30 days, and rotated on
 * every use. Presenting a token that was already rotated means it leaked (or a client replays): the whole family of
 * that login is revoked and the event goes to the audit log. Logout revokes the family too.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { withTransaction, type Pool } from '../../lib/db.ts';
import { writeAudit } from '../../db/audit-log.ts';
import {
  familyOf,
  insertRefreshToken,
  lockFamily,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
} from '../../db/refresh-tokens.ts';

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;
/** 32 bytes in base64url, without padding. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a family (a login): returns the token to hand to the client. */
export async function issueRefreshToken(
  pool: Pool,
  userId: string,
  now: Date,
  familyId: string = randomUUID(),
): Promise<string> {
  const token = newRefreshToken();
  await insertRefreshToken(pool, {
    tokenHash: hashRefreshToken(token),
    userId,
    familyId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  return token;
}

export type RotationResult =
  | { ok: true; userId: string; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

/**
 * Trades a refresh token for its successor, in one transaction holding the family's lock and the token's row, so
 * two uses of one token cannot both succeed (the second sees it used and revokes the family), and a revocation of
 * the family waits for a rotation in flight and then revokes its successor too.
 */
export async function rotateRefreshToken(pool: Pool, token: string, now: Date): Promise<RotationResult> {
  if (!REFRESH_TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
  const tokenHash = hashRefreshToken(token);
  return withTransaction(pool, async (client): Promise<RotationResult> => {
    const family = await familyOf(client, tokenHash);
    if (!family) return { ok: false, reason: 'unknown' };
    await lockFamily(client, family.familyId);
    const row = await lockRefreshToken(client, tokenHash);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.usedAt) {
      const revoked = await revokeFamily(client, row.familyId, 'reuse', now);
      await writeAudit(client, {
        actor: row.userId,
        action: 'refresh_token.reuse',
        subject: row.userId,
        details: { familyId: row.familyId, tokensRevoked: revoked, firstUsedAt: row.usedAt.toISOString() },
      });
      return { ok: false, reason: 'reused' };
    }
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    await markRefreshTokenUsed(client, tokenHash, now);
    const next = newRefreshToken();
    await insertRefreshToken(client, {
      tokenHash: hashRefreshToken(next),
      userId: row.userId,
      familyId: row.familyId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    return { ok: true, userId: row.userId, refreshToken: next };
  });
}

/** Logout: revokes the token's family. Idempotent, and silent about tokens we never issued. */
export async function revokeRefreshToken(pool: Pool, token: string, now: Date): Promise<void> {
  if (!REFRESH_TOKEN_PATTERN.test(token)) return;
  await withTransaction(pool, async (client) => {
    const family = await familyOf(client, hashRefreshToken(token));
    if (!family) return;
    // After the family's lock, so a rotation in flight has committed its successor and this revokes it too.
    await lockFamily(client, family.familyId);
    await revokeFamily(client, family.familyId, 'logout', now);
  });
}
