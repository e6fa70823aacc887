import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { claimStripeEvent, recordStripeEventReceived, stripeEventState } from './stripe-events.ts';
import { linkStripeCustomer } from './subscriptions.ts';
import { createUser } from './users.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const storedCustomer = async (eventId: string) =>
  (
    await db.pool.query<{ stripe_customer_id: string | null }>(
      `SELECT stripe_customer_id FROM stripe_events WHERE event_id = $1`,
      [eventId],
    )
  ).rows[0]?.stripe_customer_id;

describe('stripe events', () => {
  it('keeps a customer id only while an account owns it, so events after an erasure do not bring it back', async () => {
    const userId = (await createUser(db.pool, { email: 'owner@example.test', passwordHash: 'x' }))!;
    await linkStripeCustomer(db.pool, userId, 'cus_owned');
    await recordStripeEventReceived(db.pool, { eventId: 'evt_owned', type: 'invoice.paid', customerId: 'cus_owned' });
    await recordStripeEventReceived(db.pool, {
      eventId: 'evt_erased',
      type: 'customer.deleted',
      customerId: 'cus_erased',
    });
    expect(await storedCustomer('evt_owned')).toBe('cus_owned');
    expect(await storedCustomer('evt_erased')).toBeNull();
    expect(
      await claimStripeEvent(db.pool, {
        eventId: 'evt_late',
        type: 'customer.subscription.deleted',
        customerId: 'cus_erased',
      }),
    ).toBe(true);
    expect(await storedCustomer('evt_late')).toBeNull();
  });

  it('applies an event once', async () => {
    const event = { eventId: 'evt_once', type: 'invoice.paid', customerId: null };
    await recordStripeEventReceived(db.pool, event);
    expect(await stripeEventState(db.pool, 'evt_once')).toBe('received');
    expect(await claimStripeEvent(db.pool, event)).toBe(true);
    expect(await claimStripeEvent(db.pool, event)).toBe(false);
    expect(await stripeEventState(db.pool, 'evt_once')).toBe('processed');
  });
});
