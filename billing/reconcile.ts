/**
 * What the daily reconciliation repairs: the differences between a stored subscription and the same subscription as
 * Stripe reports it now (a webhook lost, or applied out of order). Pure; the activity reads both sides and writes.
 */

/** The fields the entitlement depends on, on either side. */
export interface SubscriptionState {
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface FieldDrift {
  field: 'status' | 'currentPeriodEnd' | 'cancelAtPeriodEnd';
  stored: string | boolean | null;
  stripe: string | boolean | null;
}

/** Stripe's subscription object, the fields read here (the period end on the items in newer API versions). */
export interface RemoteSubscription {
  status: string;
  cancel_at_period_end?: boolean | null;
  current_period_end?: number | null;
  items?: { data: { current_period_end?: number | null }[] } | null;
}

/** Stripe's answer as a state; a subscription Stripe no longer knows counts as canceled, its period unchanged. */
export function remoteState(remote: RemoteSubscription | null, stored: SubscriptionState): SubscriptionState {
  if (!remote) return { status: 'canceled', currentPeriodEnd: stored.currentPeriodEnd, cancelAtPeriodEnd: false };
  const end = remote.items?.data[0]?.current_period_end ?? remote.current_period_end ?? null;
  return {
    status: remote.status,
    currentPeriodEnd: end ? new Date(end * 1000) : stored.currentPeriodEnd,
    cancelAtPeriodEnd: remote.cancel_at_period_end ?? false,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The fields where the stored state differs from Stripe's (period ends compared to the second); empty when in sync. */
export function subscriptionDrift(stored: SubscriptionState, stripe: SubscriptionState): FieldDrift[] {
  const drift: FieldDrift[] = [];
  if (stored.status !== stripe.status) drift.push({ field: 'status', stored: stored.status, stripe: stripe.status });
  const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);
  if (sec(stored.currentPeriodEnd) !== sec(stripe.currentPeriodEnd)) {
    drift.push({
      field: 'currentPeriodEnd',
      stored: iso(stored.currentPeriodEnd),
      stripe: iso(stripe.currentPeriodEnd),
    });
  }
  if (stored.cancelAtPeriodEnd !== stripe.cancelAtPeriodEnd)
    drift.push({ field: 'cancelAtPeriodEnd', stored: stored.cancelAtPeriodEnd, stripe: stripe.cancelAtPeriodEnd });
  return drift;
}
