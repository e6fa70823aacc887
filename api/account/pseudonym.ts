/**
 * The name an erased account keeps in the audit log: `deleted-user:` and 16 hex digits of HMAC-SHA256(user id) under
 * a secret pepper. One account always gets the same pseudonym (its audit trail stays readable as one person's), and
 * without the pepper nobody can tell which id it was, not even someone holding an old backup with the id in it.
 */
import { createHmac } from 'node:crypto';
import { linkSigningSecret } from '../../lib/local-secret.ts';

export const PSEUDONYM_PREFIX = 'deleted-user:';

/** The pepper: LINK_SIGNING_SECRET (a deployment secret already), or the one generated once into the data dir. */
export function pseudonymPepper(config: { dataDir: string; linkSigningSecret: string | undefined }): Promise<string> {
  return linkSigningSecret(config);
}

export function pseudonymFor(userId: string, pepper: string): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', pepper).update(userId.toLowerCase()).digest('hex').slice(0, 16);
}
