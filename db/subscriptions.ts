/**
 * Billing state: an account's Stripe customer (users.stripe_customer_id) and its subscriptions as Stripe last told
 * us, the records billing/entitlement.ts decides the role from. Written by the subscription saga's activities and
 * the reconciliation, read by the billing routes.
 */
import type { Queryable } from '../lib/db.ts';
import type { Role } from '../api/env.ts';
import type { SubscriptionRecord } from '../billing/entitlement.ts';
import { mergeGrace } from '../billing/grace-order.ts';
import { isStaleEvent } from '../billing/status-order.ts';

export interface StoredSubscription extends SubscriptionRecord {
  userId: string;
  customerId: string;
  priceId: string | null;
  lastEventAt: Date | null;
  updatedAt: Date;
}

interface Row {
  stripe_subscription_id: string;
  user_id: string;
  stripe_customer_id: string;
  status: string;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  grace_until: Date | null;
  price_id: string | null;
  last_event_at: Date | null;
  updated_at: Date;
}

const COLUMNS = `stripe_subscription_id, user_id, stripe_customer_id, status, current_period_end, cancel_at_period_end,
  grace_until, price_id, last_event_at, updated_at`;

function toSubscription(row: Row): StoredSubscription {
  return {
    subscriptionId: row.stripe_subscription_id,
    userId: row.user_id,
    customerId: row.stripe_customer_id,
    status: row.status,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    graceUntil: row.grace_until,
    priceId: row.price_id,
    lastEventAt: row.last_event_at,
    updatedAt: row.updated_at,
  };
}

/** The account's Stripe customer id, and whether the account exists at all. */
export async function billingAccount(
  db: Queryable,
  userId: string,
): Promise<{ role: Role; customerId: string | null } | null> {
  const { rows } = await db.query<{ role: Role; stripe_customer_id: string | null }>(
    `SELECT role, stripe_customer_id FROM users WHERE user_id = $1`,
    [userId],
  );
  const row = rows[0];
  return row ? { role: row.role, customerId: row.stripe_customer_id } : null;
}

/** Same, under a row lock: what the role recomputation holds while it decides. */
export async function lockBillingAccount(
  db: Queryable,
  userId: string,
): Promise<{ role: Role; customerId: string | null } | null> {
  const { rows } = await db.query<{ role: Role; stripe_customer_id: string | null }>(
    `SELECT role, stripe_customer_id FROM users WHERE user_id = $1 FOR UPDATE`,
    [userId],
  );
  const row = rows[0];
  return row ? { role: row.role, customerId: row.stripe_customer_id } : null;
}

/**
 * Links a Stripe customer to an account that has none yet. @returns the account's customer id afterwards (the one
 * given, or the one linked first by a concurrent request); null when there is no such account.
 */
export async function linkStripeCustomer(db: Queryable, userId: string, customerId: string): Promise<string | null> {
  await db.query(
    `UPDATE users SET stripe_customer_id = $2 WHERE user_id = $1 AND stripe_customer_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM users WHERE stripe_customer_id = $2)`,
    [userId, customerId],
  );
  return (await billingAccount(db, userId))?.customerId ?? null;
}

export async function userIdByStripeCustomer(db: Queryable, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ user_id: string }>(`SELECT user_id FROM users WHERE stripe_customer_id = $1`, [
    customerId,
  ]);
  return rows[0]?.user_id ?? null;
}

export async function userExists(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM users WHERE user_id = $1`, [userId]);
  return rows.length > 0;
}

export interface SubscriptionUpdate {
  subscriptionId: string;
  userId: string;
  customerId: string;
  status: string;
  currentPeriodEnd: Date | null;
  /** Null: keep the stored value (the event does not say). */
  cancelAtPeriodEnd: boolean | null;
  priceId: string | null;
  /** Set on a failed payment; cleared by any other status. */
  graceUntil: Date | null;
  /** The event's `created`. */
  eventAt: Date;
}

/**
 * Applies a subscription state from an event, unless a newer event was applied already, or one of the same second
 * at a later stage of the lifecycle (billing/status-order.ts): then only what the stored row lacks (a period end, a
 * price) is filled in. @returns the status before and after, and whether it was stale.
 */
export async function applySubscriptionUpdate(
  db: Queryable,
  u: SubscriptionUpdate,
): Promise<{ previousStatus: string | null; status: string; stale: boolean }> {
  const { rows: before } = await db.query<{
    status: string;
    last_event_at: Date | null;
    grace_failures: Date[];
    grace_failure_ends: Date[];
    grace_cleared_at: Date | null;
  }>(
    `SELECT status, last_event_at, grace_failures, grace_failure_ends, grace_cleared_at
     FROM subscriptions WHERE stripe_subscription_id = $1 FOR UPDATE`,
    [u.subscriptionId],
  );
  const previous = before[0];
  const stale =
    previous !== undefined &&
    isStaleEvent(
      { status: previous.status, eventAt: previous.last_event_at },
      { status: u.status, eventAt: u.eventAt },
    );
  // Fresh or stale, the event says something about the payments: the grace is merged from it either way.
  const grace = mergeGrace(
    {
      graceUntil: null,
      failures: (previous?.grace_failures ?? []).map((at, i) => ({ at, graceUntil: previous!.grace_failure_ends[i]! })),
      clearedAt: previous?.grace_cleared_at ?? null,
    },
    { status: u.status, eventAt: u.eventAt, graceUntil: u.graceUntil },
    stale && previous ? previous.status : u.status,
  );
  const failures = grace.failures.map((f) => f.at);
  const failureEnds = grace.failures.map((f) => f.graceUntil);
  if (stale && previous) {
    await db.query(
      `UPDATE subscriptions SET current_period_end = COALESCE(current_period_end, $2), price_id = COALESCE(price_id, $3),
         grace_until = $4, grace_failures = $5, grace_failure_ends = $6, grace_cleared_at = $7
       WHERE stripe_subscription_id = $1`,
      [u.subscriptionId, u.currentPeriodEnd, u.priceId, grace.graceUntil, failures, failureEnds, grace.clearedAt],
    );
    return { previousStatus: previous.status, status: previous.status, stale: true };
  }
  await db.query(
    `INSERT INTO subscriptions (stripe_subscription_id, user_id, stripe_customer_id, status, current_period_end,
       cancel_at_period_end, price_id, grace_until, last_event_at, updated_at, grace_failures, grace_failure_ends, grace_cleared_at)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6, false), $7, $8, $9, now(), $10, $11, $12)
     ON CONFLICT (stripe_subscription_id) DO UPDATE SET
       status = EXCLUDED.status,
       current_period_end = COALESCE(EXCLUDED.current_period_end, subscriptions.current_period_end),
       cancel_at_period_end = COALESCE($6, subscriptions.cancel_at_period_end),
       price_id = COALESCE(EXCLUDED.price_id, subscriptions.price_id),
       -- billing/grace-order.ts: the grace ends with the first failure since the last clearing event (it is not
       -- extended by each retry of the charge); a cancellation keeps it (cancelled while past due, the unpaid period
       -- grants nothing beyond).
       grace_until = EXCLUDED.grace_until,
       grace_failures = EXCLUDED.grace_failures,
       grace_failure_ends = EXCLUDED.grace_failure_ends,
       grace_cleared_at = EXCLUDED.grace_cleared_at,
       last_event_at = EXCLUDED.last_event_at,
       updated_at = now()`,
    [
      u.subscriptionId,
      u.userId,
      u.customerId,
      u.status,
      u.currentPeriodEnd,
      u.cancelAtPeriodEnd,
      u.priceId,
      grace.graceUntil,
      u.eventAt,
      failures,
      failureEnds,
      grace.clearedAt,
    ],
  );
  return { previousStatus: previous?.status ?? null, status: u.status, stale: false };
}

export async function subscriptionsOfUser(db: Queryable, userId: string): Promise<StoredSubscription[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE user_id = $1 ORDER BY updated_at, stripe_subscription_id`,
    [userId],
  );
  return rows.map(toSubscription);
}

export async function subscriptionById(db: Queryable, subscriptionId: string): Promise<StoredSubscription | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM subscriptions WHERE stripe_subscription_id = $1`, [
    subscriptionId,
  ]);
  return rows[0] ? toSubscription(rows[0]) : null;
}

/** A page of subscription ids in id order, after `after` (keyset paging for the reconciliation). */
export async function subscriptionIdsAfter(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ stripe_subscription_id: string }>(
    `SELECT stripe_subscription_id FROM subscriptions WHERE ($1::text IS NULL OR stripe_subscription_id > $1)
     ORDER BY stripe_subscription_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.stripe_subscription_id);
}

/** Overwrites the state with what Stripe says now (the reconciliation's repair). */
export async function repairSubscription(
  db: Queryable,
  subscriptionId: string,
  state: { status: string; currentPeriodEnd: Date | null; cancelAtPeriodEnd: boolean },
): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET status = $2, current_period_end = $3, cancel_at_period_end = $4,
       grace_until = CASE WHEN $2 IN ('past_due', 'canceled') THEN grace_until ELSE NULL END,
       grace_failures = CASE WHEN $2 IN ('past_due', 'canceled') THEN grace_failures ELSE '{}' END,
       grace_failure_ends = CASE WHEN $2 IN ('past_due', 'canceled') THEN grace_failure_ends ELSE '{}' END, updated_at = now()
     WHERE stripe_subscription_id = $1`,
    [subscriptionId, state.status, state.currentPeriodEnd, state.cancelAtPeriodEnd],
  );
}
