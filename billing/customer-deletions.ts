/**
 * The Stripe side of erasing an account: deletes each queued Stripe customer (Stripe cancels its subscriptions with
 * it) and drops the queue row once Stripe confirmed. A failure keeps the row with a later next attempt, so the local
 * erasure never waits on Stripe; `deleteDueStripeCustomers` is what retries it (a customer Stripe no longer knows
 * counts as deleted).
 */
import type Stripe from 'stripe';
import { dueStripeCustomerDeletions, stripeCustomerDeleted, stripeCustomerDeletionFailed } from '../db/data-rights.ts';
import type { Pool } from '../lib/db.ts';

/** Backoff of the retries: 5 minutes doubling, at most a day. */
export function nextDeletionAttempt(now: Date, attempts: number): Date {
  const minutes = Math.min(5 * 2 ** attempts, 24 * 60);
  return new Date(now.getTime() + minutes * 60_000);
}

function isMissingCustomer(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return e?.statusCode === 404 || e?.code === 'resource_missing';
}

/** Deletes the given customers; @returns how many are still queued (Stripe failed for them). */
export async function deleteStripeCustomers(
  pool: Pool,
  stripe: Stripe,
  customers: readonly { customerId: string; attempts: number }[],
  now: Date,
): Promise<number> {
  let failed = 0;
  for (const { customerId, attempts } of customers) {
    try {
      await stripe.customers.del(customerId);
      await stripeCustomerDeleted(pool, customerId);
    } catch (error) {
      if (isMissingCustomer(error)) {
        await stripeCustomerDeleted(pool, customerId);
        continue;
      }
      failed++;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await stripeCustomerDeletionFailed(pool, customerId, message, nextDeletionAttempt(now, attempts));
    }
  }
  return failed;
}

/** One retry pass over the queue: the customers whose next attempt is due. @returns how many are still queued. */
export async function deleteDueStripeCustomers(pool: Pool, stripe: Stripe, now: Date, limit = 100): Promise<number> {
  return deleteStripeCustomers(pool, stripe, await dueStripeCustomerDeletions(pool, now, limit), now);
}
