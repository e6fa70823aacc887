/**
 * Activities of the subscription saga (workflows/subscription.ts) and the Stripe reconciliation
 * (workflows/reconcile-subscriptions.ts): thin steps over db/ and the pure billing modules. Each is idempotent, so a
 * retry or a replay after a crash changes nothing twice: events are claimed by id, roles recomputed from the records.
 */
import { ApplicationFailure } from '@temporalio/activity';
import Stripe from 'stripe';
import { entitlement } from '../billing/entitlement.ts';
import type { BillingEvent } from '../billing/events.ts';
import { remoteState, subscriptionDrift, type FieldDrift, type RemoteSubscription } from '../billing/reconcile.ts';
import { createStripeClient } from '../billing/stripe-client.ts';
import { writeAudit } from '../db/audit-log.ts';
import { enqueueEmail } from '../db/outbox.ts';
import { claimStripeEvent } from '../db/stripe-events.ts';
import {
  applySubscriptionUpdate,
  linkStripeCustomer,
  lockBillingAccount,
  repairSubscription,
  subscriptionById,
  subscriptionIdsAfter,
  subscriptionsOfUser,
  userExists,
  userIdByStripeCustomer,
} from '../db/subscriptions.ts';
import { changeRole } from '../db/users.ts';
import { withTransaction, type Queryable } from '../lib/db.ts';
import type { Role } from '../api/env.ts';
import { activityLog, type ActivityDeps } from './context.ts';

export interface RecordedEvent {
  /**
   * applied; duplicate (claimed before); stale (a newer event was applied first); no_user (nobody to grant it to,
   * whether claimed now or before: the compensation it calls for is idempotent).
   */
  outcome: 'applied' | 'duplicate' | 'stale' | 'no_user';
  userId: string | null;
}

export interface SyncedRole {
  /** The account's role now (an admin stays admin). */
  role: Role;
  entitled: 'premium' | 'free';
  reason: string;
  changed: boolean;
  /** ISO time the premium answer runs out unless a new event comes; null when open-ended or free. */
  until: string | null;
}

/** Recomputes the role from the stored records under the account's row lock; null when the account is gone. */
async function syncRole(db: Queryable, userId: string, graceDays: number, cause: string): Promise<SyncedRole | null> {
  const account = await lockBillingAccount(db, userId);
  if (!account) return null;
  const decided = entitlement(await subscriptionsOfUser(db, userId), graceDays, new Date());
  // Admins are never upgraded or downgraded by billing.
  const changed = account.role !== 'admin' && account.role !== decided.role;
  if (changed) {
    await changeRole(db, userId, decided.role);
    await writeAudit(db, {
      actor: 'stripe',
      action: 'role_changed',
      subject: userId,
      details: {
        from: account.role,
        to: decided.role,
        reason: decided.reason,
        subscriptionId: decided.subscriptionId,
        cause,
      },
    });
  }
  return {
    role: changed ? decided.role : account.role,
    entitled: decided.role,
    reason: decided.reason,
    changed,
    until: decided.until?.toISOString() ?? null,
  };
}

function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && (error.statusCode === 404 || error.code === 'resource_missing');
}

/**
 * Stripe refused the request itself (an invalid request, other than about a missing object): asking again gets the
 * same answer. Connection errors, 5xx, rate limits and conflicts are other error classes, and are retried.
 */
function isRefusal(error: unknown): error is Stripe.errors.StripeInvalidRequestError {
  return error instanceof Stripe.errors.StripeInvalidRequestError && !isMissing(error);
}

/** The type of the non-retryable failure of a compensation Stripe refused. */
export const COMPENSATION_REFUSED = 'StripeCompensationRefused';

export function createBillingActivities(deps: ActivityDeps) {
  const { pool, config } = deps;
  const stripe = createStripeClient(config);
  const graceDays = config.stripe.paymentGraceDays;

  return {
    /**
     * Claims the event and records the subscription state it carries (with the payment_failed e-mail in the same
     * transaction); a grace period of `graceSeconds` starts at the event's time when a payment failed.
     */
    async recordBillingEvent(input: { event: BillingEvent; graceSeconds: number }): Promise<RecordedEvent> {
      const { event, graceSeconds } = input;
      const result = await withTransaction(pool, async (client): Promise<RecordedEvent> => {
        const claimed = await claimStripeEvent(client, {
          eventId: event.eventId,
          type: event.type,
          customerId: event.customerId,
        });
        const named = event.userId && (await userExists(client, event.userId)) ? event.userId : null;
        const userId = named ?? (await userIdByStripeCustomer(client, event.customerId));
        // Before the duplicate check: a retry after the claim committed must still lead to the compensation.
        if (!userId) return { outcome: 'no_user', userId: null };
        if (!claimed) return { outcome: 'duplicate', userId };
        await linkStripeCustomer(client, userId, event.customerId);
        const eventAt = new Date(event.created * 1000);
        const s = event.subscription;
        const graceUntil = s.status === 'past_due' ? new Date(eventAt.getTime() + graceSeconds * 1000) : null;
        const applied = await applySubscriptionUpdate(client, {
          subscriptionId: s.subscriptionId,
          userId,
          customerId: event.customerId,
          status: s.status,
          currentPeriodEnd: s.currentPeriodEnd ? new Date(s.currentPeriodEnd) : null,
          cancelAtPeriodEnd: s.cancelAtPeriodEnd,
          priceId: s.priceId,
          graceUntil,
          eventAt,
        });
        if (applied.stale) return { outcome: 'stale', userId };
        if (applied.previousStatus !== applied.status) {
          await writeAudit(client, {
            actor: 'stripe',
            action: 'payment_state_changed',
            subject: userId,
            details: {
              subscriptionId: s.subscriptionId,
              from: applied.previousStatus,
              to: applied.status,
              eventType: event.type,
              eventId: event.eventId,
            },
          });
        }
        if (event.type === 'invoice.payment_failed') {
          const stored = await subscriptionById(client, s.subscriptionId);
          await enqueueEmail(client, {
            userId,
            kind: 'payment_failed',
            dedupeKey: `payment_failed:${event.invoiceId ?? event.eventId}`,
            payload: {
              subscriptionId: s.subscriptionId,
              graceUntil: stored?.graceUntil?.toISOString() ?? null,
              ...(event.amountDue != null && event.currency
                ? { amountDue: event.amountDue, currency: event.currency }
                : {}),
            },
          });
        }
        return { outcome: 'applied', userId };
      });
      activityLog(deps.log).info(
        { eventId: event.eventId, type: event.type, outcome: result.outcome },
        'billing event recorded',
      );
      return result;
    },

    /** Grants or withdraws premium as billing/entitlement.ts decides from the stored records (idempotent). */
    async syncEntitlement(input: { userId: string; cause: string }): Promise<SyncedRole | null> {
      const synced = await withTransaction(pool, (client) => syncRole(client, input.userId, graceDays, input.cause));
      if (synced?.changed)
        activityLog(deps.log).info({ role: synced.role, reason: synced.reason }, 'role changed by billing');
      return synced;
    },

    /** Queues the welcome e-mail of a subscription, once per subscription. */
    async queueWelcomeEmail(input: { userId: string; subscriptionId: string }): Promise<boolean> {
      return enqueueEmail(pool, {
        userId: input.userId,
        kind: 'welcome',
        dedupeKey: `welcome:${input.subscriptionId}`,
        payload: { subscriptionId: input.subscriptionId },
      });
    },

    /**
     * The saga's compensation: cancels a subscription at Stripe at once (no further charges) when what was paid for
     * cannot be granted, e.g. the account was deleted. A subscription Stripe no longer knows counts as cancelled.
     * A refusal (an invalid request) is audited and logged for a person to cancel it by hand, and fails the step for
     * good; any other error is retried.
     */
    async cancelStripeSubscription(input: { subscriptionId: string; reason: string }): Promise<void> {
      try {
        await stripe.subscriptions.cancel(
          input.subscriptionId,
          {},
          { idempotencyKey: `compensate-${input.subscriptionId}` },
        );
      } catch (error) {
        if (isRefusal(error)) {
          const refusal = {
            reason: input.reason,
            statusCode: error.statusCode ?? null,
            code: error.code ?? null,
            requestId: error.requestId ?? null,
          };
          await writeAudit(pool, {
            actor: 'stripe',
            action: 'subscription_compensation_refused',
            subject: input.subscriptionId,
            details: refusal,
          });
          activityLog(deps.log).error(
            { subscriptionId: input.subscriptionId, ...refusal, stripeMessage: error.message },
            'Stripe refused to cancel the subscription (compensation): cancel it by hand',
          );
          throw ApplicationFailure.nonRetryable(
            `Stripe refused to cancel subscription ${input.subscriptionId}: ${error.message}`,
            COMPENSATION_REFUSED,
            refusal,
          );
        }
        if (!isMissing(error)) throw error;
      }
      await writeAudit(pool, {
        actor: 'stripe',
        action: 'subscription_compensated',
        subject: input.subscriptionId,
        details: { reason: input.reason },
      });
      activityLog(deps.log).warn(
        { subscriptionId: input.subscriptionId, reason: input.reason },
        'subscription cancelled at Stripe (compensation)',
      );
    },

    /** One page of our subscription ids, for the reconciliation. */
    async listSubscriptionIds(input: { after: string | null; limit: number }): Promise<string[]> {
      return subscriptionIdsAfter(pool, input.after, input.limit);
    },

    /** Compares one subscription with Stripe, repairs what drifted and recomputes the owner's role. */
    async reconcileSubscription(input: {
      subscriptionId: string;
    }): Promise<{ drift: FieldDrift[]; role: Role | null }> {
      let remote: RemoteSubscription | null;
      try {
        remote = await stripe.subscriptions.retrieve(input.subscriptionId);
      } catch (error) {
        if (!isMissing(error)) throw error;
        remote = null;
      }
      return withTransaction(pool, async (client) => {
        const stored = await subscriptionById(client, input.subscriptionId);
        if (!stored) return { drift: [], role: null };
        const stripeState = remoteState(remote, stored);
        const drift = subscriptionDrift(stored, stripeState);
        if (drift.length > 0) {
          await repairSubscription(client, input.subscriptionId, stripeState);
          await writeAudit(client, {
            actor: 'reconciliation',
            action: 'subscription_reconciled',
            subject: stored.userId,
            details: { subscriptionId: input.subscriptionId, drift },
          });
        }
        const synced = await syncRole(client, stored.userId, graceDays, 'reconciliation');
        return { drift, role: synced?.role ?? null };
      });
    },
  };
}
