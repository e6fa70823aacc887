import { describe, expect, it } from 'vitest';
import { remoteState, subscriptionDrift, type SubscriptionState } from './reconcile.ts';

const stored: SubscriptionState = {
  status: 'canceled',
  currentPeriodEnd: new Date('2026-06-01T00:00:00.400Z'),
  cancelAtPeriodEnd: false,
};

describe('subscription reconciliation diff', () => {
  it('finds nothing when Stripe agrees (period ends compared to the second)', () => {
    const same = remoteState(
      {
        status: 'canceled',
        cancel_at_period_end: false,
        items: { data: [{ current_period_end: Date.parse('2026-06-01T00:00:00Z') / 1000 }] },
      },
      stored,
    );
    expect(subscriptionDrift(stored, same)).toEqual([]);
  });

  it('lists each drifted field with both sides', () => {
    const remote = remoteState(
      {
        status: 'active',
        cancel_at_period_end: true,
        items: { data: [{ current_period_end: Date.parse('2026-07-01T00:00:00Z') / 1000 }] },
      },
      stored,
    );
    expect(subscriptionDrift(stored, remote)).toEqual([
      { field: 'status', stored: 'canceled', stripe: 'active' },
      { field: 'currentPeriodEnd', stored: '2026-06-01T00:00:00.400Z', stripe: '2026-07-01T00:00:00.000Z' },
      { field: 'cancelAtPeriodEnd', stored: false, stripe: true },
    ]);
  });

  it('reads the period end from the subscription itself on older API versions, and keeps ours when Stripe gives none', () => {
    expect(remoteState({ status: 'active', current_period_end: 1_800_000_000 }, stored).currentPeriodEnd).toEqual(
      new Date(1_800_000_000_000),
    );
    expect(remoteState({ status: 'active' }, stored).currentPeriodEnd).toBe(stored.currentPeriodEnd);
  });

  it('counts a subscription Stripe no longer knows as canceled', () => {
    const active = { ...stored, status: 'active' };
    expect(subscriptionDrift(active, remoteState(null, active))).toEqual([
      { field: 'status', stored: 'active', stripe: 'canceled' },
    ]);
  });
});
