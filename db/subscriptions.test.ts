import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { applySubscriptionUpdate, subscriptionById, type SubscriptionUpdate } from './subscriptions.ts';
import { createUser } from './users.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('applySubscriptionUpdate', () => {
  it('keeps the later lifecycle stage when two events of the same second arrive in the wrong order', async () => {
    const userId = (await createUser(db.pool, { email: 'same-second@example.test', passwordHash: 'x' }))!;
    const eventAt = new Date(Date.UTC(2026, 0, 5, 12, 0, 0));
    const update = (status: string, at = eventAt): SubscriptionUpdate => ({
      subscriptionId: 'sub_same_second',
      userId,
      customerId: 'cus_same_second',
      status,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: null,
      priceId: null,
      graceUntil: null,
      eventAt: at,
    });
    expect(await applySubscriptionUpdate(db.pool, update('active'))).toEqual({
      previousStatus: null,
      status: 'active',
      stale: false,
    });
    // The late customer.subscription.created of the same second: incomplete must not undo the payment.
    expect(await applySubscriptionUpdate(db.pool, update('incomplete'))).toEqual({
      previousStatus: 'active',
      status: 'active',
      stale: true,
    });
    expect((await subscriptionById(db.pool, 'sub_same_second'))?.status).toBe('active');
    // Same stage, same second: the later arrival applies.
    expect((await applySubscriptionUpdate(db.pool, update('past_due'))).stale).toBe(false);
    expect((await applySubscriptionUpdate(db.pool, update('canceled'))).stale).toBe(false);
    expect((await applySubscriptionUpdate(db.pool, update('active'))).stale).toBe(true);
    expect((await subscriptionById(db.pool, 'sub_same_second'))?.status).toBe('canceled');
    // An older event stays stale; a newer one applies whatever its stage.
    expect((await applySubscriptionUpdate(db.pool, update('active', new Date(eventAt.getTime() - 1000)))).stale).toBe(
      true,
    );
    expect(
      (await applySubscriptionUpdate(db.pool, update('incomplete', new Date(eventAt.getTime() + 1000)))).stale,
    ).toBe(false);
    expect((await subscriptionById(db.pool, 'sub_same_second'))?.status).toBe('incomplete');
  });

  it("keeps the grace of a payment failure that arrives after the cancellation, as in Stripe's order", async () => {
    const userId = (await createUser(db.pool, { email: 'late-failure@example.test', passwordHash: 'x' }))!;
    const t = Date.UTC(2026, 0, 5, 12, 0, 0);
    const grace = new Date(t + 2000 + 7 * 86_400_000);
    const update = (status: string, s: number, graceUntil: Date | null = null): SubscriptionUpdate => ({
      subscriptionId: 'sub_late_failure',
      userId,
      customerId: 'cus_late_failure',
      status,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: null,
      priceId: null,
      graceUntil,
      eventAt: new Date(t + s * 1000),
    });
    await applySubscriptionUpdate(db.pool, update('active', 0));
    await applySubscriptionUpdate(db.pool, update('canceled', 3));
    expect(await applySubscriptionUpdate(db.pool, update('past_due', 2, grace))).toEqual({
      previousStatus: 'canceled',
      status: 'canceled',
      stale: true,
    });
    expect(await subscriptionById(db.pool, 'sub_late_failure')).toMatchObject({
      status: 'canceled',
      graceUntil: grace,
    });
    // A payment between the failure and the cancellation, arriving last, ends that grace again.
    expect((await applySubscriptionUpdate(db.pool, update('active', 2.5))).stale).toBe(true);
    expect(await subscriptionById(db.pool, 'sub_late_failure')).toMatchObject({ status: 'canceled', graceUntil: null });
  });

  it('moves the grace to the failure after a payment that arrives last (fail, pay, fail)', async () => {
    const userId = (await createUser(db.pool, { email: 'fail-pay-fail@example.test', passwordHash: 'x' }))!;
    const t = Date.UTC(2026, 0, 5, 12, 0, 0);
    const graceOf = (s: number) => new Date(t + s * 1000 + 7 * 86_400_000);
    const update = (status: string, s: number): SubscriptionUpdate => ({
      subscriptionId: 'sub_fail_pay_fail',
      userId,
      customerId: 'cus_fail_pay_fail',
      status,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: null,
      priceId: null,
      graceUntil: status === 'past_due' ? graceOf(s) : null,
      eventAt: new Date(t + s * 1000),
    });
    await applySubscriptionUpdate(db.pool, update('active', 0));
    await applySubscriptionUpdate(db.pool, update('past_due', 3));
    await applySubscriptionUpdate(db.pool, update('past_due', 1));
    expect(await subscriptionById(db.pool, 'sub_fail_pay_fail')).toMatchObject({
      status: 'past_due',
      graceUntil: graceOf(1),
    });
    // The payment between them, last: the first failure's grace is gone, the second one's starts.
    expect((await applySubscriptionUpdate(db.pool, update('active', 2))).stale).toBe(true);
    expect(await subscriptionById(db.pool, 'sub_fail_pay_fail')).toMatchObject({
      status: 'past_due',
      graceUntil: graceOf(3),
    });
    const { rows } = await db.pool.query<{ grace_failures: Date[]; grace_cleared_at: Date }>(
      `SELECT grace_failures, grace_cleared_at FROM subscriptions WHERE stripe_subscription_id = 'sub_fail_pay_fail'`,
    );
    expect(rows[0]).toEqual({ grace_failures: [new Date(t + 3000)], grace_cleared_at: new Date(t + 2000) });
    // A payment after them all clears everything.
    await applySubscriptionUpdate(db.pool, update('active', 4));
    expect(await subscriptionById(db.pool, 'sub_fail_pay_fail')).toMatchObject({ status: 'active', graceUntil: null });
  });
});
