/**
 * Activities of the e-mail outbox: claiming due rows, sending one row (at most once per Message-ID: see sendEmail),
 * queueing the rank-move and weekly-digest e-mails, and asking for a drain. Thin over db/ and notifications/.
 */
import { Context } from '@temporalio/activity';
import { queueRankMoveEmails, queueWeeklyDigests } from '../db/notification-emails.ts';
import {
  beginAttempt,
  CLAIM_LEASE_SECONDS,
  cancelEmail,
  claimDueEmails,
  markSent,
  markUnconfirmed,
  outboxEmail,
  recordFailure,
  secondsUntilNextDue,
} from '../db/outbox.ts';
import { startOutboxDrain } from '../infra/outbox-drain.ts';
import { linkSigningSecret } from '../lib/local-secret.ts';
import { isUnsubscribableKind, unsubscribeToken, unsubscribeUrl } from '../notifications/links.ts';
import { createMailer, messageIdDomain, type Mailer } from '../notifications/mailer.ts';
import { classifySmtpError } from '../notifications/smtp-errors.ts';
import { InvalidPayloadError, renderEmail, type RenderedEmail } from '../notifications/templates.ts';
import { activityLog, type ActivityDeps } from './context.ts';

export type SendOutcome = 'sent' | 'retrying' | 'failed' | 'cancelled' | 'unconfirmed' | 'skipped';

export function createNotificationActivities({ pool, config, log }: ActivityDeps) {
  let mailer: Mailer | undefined;
  const domain = messageIdDomain(config.mail.from);

  async function render(row: {
    kind: Parameters<typeof renderEmail>[0];
    payload: unknown;
    userId: string;
  }): Promise<RenderedEmail> {
    const link = isUnsubscribableKind(row.kind)
      ? unsubscribeUrl(
          config.api.publicUrl,
          unsubscribeToken(await linkSigningSecret(config), { userId: row.userId, kind: row.kind }),
        )
      : undefined;
    return renderEmail(row.kind, row.payload, { siteUrl: config.siteUrl, ...(link ? { unsubscribeUrl: link } : {}) });
  }

  return {
    /** Claims due rows for this drain (status 'sending', Message-ID fixed). */
    async claimDueEmails(input: { limit: number; leaseSeconds?: number }): Promise<number[]> {
      return claimDueEmails(pool, {
        limit: input.limit,
        messageIdDomain: domain,
        ...(input.leaseSeconds !== undefined ? { leaseSeconds: input.leaseSeconds } : {}),
      });
    },

    async secondsUntilNextEmail(): Promise<number | null> {
      return secondsUntilNextDue(pool);
    },

    /**
     * Sends one claimed row. The attempt is opened in the row before the message goes to SMTP and closed with its
     * outcome; a row found with an attempt open for longer than the claim lease (`leaseSeconds`, as the drain claimed
     * with) was abandoned after it may have delivered, so it is marked 'unconfirmed' and never sent again; a younger
     * open attempt belongs to a drain still sending (the row was claimed again meanwhile), which records the outcome:
     * skipped. A refusal is recorded on the row (retried later with backoff, or 'failed'); only database trouble makes
     * the activity itself fail and retry.
     */
    async sendEmail(input: {
      emailId: number;
      maxAttempts: number;
      retryBaseSeconds: number;
      leaseSeconds?: number;
    }): Promise<SendOutcome> {
      const alog = activityLog(log).child({ emailId: input.emailId });
      const row = await outboxEmail(pool, input.emailId);
      if (!row || row.status !== 'sending' || !row.messageId) return 'skipped';
      if (row.attemptStartedAt) {
        const reason = 'an earlier attempt handed the message to SMTP and never recorded the outcome: not sent again';
        if (
          !(await markUnconfirmed(pool, row.emailId, reason, {
            attemptOlderThanSeconds: input.leaseSeconds ?? CLAIM_LEASE_SECONDS,
          }))
        )
          return 'skipped';
        alog.warn({ kind: row.kind }, 'e-mail in doubt: not sent again');
        return 'unconfirmed';
      }
      if (!row.recipient || !row.userId) {
        await cancelEmail(pool, row.emailId, 'the account is gone');
        return 'cancelled';
      }
      if (!row.wanted) {
        await cancelEmail(pool, row.emailId, 'unsubscribed');
        return 'cancelled';
      }
      let email: RenderedEmail | undefined;
      let invalid: string | undefined;
      try {
        email = await render({ kind: row.kind, payload: row.payload, userId: row.userId });
      } catch (error) {
        if (!(error instanceof InvalidPayloadError)) throw error;
        invalid = error.message;
      }
      // Another execution of this row got here first.
      if (!(await beginAttempt(pool, row.emailId))) return 'skipped';
      if (!email) {
        await recordFailure(pool, row.emailId, {
          error: invalid ?? 'invalid payload',
          permanent: true,
          maxAttempts: input.maxAttempts,
          retryBaseSeconds: input.retryBaseSeconds,
        });
        alog.error({ kind: row.kind, error: invalid }, 'e-mail payload does not fit its template');
        return 'failed';
      }
      try {
        mailer ??= createMailer(config.mail);
        await mailer.send({ ...email, to: row.recipient, messageId: row.messageId });
      } catch (error) {
        const classified = classifySmtpError(error);
        if (classified.failure === 'in-doubt') {
          await markUnconfirmed(pool, row.emailId, classified.message);
          alog.warn({ kind: row.kind, error: classified.message }, 'e-mail in doubt: not sent again');
          return 'unconfirmed';
        }
        const status = await recordFailure(pool, row.emailId, {
          error: classified.message,
          permanent: classified.failure === 'permanent',
          maxAttempts: input.maxAttempts,
          retryBaseSeconds: input.retryBaseSeconds,
        });
        alog.warn({ kind: row.kind, attempt: row.attempts + 1, status, error: classified.message }, 'e-mail refused');
        return status === 'failed' ? 'failed' : 'retrying';
      }
      await markSent(pool, row.emailId);
      alog.info({ kind: row.kind, messageId: row.messageId }, 'e-mail sent');
      return 'sent';
    },

    async queueWeeklyDigests(input: { isoWeek: string }): Promise<{ queued: number }> {
      return { queued: await queueWeeklyDigests(pool, input.isoWeek) };
    },

    /** After a publish: queues the rank-move e-mails of the snapshot, then asks for a drain when any was queued. */
    async notifyRankMoves(input: { rankingSnapshotId: string }): Promise<{ queued: number }> {
      const queued = await queueRankMoveEmails(pool, input.rankingSnapshotId);
      if (queued > 0) await startOutboxDrain(Context.current().client, Context.current().info.taskQueue);
      activityLog(log).info({ rankingSnapshotId: input.rankingSnapshotId, queued }, 'rank-move e-mails queued');
      return { queued };
    },

    /** Starts (or signals) the drain on this worker's task queue. */
    async requestOutboxDrain(): Promise<void> {
      await startOutboxDrain(Context.current().client, Context.current().info.taskQueue);
    },
  };
}
