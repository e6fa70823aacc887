/**
 * The order of a subscription's statuses in Stripe's lifecycle, which decides between two events of the same second
 * (Stripe's `created` has a resolution of one second, and events of one second arrive in any order): a later stage
 * is never undone by an earlier one. Pure; db/subscriptions.ts applies it when it records an event.
 *
 * incomplete (first payment pending) → trialing → active / past_due / unpaid / paused (billed; they move between each
 * other both ways) → canceled / incomplete_expired (final).
 */

const STAGE: Readonly<Record<string, number>> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 2,
  unpaid: 2,
  paused: 2,
  canceled: 3,
  incomplete_expired: 3,
};
/** A status Stripe may add later: among the billed ones, where events of the same second apply in arrival order. */
const UNKNOWN_STAGE = 2;

export function lifecycleStage(status: string): number {
  return STAGE[status] ?? UNKNOWN_STAGE;
}

/**
 * Whether an event's status must not replace the stored one: it is older, or of the same second and an earlier
 * stage (a late `customer.subscription.created` saying incomplete after the payment made it active). Within one
 * stage, the later arrival wins, as before.
 */
export function isStaleEvent(
  stored: { status: string; eventAt: Date | null },
  incoming: { status: string; eventAt: Date },
): boolean {
  if (!stored.eventAt) return false;
  const storedAt = stored.eventAt.getTime();
  const incomingAt = incoming.eventAt.getTime();
  if (storedAt !== incomingAt) return storedAt > incomingAt;
  return lifecycleStage(incoming.status) < lifecycleStage(stored.status);
}
