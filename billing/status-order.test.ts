import { describe, expect, it } from 'vitest';
import { isStaleEvent, lifecycleStage } from './status-order.ts';

const at = (s: number) => new Date(s * 1000);

describe('subscription status order', () => {
  it("follows Stripe's lifecycle: incomplete, then trialing, then the billed states, then the final ones", () => {
    expect(lifecycleStage('incomplete')).toBeLessThan(lifecycleStage('trialing'));
    expect(lifecycleStage('trialing')).toBeLessThan(lifecycleStage('active'));
    expect(lifecycleStage('active')).toBe(lifecycleStage('past_due'));
    expect(lifecycleStage('past_due')).toBeLessThan(lifecycleStage('canceled'));
    expect(lifecycleStage('incomplete_expired')).toBe(lifecycleStage('canceled'));
    expect(lifecycleStage('some_new_status')).toBe(lifecycleStage('active'));
  });

  it('goes by time first: an older event is stale, a newer one applies whatever its status', () => {
    expect(isStaleEvent({ status: 'incomplete', eventAt: at(10) }, { status: 'active', eventAt: at(9) })).toBe(true);
    expect(isStaleEvent({ status: 'canceled', eventAt: at(10) }, { status: 'incomplete', eventAt: at(11) })).toBe(
      false,
    );
    expect(isStaleEvent({ status: 'active', eventAt: null }, { status: 'incomplete', eventAt: at(1) })).toBe(false);
  });

  it('within one second, never lets an earlier stage undo a later one; the same stage applies in arrival order', () => {
    expect(isStaleEvent({ status: 'active', eventAt: at(10) }, { status: 'incomplete', eventAt: at(10) })).toBe(true);
    expect(isStaleEvent({ status: 'canceled', eventAt: at(10) }, { status: 'active', eventAt: at(10) })).toBe(true);
    expect(isStaleEvent({ status: 'incomplete', eventAt: at(10) }, { status: 'active', eventAt: at(10) })).toBe(false);
    expect(isStaleEvent({ status: 'active', eventAt: at(10) }, { status: 'past_due', eventAt: at(10) })).toBe(false);
    expect(isStaleEvent({ status: 'past_due', eventAt: at(10) }, { status: 'active', eventAt: at(10) })).toBe(false);
  });
});
