/**
 * The grace after a failed payment, whatever order Stripe's events arrive in. In Stripe's order the grace starts at
 * the first payment failure (an event whose subscription is past_due) after the last event that cleared it (any
 * status but past_due and canceled: a payment went through, or the subscription moved on), survives a cancellation,
 * and is gone while the subscription is in a clearing status. An event older than the stored state changes no status
 * (billing/status-order.ts), but it still tells what happened to the payments: a late failure can start the grace a
 * cancellation keeps, a late payment can end it, and a late payment between two failures moves the grace's start to
 * the failure after it.
 *
 * So the stored row keeps the time of the newest clearing event and every failure since (with its grace end), and
 * every event, fresh or stale, is merged into them here. The result is a function of the set of events applied
 * (the newest clearing time, the failures after it, the earliest of those), so any delivery order ends the same.
 * A failure of the same second as a clearing event counts as before it.
 */

export interface GraceFailure {
  /** `created` of the failed-payment event. */
  at: Date;
  /** When the grace it starts ends. */
  graceUntil: Date;
}

export interface GraceState {
  /** The grace end of the earliest failure in `failures` (null without one). */
  graceUntil: Date | null;
  /** The failures since `clearedAt`, oldest first, one per second. */
  failures: GraceFailure[];
  /** `created` of the newest event that cleared the grace. */
  clearedAt: Date | null;
}

export interface GraceEvent {
  /** The subscription's status the event carries. */
  status: string;
  eventAt: Date;
  /** For a failure: when its grace ends. */
  graceUntil: Date | null;
}

const clears = (status: string) => status !== 'past_due' && status !== 'canceled';

/** The grace after `event`, given the stored one and the subscription's status once the event is applied. */
export function mergeGrace(stored: GraceState, event: GraceEvent, statusNow: string): GraceState {
  let clearedAt = stored.clearedAt;
  let failures = stored.failures;
  const t = event.eventAt.getTime();
  if (clears(event.status)) {
    if (!clearedAt || t > clearedAt.getTime()) clearedAt = event.eventAt;
  } else if (event.status === 'past_due' && event.graceUntil) {
    // A second failure of the same second is the same moment: the first one recorded stands. (A past_due state
    // without a grace end starts none: billing/entitlement.ts then counts the grace from the period's end.)
    const graceUntil = event.graceUntil;
    if (!failures.some((f) => f.at.getTime() === t)) failures = [...failures, { at: event.eventAt, graceUntil }];
  }
  const since = clearedAt?.getTime() ?? -Infinity;
  failures = clears(statusNow)
    ? []
    : failures.filter((f) => f.at.getTime() > since).sort((a, b) => a.at.getTime() - b.at.getTime());
  return { graceUntil: failures[0]?.graceUntil ?? null, failures, clearedAt };
}
