/**
 * Key rotation of the Fantrax Secret IDs, behind `npm run fantrax:rotate-keys`: every stored secret not sealed under
 * the newest key of the keyring is opened (with whichever key sealed it) and sealed again under the newest. Put the
 * new key first in FANTRAX_SECRET_KEYS, keep the old ones after it, run this, then drop the old keys. Never prints a
 * secret.
 */
import { writeAudit } from '../db/audit-log.ts';
import { allLinks, resealLink } from '../db/fantrax-links.ts';
import { createSecretBox, SecretOpenError, type Keyring } from '../fantrax/secret-box.ts';
import type { Pool } from '../lib/db.ts';

export interface RotationReport {
  newestKeyId: string;
  rotated: number;
  alreadyCurrent: number;
  /** Users whose secret no key of the keyring opens (their link needs a reconnect). */
  unreadable: string[];
}

export async function rotateFantraxKeys(pool: Pool, keyring: Keyring): Promise<RotationReport> {
  const box = createSecretBox(keyring);
  const report: RotationReport = { newestKeyId: box.newestKeyId, rotated: 0, alreadyCurrent: 0, unreadable: [] };
  for (const link of await allLinks(pool)) {
    let resealed;
    try {
      resealed = box.reencrypt(link.sealed, link.userId);
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      report.unreadable.push(link.userId);
      continue;
    }
    if (!resealed) {
      report.alreadyCurrent++;
      continue;
    }
    // Only if still the secret just read: a relink meanwhile is newer (whichever key sealed it).
    if (await resealLink(pool, link.userId, link.sealed, resealed)) report.rotated++;
    else report.alreadyCurrent++;
  }
  await writeAudit(pool, {
    actor: 'cli',
    action: 'fantrax_keys_rotated',
    details: { newestKeyId: report.newestKeyId, rotated: report.rotated, unreadable: report.unreadable.length },
  });
  return report;
}

export function formatRotationReport(report: RotationReport): string[] {
  return [
    `newest key: ${report.newestKeyId}`,
    `re-encrypted: ${report.rotated}`,
    `already under the newest key: ${report.alreadyCurrent}`,
    ...(report.unreadable.length
      ? [`unreadable with this keyring (reconnect needed): ${report.unreadable.join(', ')}`]
      : []),
  ];
}
