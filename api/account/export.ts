/**
 * The data export (the right of access): everything held about one account as one JSON document, read in one
 * repeatable-read transaction so its parts agree. Secrets (password and token hashes, the Fantrax Secret ID) are never
 * in it, nor other people's data.
 */
import {
  exportAudit,
  exportDiscoveredTables,
  exportEmails,
  exportFantraxLink,
  exportFantraxRosters,
  exportPasswordResets,
  exportProfile,
  exportSessions,
  type ExportRow,
} from '../../db/data-rights.ts';
import { withTransaction, type Pool } from '../../lib/db.ts';

export const EXPORT_FORMAT = 'afwd-account-export/1';

export interface AccountExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  userId: string;
  profile: ExportRow;
  sessions: ExportRow[];
  emails: ExportRow[];
  passwordResets: ExportRow[];
  fantraxLink: ExportRow[];
  /** Roster entries stored by the user's Fantrax syncs (keyed by sync, not by user, so not among `tables`). */
  fantraxRosters: ExportRow[];
  auditLog: ExportRow[];
  /** Every other table holding rows of the user (watchlists, subscriptions, notification_settings, Fantrax data...). */
  tables: Record<string, ExportRow[]>;
}

/** JSON-safe values: dates as ISO strings, bigints (bigserial ids) as strings. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** @returns null when there is no such account. */
export async function exportAccount(pool: Pool, userId: string, now: Date): Promise<AccountExport | null> {
  return withTransaction(
    pool,
    async (client) => {
      const profile = await exportProfile(client, userId);
      if (!profile) return null;
      const result: AccountExport = {
        format: EXPORT_FORMAT,
        exportedAt: now.toISOString(),
        userId,
        profile,
        sessions: await exportSessions(client, userId),
        emails: await exportEmails(client, userId),
        passwordResets: await exportPasswordResets(client, userId),
        fantraxLink: await exportFantraxLink(client, userId),
        fantraxRosters: await exportFantraxRosters(client, userId),
        auditLog: await exportAudit(client, userId),
        tables: await exportDiscoveredTables(client, userId),
      };
      return plain(result) as AccountExport;
    },
    { snapshot: true },
  );
}
