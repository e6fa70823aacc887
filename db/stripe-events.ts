/**
 * Stripe webhook events seen (stripe_events): ids and types only, never the payload. The webhook records an event as
 * received; the saga claims it when it applies it, once, so a replayed event has no second effect.
 */
import type { Queryable } from '../lib/db.ts';

export interface StripeEventRef {
  eventId: string;
  type: string;
  customerId: string | null;
}

/** 'processed' once the saga applied it, 'received' before, null when never seen. */
export async function stripeEventState(db: Queryable, eventId: string): Promise<'received' | 'processed' | null> {
  const { rows } = await db.query<{ processed: boolean }>(
    `SELECT processed_at IS NOT NULL AS processed FROM stripe_events WHERE event_id = $1`,
    [eventId],
  );
  const row = rows[0];
  return row ? (row.processed ? 'processed' : 'received') : null;
}

/**
 * The event's customer id, kept only while an account owns that customer: Stripe goes on sending events about a
 * customer after the account was erased (the deletion itself, the cancelled subscription), and those must not bring
 * the erased account's Stripe id back.
 */
const OWNED_CUSTOMER = '(SELECT stripe_customer_id FROM users WHERE stripe_customer_id = $3)';

/** Notes an event as received (a delivery that is not yet applied); a known event is left as it is. */
export async function recordStripeEventReceived(db: Queryable, event: StripeEventRef): Promise<void> {
  await db.query(
    `INSERT INTO stripe_events (event_id, type, stripe_customer_id) VALUES ($1, $2, ${OWNED_CUSTOMER}) ON CONFLICT (event_id) DO NOTHING`,
    [event.eventId, event.type, event.customerId],
  );
}

/**
 * Marks the event processed. @returns false when it already was (the caller must then change nothing); run it in
 * the transaction that applies the event, so the claim and the effect commit together.
 */
export async function claimStripeEvent(db: Queryable, event: StripeEventRef): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO stripe_events (event_id, type, stripe_customer_id, processed_at) VALUES ($1, $2, ${OWNED_CUSTOMER}, now())
     ON CONFLICT (event_id) DO UPDATE SET processed_at = now() WHERE stripe_events.processed_at IS NULL
     RETURNING event_id`,
    [event.eventId, event.type, event.customerId],
  );
  return rows.length > 0;
}
