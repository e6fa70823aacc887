/**
 * Erasing an account (the right to erasure), in one transaction: the outbox's rows cancelled and stripped, Stripe
 * events unhooked from its customers, audit entries pseudonymized, the Stripe customers queued for deletion, the
 * user row deleted (everything keyed to it cascades: sessions, subscriptions, watchlist, Fantrax link and data,
 * notification settings, reset tokens) and the erasure audited under the pseudonym. Stripe is asked after the commit;
 * if it fails, the queue row stays for a retry and the local erasure stands.
 */
import type Stripe from 'stripe';
import { writeAudit } from '../../db/audit-log.ts';
import {
  deleteUserRow,
  eraseOutbox,
  eraseStripeEventCustomers,
  pseudonymizeAudit,
  queueStripeCustomerDeletions,
  stripeCustomersOf,
  stripeSubscriptionsOf,
} from '../../db/data-rights.ts';
import { lockCredentials } from '../../db/users.ts';
import { withTransaction, type Pool } from '../../lib/db.ts';
import { deleteStripeCustomers } from '../../billing/customer-deletions.ts';

export interface ErasureResult {
  pseudonym: string;
  /** Stripe customers Stripe has not confirmed deleted yet (queued for retry). */
  stripePending: number;
}

/** @returns null when the account no longer exists (erased by a concurrent call). */
export async function eraseAccount(
  pool: Pool,
  stripe: () => Stripe,
  options: { userId: string; pseudonym: string; now: Date },
): Promise<ErasureResult | null> {
  const { userId, pseudonym, now } = options;
  const customers = await withTransaction(pool, async (client) => {
    const account = await lockCredentials(client, userId);
    if (!account) return null;
    const customerIds = await stripeCustomersOf(client, userId);
    await eraseOutbox(client, userId);
    await eraseStripeEventCustomers(client, customerIds);
    // Entries about one of the account's subscriptions (its compensation) are the account's too.
    const subscriptionIds = await stripeSubscriptionsOf(client, userId);
    await pseudonymizeAudit(client, userId, pseudonym, [userId, account.email, ...customerIds, ...subscriptionIds]);
    await queueStripeCustomerDeletions(client, customerIds, now);
    await deleteUserRow(client, userId);
    await writeAudit(client, {
      actor: pseudonym,
      action: 'account_deleted',
      subject: pseudonym,
      details: { stripeCustomers: customerIds.length },
    });
    return customerIds;
  });
  if (!customers) return null;
  const stripePending =
    customers.length === 0
      ? 0
      : await deleteStripeCustomers(
          pool,
          stripe(),
          customers.map((customerId) => ({ customerId, attempts: 0 })),
          now,
        );
  return { pseudonym, stripePending };
}
