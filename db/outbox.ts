/**
 * The e-mail outbox (email_outbox): rows written beside the change they tell about, drained by the sendOutbox
 * workflow. Enqueueing is idempotent on the dedupe key, so a retried step never queues a second e-mail.
 */
import type { Queryable } from '../lib/db.ts';

export type EmailKind = 'welcome' | 'payment_failed' | 'password_reset' | 'rank_move' | 'weekly_digest';

export interface EmailToQueue {
  userId: string;
  kind: EmailKind;
  /** Unique per e-mail meant: e.g. `welcome:<userId>`, `payment_failed:<invoiceId>`, `rank_move:<userId>:<snapshotId>`. */
  dedupeKey: string;
  /** What the kind's template needs (no e-mail address: the recipient is read from the user when sending). */
  payload?: Record<string, unknown>;
}

/** Queues one e-mail. @returns false when an e-mail with that dedupe key was already queued. */
export async function enqueueEmail(db: Queryable, email: EmailToQueue): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO email_outbox (user_id, kind, dedupe_key, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [email.userId, email.kind, email.dedupeKey, JSON.stringify(email.payload ?? {})],
  );
  return (rowCount ?? 0) > 0;
}
