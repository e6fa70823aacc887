/**
 * The subscription saga: one long-lived workflow per Stripe customer, fed by the webhook's signals. Each event is
 * recorded (claimed once by id), then the role is recomputed from the stored records (billing/entitlement.ts), then
 * the e-mail it calls for is queued. A premium answer that runs out (grace after a failed payment, a cancelled
 * period's end) arms a timer that recomputes the role then, unless an event (a payment) comes first.
 *
 * Compensation: when a payment cannot be turned into premium because the account no longer exists, the subscription
 * is cancelled at Stripe at once, so nobody keeps paying for nothing (a refund of the charge is left to a person).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { BillingEvent } from '../billing/events.ts';
import { STRIPE_EVENT_SIGNAL } from './billing-ids.ts';

// No attempt limit: a database or Stripe outage delays a paid event, it must never drop it. (A compensation Stripe
// refuses outright fails for good instead: see cancelStripeSubscription.)
const dbStep = { startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } } as const;
const stripeStep = { startToCloseTimeout: '2 minutes', retry: { maximumInterval: '10 minutes' } } as const;
const { recordBillingEvent, syncEntitlement, queueWelcomeEmail, requestOutboxDrain } =
  proxyActivities<Activities>(dbStep);
const { cancelStripeSubscription } = proxyActivities<Activities>(stripeStep);

export const stripeEventSignal = defineSignal<[BillingEvent]>(STRIPE_EVENT_SIGNAL);

export interface SubscriptionSagaInput {
  customerId: string;
  /** Premium kept after a failed payment, in seconds (PAYMENT_GRACE_DAYS from the webhook; a few seconds in tests). */
  graceSeconds: number;
  /** Carried over by continueAsNew: the account, events not yet applied, recent event ids, the armed timer. */
  userId?: string | null;
  pending?: BillingEvent[];
  seen?: string[];
  wakeAt?: number | null;
  /** Events applied per run before continuing as new, which bounds the history. @default 100 */
  eventsPerRun?: number;
}

const EVENTS_PER_RUN = 100;
/** The timer fires this long after the deadline, so the activity's clock is past it too. */
const TIMER_SLACK_MS = 1000;
const BILLABLE = new Set(['active', 'trialing', 'past_due']);
const PAID = new Set(['active', 'trialing']);
const CONFIRMING = new Set(['checkout.session.completed', 'invoice.paid', 'customer.subscription.created']);

export async function subscriptionSaga(input: SubscriptionSagaInput): Promise<void> {
  const pending: BillingEvent[] = [...(input.pending ?? [])];
  const seen = new Set(input.seen ?? []);
  let userId = input.userId ?? null;
  let wakeAt = input.wakeAt ?? null;
  setHandler(stripeEventSignal, (event) => {
    // A redelivery while the first copy waits or ran is dropped here; older ones are dropped by the claim in the database.
    if (!seen.has(event.eventId) && !pending.some((p) => p.eventId === event.eventId)) pending.push(event);
  });

  const nextWake = (until: string | null | undefined) => (until ? Date.parse(until) + TIMER_SLACK_MS : null);
  const compensated = new Set<string>();
  const compensate = async (subscriptionId: string, reason: string) => {
    if (compensated.has(subscriptionId)) return;
    compensated.add(subscriptionId);
    try {
      await cancelStripeSubscription({ subscriptionId, reason });
    } catch (error) {
      // Stripe refused the cancellation (audited and logged by the activity, for a person to finish): the saga goes
      // on with the customer's other events rather than wait on it for ever.
      if (!(error instanceof ActivityFailure)) throw error;
    }
  };

  /**
   * No account (erased, or never ours): the saga drops the user id and, with nothing else to apply, ends, so an erased
   * account's id does not live on in a run that never closes (a closed history ages out with the namespace's
   * retention; a later event about the customer starts a new run through signalWithStart).
   */
  const forgetAccount = async (): Promise<boolean> => {
    userId = null;
    wakeAt = null;
    if (pending.length > 0) return false;
    await condition(allHandlersFinished);
    return pending.length === 0;
  };

  const eventsPerRun = input.eventsPerRun ?? EVENTS_PER_RUN;
  for (let applied = 0; applied < eventsPerRun && !workflowInfo().continueAsNewSuggested;) {
    if (pending.length === 0) {
      let timedOut = false;
      if (wakeAt === null) await condition(() => pending.length > 0);
      else timedOut = !(await condition(() => pending.length > 0, Math.max(0, wakeAt - Date.now())));
      if (timedOut) {
        // The grace or the paid period ran out with no event meanwhile: recompute from the records.
        wakeAt = userId ? nextWake((await syncEntitlement({ userId, cause: 'timer' }))?.until) : null;
        continue;
      }
    }
    // Out-of-order deliveries are applied in Stripe's order; a late older event is stale and changes no status, but
    // its payment still counts for the grace (billing/grace-order.ts: the same grace whatever the delivery order).
    pending.sort((a, b) => a.created - b.created);
    const event = pending.shift()!;
    seen.add(event.eventId);
    applied++;

    const recorded = await recordBillingEvent({ event, graceSeconds: input.graceSeconds });
    userId = recorded.userId ?? userId;
    // The payment-failed e-mail was queued with the event: send it now rather than at the next scheduled drain.
    if (event.type === 'invoice.payment_failed' && recorded.outcome === 'applied') await requestOutboxDrain();
    const billable = BILLABLE.has(event.subscription.status);
    if (!recorded.userId) {
      if (billable && recorded.outcome === 'no_user') await compensate(event.subscription.subscriptionId, 'no_account');
      if (await forgetAccount()) return;
      continue;
    }
    // Even for a duplicate: the role is recomputed from the records, so a step cut short by a crash is completed.
    const role = await syncEntitlement({ userId: recorded.userId, cause: event.type });
    if (!role) {
      if (billable) await compensate(event.subscription.subscriptionId, 'account_deleted');
      if (await forgetAccount()) return;
      continue;
    }
    wakeAt = nextWake(role.until);
    if (CONFIRMING.has(event.type) && PAID.has(event.subscription.status) && role.entitled === 'premium') {
      if (await queueWelcomeEmail({ userId: recorded.userId, subscriptionId: event.subscription.subscriptionId }))
        await requestOutboxDrain();
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof subscriptionSaga>({
    ...input,
    userId,
    pending,
    seen: [...seen].slice(-50),
    wakeAt,
  });
}
