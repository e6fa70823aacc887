import { describe, expect, it } from 'vitest';
import { entitlement, type SubscriptionRecord } from './entitlement.ts';

const now = new Date('2026-06-01T12:00:00Z');
const later = new Date('2026-06-10T00:00:00Z');
const earlier = new Date('2026-05-20T00:00:00Z');
const record = (over: Partial<SubscriptionRecord>): SubscriptionRecord => ({
  subscriptionId: 'sub_1',
  status: 'active',
  currentPeriodEnd: later,
  cancelAtPeriodEnd: false,
  graceUntil: null,
  ...over,
});

describe('entitlement', () => {
  it('is free without any subscription', () => {
    expect(entitlement([], 7, now)).toEqual({
      role: 'free',
      reason: 'no_subscription',
      subscriptionId: null,
      until: null,
    });
  });

  it('grants premium, open-ended, to active and trialing subscriptions', () => {
    expect(entitlement([record({})], 7, now)).toEqual({
      role: 'premium',
      reason: 'active',
      subscriptionId: 'sub_1',
      until: null,
    });
    expect(entitlement([record({ status: 'trialing' })], 7, now)).toMatchObject({
      role: 'premium',
      reason: 'trialing',
    });
  });

  it('keeps a past-due subscriber premium until the grace end, then not', () => {
    const graceUntil = new Date('2026-06-03T00:00:00Z');
    expect(entitlement([record({ status: 'past_due', graceUntil })], 7, now)).toEqual({
      role: 'premium',
      reason: 'past_due_in_grace',
      subscriptionId: 'sub_1',
      until: graceUntil,
    });
    expect(
      entitlement([record({ status: 'past_due', graceUntil })], 7, new Date('2026-06-03T00:00:01Z')),
    ).toMatchObject({ role: 'free', reason: 'grace_expired' });
  });

  it('counts the grace days from the period end when no grace end was recorded', () => {
    expect(entitlement([record({ status: 'past_due', currentPeriodEnd: earlier })], 7, now)).toMatchObject({
      role: 'free',
      reason: 'grace_expired',
    });
    expect(entitlement([record({ status: 'past_due', currentPeriodEnd: earlier })], 14, now)).toMatchObject({
      role: 'premium',
      until: new Date('2026-06-03T00:00:00Z'),
    });
  });

  it('keeps a cancelled subscriber premium until the period end', () => {
    expect(entitlement([record({ cancelAtPeriodEnd: true })], 7, now)).toEqual({
      role: 'premium',
      reason: 'cancel_at_period_end',
      subscriptionId: 'sub_1',
      until: later,
    });
    expect(entitlement([record({ cancelAtPeriodEnd: true, currentPeriodEnd: earlier })], 7, now)).toMatchObject({
      role: 'free',
      reason: 'period_ended',
    });
    expect(entitlement([record({ status: 'canceled' })], 7, now)).toMatchObject({
      role: 'premium',
      reason: 'canceled_until_period_end',
      until: later,
    });
    expect(entitlement([record({ status: 'canceled', currentPeriodEnd: earlier })], 7, now)).toMatchObject({
      role: 'free',
      reason: 'period_ended',
    });
    expect(entitlement([record({ status: 'canceled', currentPeriodEnd: null })], 7, now)).toMatchObject({
      role: 'free',
    });
  });

  it('does not give back premium to a subscription cancelled for non-payment: the unpaid period was never paid for', () => {
    const graceUntil = new Date('2026-05-25T00:00:00Z');
    expect(entitlement([record({ status: 'canceled', graceUntil })], 7, now)).toMatchObject({
      role: 'free',
      reason: 'period_ended',
    });
    expect(
      entitlement([record({ status: 'canceled', graceUntil: new Date('2026-06-03T00:00:00Z') })], 7, now),
    ).toMatchObject({ role: 'premium', reason: 'canceled_until_period_end', until: new Date('2026-06-03T00:00:00Z') });
  });

  it('never grants premium to unpaid or incomplete subscriptions', () => {
    for (const status of ['unpaid', 'incomplete', 'incomplete_expired', 'paused']) {
      expect(entitlement([record({ status })], 7, now)).toMatchObject({ role: 'free', reason: 'inactive' });
    }
  });

  it('takes the record that grants the longest: open-ended over a dated one, any grant over a lapsed one', () => {
    const lapsed = record({ subscriptionId: 'sub_old', status: 'canceled', currentPeriodEnd: earlier });
    const dated = record({ subscriptionId: 'sub_dated', cancelAtPeriodEnd: true });
    const open = record({ subscriptionId: 'sub_open' });
    expect(entitlement([lapsed, dated], 7, now).subscriptionId).toBe('sub_dated');
    expect(entitlement([dated, open, lapsed], 7, now).subscriptionId).toBe('sub_open');
    expect(entitlement([lapsed, record({ subscriptionId: 'sub_unpaid', status: 'unpaid' })], 7, now)).toMatchObject({
      role: 'free',
      subscriptionId: 'sub_unpaid',
    });
  });
});
