/**
 * Account activities: the retry of Stripe customer deletions an erasure could not finish (Stripe was down when the
 * account was erased; billing/customer-deletions.ts).
 */
import { deleteDueStripeCustomers } from '../billing/customer-deletions.ts';
import { createStripeClient } from '../billing/stripe-client.ts';
import { activityLog, type ActivityDeps } from './context.ts';

export function createAccountActivities(deps: ActivityDeps) {
  return {
    /** One pass over the due deletions. @returns how many customers are still queued after it. */
    async retryStripeCustomerDeletions(input: { limit?: number } = {}): Promise<{ stillQueued: number }> {
      const stillQueued = await deleteDueStripeCustomers(
        deps.pool,
        createStripeClient(deps.config),
        new Date(),
        input.limit ?? 100,
      );
      if (stillQueued > 0)
        activityLog(deps.log).warn({ stillQueued }, 'Stripe customer deletions still failing; retried later');
      return { stillQueued };
    },
  };
}
