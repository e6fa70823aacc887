/**
 * Finishes erasures on Stripe's side (schedule `erase-stripe-customers`, every 15 minutes): the Stripe customers of
 * erased accounts that Stripe could not delete at the time are deleted now. A failing one keeps its own backoff in the
 * database, so this run only tries what is due.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const stripeStep = { startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } } as const;
const { retryStripeCustomerDeletions } = proxyActivities<Activities>(stripeStep);

export function eraseStripeCustomersScheduleId(): string {
  return 'erase-stripe-customers';
}

export async function eraseStripeCustomers(input: { limit?: number } = {}): Promise<{ stillQueued: number }> {
  return retryStripeCustomerDeletions({ limit: input.limit });
}
