/**
 * Names the billing workflows share with their callers (the webhook route, the schedules): deterministic ids from
 * business keys and the saga's signal name. Pure, so the API can import it without the workflow code.
 */

/** One subscription saga per Stripe customer: every event about the customer goes to the same workflow. */
export function subscriptionWorkflowId(customerId: string): string {
  return `subscription-${customerId}`;
}

/** The signal that carries a Stripe event (billing/events.ts BillingEvent) to the saga. */
export const STRIPE_EVENT_SIGNAL = 'stripeEvent';

export function reconcileSubscriptionsScheduleId(): string {
  return 'reconcile-subscriptions';
}
