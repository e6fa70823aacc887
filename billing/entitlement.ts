/**
 * Who is premium, decided from the stored subscription records alone: every role change of the billing saga and of
 * the reconciliation goes through `entitlement`, so a step replayed after a crash always reaches the same answer.
 */

/** The subscription state as stored (db/subscriptions.ts), what the decision needs of it. */
export interface SubscriptionRecord {
  subscriptionId: string;
  /** Stripe's status: active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused. */
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** End of the grace period after a failed payment (kept when a past-due subscription is cancelled); null when none. */
  graceUntil: Date | null;
}

export type EntitlementReason =
  | 'active'
  | 'trialing'
  | 'past_due_in_grace'
  | 'canceled_until_period_end'
  | 'cancel_at_period_end'
  | 'grace_expired'
  | 'period_ended'
  | 'inactive'
  | 'no_subscription';

export interface Entitlement {
  role: 'premium' | 'free';
  reason: EntitlementReason;
  /** The subscription that decided it; null without one. */
  subscriptionId: string | null;
  /** When this premium answer runs out unless a new event comes (grace end, period end); null when open-ended or free. */
  until: Date | null;
}

const DAY_MS = 86_400_000;

function decide(record: SubscriptionRecord, graceDays: number, now: Date): Entitlement {
  const at = now.getTime();
  const premium = (reason: EntitlementReason, until: Date | null): Entitlement => ({
    role: 'premium',
    reason,
    subscriptionId: record.subscriptionId,
    until,
  });
  const free = (reason: EntitlementReason): Entitlement => ({
    role: 'free',
    reason,
    subscriptionId: record.subscriptionId,
    until: null,
  });
  const periodEnd = record.currentPeriodEnd;
  switch (record.status) {
    case 'active':
    case 'trialing':
      // Cancelled for the period's end: premium until then, and the saga's timer downgrades at that moment.
      if (record.cancelAtPeriodEnd && periodEnd) {
        return periodEnd.getTime() > at ? premium('cancel_at_period_end', periodEnd) : free('period_ended');
      }
      return premium(record.status, null);
    case 'past_due': {
      // Without a recorded grace end (a state repaired by the reconciliation), the grace runs from the period's end.
      const graceUntil = record.graceUntil ?? (periodEnd ? new Date(periodEnd.getTime() + graceDays * DAY_MS) : null);
      return graceUntil && graceUntil.getTime() > at ? premium('past_due_in_grace', graceUntil) : free('grace_expired');
    }
    case 'canceled': {
      // Cancelled while past due (Stripe gives up on the payment): the period running then was never paid, so
      // premium lasts no longer than the grace it had.
      const paidUntil = periodEnd && record.graceUntil && record.graceUntil < periodEnd ? record.graceUntil : periodEnd;
      return paidUntil && paidUntil.getTime() > at
        ? premium('canceled_until_period_end', paidUntil)
        : free('period_ended');
    }
    default:
      return free('inactive');
  }
}

/**
 * The entitlement of an account from all its subscription records: premium when any record grants it (the one that
 * lasts longest wins, an open-ended one first), else free with the reason of the latest record.
 *
 * @example entitlement([{ subscriptionId: 'sub_1', status: 'past_due', ... graceUntil }], 7, new Date()).role
 */
export function entitlement(records: readonly SubscriptionRecord[], graceDays: number, now: Date): Entitlement {
  if (records.length === 0) return { role: 'free', reason: 'no_subscription', subscriptionId: null, until: null };
  const decisions = records.map((record) => decide(record, graceDays, now));
  const granted = decisions.filter((d) => d.role === 'premium');
  if (granted.length > 0) {
    return granted.reduce((best, d) => {
      if (best.until === null) return best;
      if (d.until === null) return d;
      return d.until > best.until ? d : best;
    });
  }
  return decisions[decisions.length - 1]!;
}
