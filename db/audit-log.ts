/** The audit log: who did what to whom (role changes, refresh-token reuse), append only. */
import type { Queryable } from '../lib/db.ts';

export interface AuditEntry {
  /** A user id, or a system actor ('cli', 'stripe', 'pipeline'). */
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(`INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4)`, [
    entry.actor,
    entry.action,
    entry.subject ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}

export async function auditEntries(
  db: Queryable,
  filter: { action?: string; subject?: string } = {},
): Promise<(AuditEntry & { at: Date })[]> {
  const { rows } = await db.query<{
    at: Date;
    actor: string;
    action: string;
    subject: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT at, actor, action, subject, details FROM audit_log
     WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR subject = $2) ORDER BY audit_id`,
    [filter.action ?? null, filter.subject ?? null],
  );
  return rows;
}
