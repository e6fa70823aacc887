/**
 * Signed one-click unsubscribe tokens: `<userId>.<kind>.<HMAC-SHA256>` in base64url. They never expire (a link in a
 * months-old e-mail must still work) and carry nothing secret; the signature only proves we issued them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The kinds a user may unsubscribe from: transactional mail (welcome, payment, password reset) always goes out. */
export const UNSUBSCRIBABLE_KINDS = ['rank_move', 'weekly_digest'] as const;
export type UnsubscribableKind = (typeof UNSUBSCRIBABLE_KINDS)[number];

export interface UnsubscribeClaim {
  userId: string;
  kind: UnsubscribableKind;
}

const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z_]+)\.([A-Za-z0-9_-]{43})$/;

function signature(secret: string, claim: UnsubscribeClaim): Buffer {
  // The purpose in the signed text keeps these apart from anything else the same secret signs (password resets).
  return createHmac('sha256', secret).update(`afwd-unsubscribe:${claim.userId}:${claim.kind}`).digest();
}

export function isUnsubscribableKind(kind: string): kind is UnsubscribableKind {
  return (UNSUBSCRIBABLE_KINDS as readonly string[]).includes(kind);
}

/** @example unsubscribeToken(secret, { userId, kind: 'rank_move' }) */
export function unsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  if (secret.length < 32) throw new RangeError('the link signing secret must be at least 32 characters');
  return `${claim.userId.toLowerCase()}.${claim.kind}.${signature(secret, { ...claim, userId: claim.userId.toLowerCase() }).toString('base64url')}`;
}

/** The claim of a token we signed; null for anything else (malformed, unknown kind, tampered, another secret). */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, userId, kind, sig] = match as unknown as [string, string, string, string];
  if (!isUnsubscribableKind(kind)) return null;
  const claim = { userId, kind };
  const given = Buffer.from(sig, 'base64url');
  const expected = signature(secret, claim);
  // Same length by the pattern (43 base64url characters = 32 bytes); compared in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return claim;
}

/** The API address a token unsubscribes at (GET shows a confirmation, POST is RFC 8058's one-click). */
export function unsubscribeUrl(apiPublicUrl: string, token: string): string {
  return `${apiPublicUrl.replace(/\/+$/, '')}/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
}
