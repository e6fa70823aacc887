/**
 * The grace after a failed payment, whatever order Stripe's events arrive in. In Stripe's order the grace starts at
 * the first payment failure (an event whose subscription is past_due) after the last event that cleared it (any
 * status but past_due and canceled: a payment went through, or the subscription moved on), survives a cancellation,
 * and is gone while the subscription is in a clearing status. An event older than the stored state changes no status
 * (billing/status-order.ts), but it still tells what happened to the payments: a late failure can start the grace a
 * cancellation keeps, a late payment can end it. So the stored row keeps when the grace's failure happened and when
 * the grace was last cleared, and every event, fresh or stale, is merged into them here.
 *
 * Limit: only the first failure is kept, so with failures on both sides of a payment that arrives after them all
 * (fail, pay, fail, the payment last), the later failure's grace is lost: the subscriber keeps premium as if paid.
 */

export interface GraceState {
  graceUntil: Date | null;
  /** `created` of the failure that started the grace (null without one). */
  failedAt: Date | null;
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
  let { graceUntil, failedAt, clearedAt } = stored;
  const t = event.eventAt.getTime();
  if (clears(event.status)) {
    if (!clearedAt || t > clearedAt.getTime()) clearedAt = event.eventAt;
  } else if (event.status === 'past_due' && event.graceUntil && (!clearedAt || t > clearedAt.getTime()) && (!failedAt || t < failedAt.getTime())) {
    // The first failure since the last clearing event sets the grace; a later one does not extend it.
    failedAt = event.eventAt;
    graceUntil = event.graceUntil;
  }
  if (failedAt && clearedAt && failedAt.getTime() <= clearedAt.getTime()) {
    failedAt = null;
    graceUntil = null;
  }
  if (clears(statusNow)) {
    failedAt = null;
    graceUntil = null;
  }
  return { graceUntil, failedAt, clearedAt };
}
