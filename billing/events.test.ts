import { describe, expect, it } from 'vitest';
import { stripeEvent } from './simulated-events.ts';
import { confirmsPayment, toBillingEvent } from './events.ts';

const parties = { userId: '0b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11', customerId: 'cus_1', subscriptionId: 'sub_1' };
const created = 1_780_000_000;
const periodEnd = new Date('2026-07-01T00:00:00Z');
const parse = (type: Parameters<typeof stripeEvent>[0], options: Parameters<typeof stripeEvent>[2] = {}) =>
  toBillingEvent(JSON.parse(stripeEvent(type, parties, { created, currentPeriodEnd: periodEnd, ...options }).payload));

describe('toBillingEvent', () => {
  it('reads a completed Checkout Session: customer, subscription, user from client_reference_id, paid = active', () => {
    const event = parse('checkout.session.completed', { id: 'evt_1' });
    expect(event).toEqual({
      eventId: 'evt_1',
      type: 'checkout.session.completed',
      created,
      customerId: 'cus_1',
      userId: parties.userId,
      invoiceId: null,
      subscription: {
        subscriptionId: 'sub_1',
        status: 'active',
        currentPeriodEnd: null,
        cancelAtPeriodEnd: null,
        priceId: null,
      },
    });
    expect(confirmsPayment(event!)).toBe(true);
  });

  it('reads subscription events, with the period end from the items and deleted as canceled', () => {
    expect(parse('customer.subscription.updated', { cancelAtPeriodEnd: true })?.subscription).toEqual({
      subscriptionId: 'sub_1',
      status: 'active',
      currentPeriodEnd: periodEnd.toISOString(),
      cancelAtPeriodEnd: true,
      priceId: 'price_afwd_premium_monthly',
    });
    expect(parse('customer.subscription.created')).toMatchObject({
      userId: parties.userId,
      subscription: { status: 'active' },
    });
    expect(parse('customer.subscription.deleted', { status: 'active' })?.subscription.status).toBe('canceled');
  });

  it('reads invoices: paid = active, failed = past_due, the subscription from parent.subscription_details', () => {
    expect(parse('invoice.paid', { invoiceId: 'in_1' })).toMatchObject({
      invoiceId: 'in_1',
      userId: parties.userId,
      subscription: {
        subscriptionId: 'sub_1',
        status: 'active',
        currentPeriodEnd: periodEnd.toISOString(),
        cancelAtPeriodEnd: null,
      },
    });
    const failed = parse('invoice.payment_failed', { invoiceId: 'in_2' });
    expect(failed).toMatchObject({
      invoiceId: 'in_2',
      amountDue: 500,
      currency: 'usd',
      subscription: { status: 'past_due' },
    });
    expect(confirmsPayment(failed!)).toBe(false);
  });

  it('ignores other types, malformed objects and ids that are not ours', () => {
    expect(parse('customer.created')).toBeNull();
    expect(
      toBillingEvent({
        id: 'evt_x',
        type: 'invoice.paid',
        created,
        data: { object: { id: 'in_x', customer: 'cus_1' } },
      }),
    ).toBeNull();
    expect(toBillingEvent('nonsense')).toBeNull();
    const noUser = toBillingEvent(
      JSON.parse(stripeEvent('checkout.session.completed', { ...parties, userId: null }).payload),
    );
    expect(noUser?.userId).toBeNull();
    const injected = JSON.parse(stripeEvent('customer.subscription.created', parties).payload);
    injected.data.object.metadata.userId = "1' OR '1'='1";
    expect(toBillingEvent(injected)?.userId).toBeNull();
  });
});
