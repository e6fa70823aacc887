// toBillingEvent on the shapes older Stripe API versions and unusual events send: expanded references, the period on
// the subscription instead of its items, an invoice's subscription at the top level, one-off invoices, unpaid sessions.
import { describe, expect, it } from 'vitest';
import { parseStripeEvent, toBillingEvent } from './events.ts';

const USER = '0B7E2F0C-3F7A-4C59-9F7E-2B1D7D9D4C11';
const created = 1_780_000_000;
const event = (type: string, object: unknown) => ({ id: 'evt_shape', type, created, data: { object } });

describe('toBillingEvent on other API shapes', () => {
  it('reads a subscription with an expanded customer, the period on the subscription and no items', () => {
    const parsed = toBillingEvent(
      event('customer.subscription.updated', {
        id: 'sub_9',
        customer: { id: 'cus_9' },
        status: 'past_due',
        current_period_end: 1_782_864_000,
        metadata: { userId: USER },
      }),
    );
    expect(parsed).toEqual({
      eventId: 'evt_shape',
      type: 'customer.subscription.updated',
      created,
      customerId: 'cus_9',
      invoiceId: null,
      userId: USER.toLowerCase(),
      subscription: {
        subscriptionId: 'sub_9',
        status: 'past_due',
        currentPeriodEnd: '2026-07-01T00:00:00.000Z',
        cancelAtPeriodEnd: false,
        priceId: null,
      },
    });
  });

  it('reads an invoice whose subscription sits at the top level and that has no lines', () => {
    const parsed = toBillingEvent(
      event('invoice.payment_failed', { id: 'in_9', customer: 'cus_9', subscription: { id: 'sub_9' } }),
    );
    expect(parsed).toEqual({
      eventId: 'evt_shape',
      type: 'invoice.payment_failed',
      created,
      customerId: 'cus_9',
      invoiceId: 'in_9',
      userId: null,
      amountDue: null,
      currency: null,
      subscription: {
        subscriptionId: 'sub_9',
        status: 'past_due',
        currentPeriodEnd: null,
        cancelAtPeriodEnd: null,
        priceId: null,
      },
    });
  });

  it('ignores a one-off invoice with no subscription, and subscriptions or sessions of the wrong shape', () => {
    expect(toBillingEvent(event('invoice.paid', { id: 'in_1', customer: 'cus_1' }))).toBeNull();
    expect(toBillingEvent(event('customer.subscription.created', { id: 'sub_1', customer: 'cus_1' }))).toBeNull();
    expect(toBillingEvent(event('checkout.session.completed', { id: 'cs_1', customer: 'cus_1' }))).toBeNull();
  });

  it('tells an event of no concern to the saga (ignored) from a handled one it cannot read (unparsable)', () => {
    expect(parseStripeEvent(event('invoice.paid', { id: 'in_1', customer: 'cus_1' }))).toEqual({ kind: 'ignored' });
    expect(
      parseStripeEvent(event('checkout.session.completed', { id: 'cs_1', customer: 'cus_1', subscription: null })),
    ).toEqual({ kind: 'ignored' });
    expect(parseStripeEvent(event('charge.refunded', { id: 'ch_1' }))).toEqual({ kind: 'ignored' });
    const broken = parseStripeEvent(event('customer.subscription.created', { id: 'sub_1', customer: 'cus_1' }));
    expect(broken).toMatchObject({
      kind: 'unparsable',
      type: 'customer.subscription.created',
      eventId: expect.any(String),
    });
    expect(broken.kind === 'unparsable' && broken.issues).toMatch(/status/);
    expect(
      parseStripeEvent(event('checkout.session.completed', { id: 'cs_2', customer: 'cus_2', subscription: 42 })),
    ).toMatchObject({ kind: 'unparsable' });
  });

  it('makes an unpaid Checkout Session incomplete, and takes the user from its metadata when there is no reference', () => {
    const parsed = toBillingEvent(
      event('checkout.session.completed', {
        id: 'cs_2',
        customer: 'cus_2',
        subscription: 'sub_2',
        payment_status: 'unpaid',
        metadata: { userId: USER },
      }),
    );
    expect(parsed).toMatchObject({
      userId: USER.toLowerCase(),
      subscription: { subscriptionId: 'sub_2', status: 'incomplete' },
    });
    const free = toBillingEvent(
      event('checkout.session.completed', {
        id: 'cs_3',
        customer: 'cus_3',
        subscription: 'sub_3',
        payment_status: 'no_payment_required',
      }),
    );
    expect(free).toMatchObject({ userId: null, subscription: { status: 'active' } });
  });
});
