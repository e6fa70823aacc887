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

/**
 * The payload once a row can no longer be sent (sent, failed, cancelled, in doubt): a password reset's link carries
 * the token in the clear (password_reset_tokens keeps only its hash), so it is not kept beside the row.
 */
const SPENT_PAYLOAD = `CASE WHEN kind = 'password_reset' THEN payload - 'resetUrl' ELSE payload END`;

/** Queues one e-mail. @returns false when an e-mail with that dedupe key was already queued. */
export async function enqueueEmail(db: Queryable, email: EmailToQueue): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO email_outbox (user_id, kind, dedupe_key, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [email.userId, email.kind, email.dedupeKey, JSON.stringify(email.payload ?? {})],
  );
  return (rowCount ?? 0) > 0;
}

/** Where a row stands; 'unconfirmed': handed to SMTP by an attempt that never recorded how it went (never resent). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'unconfirmed';

/** A row as the sender reads it, with its recipient and whether he still wants this kind. */
export interface OutboxEmail {
  emailId: number;
  userId: string | null;
  kind: EmailKind;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  messageId: string | null;
  /** Set while an attempt is (or was, if it crashed) handing the message to SMTP. */
  attemptStartedAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  /** The user's address now; null when the account is gone. */
  recipient: string | null;
  /** False when the user turned this kind off (transactional kinds are always wanted). */
  wanted: boolean;
}

/** Default claim lease: far longer than a send may take (the SMTP timeouts end within the send activity's 2 minutes). */
export const CLAIM_LEASE_SECONDS = 1800;

/**
 * Claims up to `limit` due rows for one drain, oldest due first: pending rows whose time has come, and 'sending'
 * rows claimed (or with an attempt opened) over `leaseSeconds` ago, whose drain is gone: the sender then finds an
 * open attempt older than the lease and marks the row 'unconfirmed' instead of sending it again (a younger one belongs
 * to a drain still sending, which records the outcome). Claimed rows move to
 * 'sending' and get their Message-ID now, before the first attempt, so every attempt sends the same one.
 * SKIP LOCKED: drains running side by side take different rows.
 */
export async function claimDueEmails(
  db: Queryable,
  options: { limit: number; messageIdDomain: string; leaseSeconds?: number },
): Promise<number[]> {
  const { rows } = await db.query<{ email_id: number }>(
    `WITH due AS (
       SELECT email_id FROM email_outbox
       WHERE (status = 'pending' AND next_attempt_at <= now())
          OR (status = 'sending' AND COALESCE(attempt_started_at, claimed_at) < now() - make_interval(secs => $3))
       ORDER BY next_attempt_at, email_id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     UPDATE email_outbox o
     SET status = 'sending', claimed_at = now(),
         message_id = COALESCE(o.message_id, '<' || gen_random_uuid() || '@' || $2 || '>')
     FROM due WHERE o.email_id = due.email_id
     RETURNING o.email_id`,
    [options.limit, options.messageIdDomain, options.leaseSeconds ?? CLAIM_LEASE_SECONDS],
  );
  return rows.map((r) => r.email_id).sort((a, b) => a - b);
}

export async function outboxEmail(db: Queryable, emailId: number): Promise<OutboxEmail | null> {
  const { rows } = await db.query<{
    email_id: number;
    user_id: string | null;
    kind: EmailKind;
    payload: Record<string, unknown>;
    status: OutboxStatus;
    attempts: number;
    message_id: string | null;
    attempt_started_at: Date | null;
    last_error: string | null;
    sent_at: Date | null;
    email: string | null;
    wanted: boolean;
  }>(
    `SELECT o.email_id, o.user_id, o.kind, o.payload, o.status, o.attempts, o.message_id, o.attempt_started_at, o.last_error, o.sent_at,
            u.email,
            CASE o.kind WHEN 'rank_move' THEN COALESCE(s.rank_move, true)
                        WHEN 'weekly_digest' THEN COALESCE(s.weekly_digest, true)
                        ELSE true END AS wanted
     FROM email_outbox o
     LEFT JOIN users u ON u.user_id = o.user_id
     LEFT JOIN notification_settings s ON s.user_id = o.user_id
     WHERE o.email_id = $1`,
    [emailId],
  );
  const r = rows[0];
  return r
    ? {
        emailId: r.email_id,
        userId: r.user_id,
        kind: r.kind,
        payload: r.payload,
        status: r.status,
        attempts: r.attempts,
        messageId: r.message_id,
        attemptStartedAt: r.attempt_started_at,
        lastError: r.last_error,
        sentAt: r.sent_at,
        recipient: r.email,
        wanted: r.wanted,
      }
    : null;
}

/**
 * Opens an attempt on a claimed row just before its message goes to SMTP, counting it. False when the row is not
 * claimed or an attempt is already open: a previous one handed the message over and never recorded the outcome.
 */
export async function beginAttempt(db: Queryable, emailId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET attempt_started_at = now(), attempts = attempts + 1
     WHERE email_id = $1 AND status = 'sending' AND attempt_started_at IS NULL`,
    [emailId],
  );
  return (rowCount ?? 0) > 0;
}

/** The SMTP server took the message. */
export async function markSent(db: Queryable, emailId: number): Promise<void> {
  await db.query(
    `UPDATE email_outbox SET status = 'sent', sent_at = now(), attempt_started_at = NULL, last_error = NULL, payload = ${SPENT_PAYLOAD}
     WHERE email_id = $1 AND status = 'sending'`,
    [emailId],
  );
}

/**
 * The SMTP server refused the message (or could not be reached), so it was not delivered: back to 'pending' after
 * `retryBaseSeconds` doubled per attempt made (at most 6 hours), or 'failed' when `permanent` or after `maxAttempts`.
 * `error` must hold no address. @returns the row's new status.
 */
export async function recordFailure(
  db: Queryable,
  emailId: number,
  failure: { error: string; permanent: boolean; maxAttempts: number; retryBaseSeconds: number },
): Promise<OutboxStatus | null> {
  const { rows } = await db.query<{ status: OutboxStatus }>(
    `UPDATE email_outbox
     SET status = CASE WHEN $3 OR attempts >= $4 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = now() + make_interval(secs => least($5 * power(2, greatest(attempts - 1, 0)), 21600)),
         attempt_started_at = NULL, claimed_at = NULL, last_error = left($2, 1000),
         payload = CASE WHEN $3 OR attempts >= $4 THEN ${SPENT_PAYLOAD} ELSE payload END
     WHERE email_id = $1 AND status = 'sending'
     RETURNING status`,
    [emailId, failure.error, failure.permanent, failure.maxAttempts, failure.retryBaseSeconds],
  );
  return rows[0]?.status ?? null;
}

/**
 * A message that may have been delivered without us knowing: never sent again (kept for an operator to look at).
 * `attemptOlderThanSeconds`: only when the open attempt is older than that (the claim lease). An attempt found open by
 * another execution may still be handing the message over and records its own outcome; one older than the lease is
 * abandoned. @returns true when marked.
 */
export async function markUnconfirmed(
  db: Queryable,
  emailId: number,
  reason: string,
  options: { attemptOlderThanSeconds?: number } = {},
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET status = 'unconfirmed', last_error = left($2, 1000), payload = ${SPENT_PAYLOAD}
     WHERE email_id = $1 AND status = 'sending'
       AND ($3::float8 IS NULL OR attempt_started_at < now() - make_interval(secs => $3::float8))`,
    [emailId, reason, options.attemptOlderThanSeconds ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** Cancels a row nobody is sending (the user is gone or does not want this kind any more). */
export async function cancelEmail(db: Queryable, emailId: number, reason: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET status = 'cancelled', last_error = $2, claimed_at = NULL, payload = ${SPENT_PAYLOAD}
     WHERE email_id = $1 AND status IN ('pending', 'sending') AND attempt_started_at IS NULL`,
    [emailId, reason],
  );
  return (rowCount ?? 0) > 0;
}

/** Cancels a user's pending e-mails of one kind (he unsubscribed). Rows being sent are checked again by their sender. */
export async function cancelPendingEmails(
  db: Queryable,
  userId: string,
  kind: EmailKind,
  reason: string,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE email_outbox SET status = 'cancelled', last_error = $3 WHERE user_id = $1 AND kind = $2 AND status = 'pending'`,
    [userId, kind, reason],
  );
  return rowCount ?? 0;
}

/** Seconds until the next pending row is due (0 when one is due now); null when nothing is pending. */
export async function secondsUntilNextDue(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ seconds: number | null }>(
    `SELECT extract(epoch FROM min(next_attempt_at) - now())::float8 AS seconds FROM email_outbox WHERE status = 'pending'`,
  );
  const seconds = rows[0]?.seconds;
  return seconds === null || seconds === undefined ? null : Math.max(seconds, 0);
}
