import { describe, expect, it } from 'vitest';
import { mergeGrace, type GraceEvent, type GraceState } from './grace-order.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const DAY = 86_400_000;
const failed = (s: number): GraceEvent => ({
  status: 'past_due',
  eventAt: at(s),
  graceUntil: new Date(at(s).getTime() + 7 * DAY),
});
const event = (status: string, s: number): GraceEvent => ({ status, eventAt: at(s), graceUntil: null });
const EMPTY: GraceState = { graceUntil: null, failures: [], clearedAt: null };

/** Applies events in the order given; the status is that of the newest event (stale ones change none). */
function replay(events: GraceEvent[]): GraceState {
  let state = EMPTY;
  let newest: GraceEvent | undefined;
  for (const e of events) {
    if (!newest || e.eventAt > newest.eventAt) newest = e;
    state = mergeGrace(state, e, newest.status);
  }
  return state;
}

/** Every order of `events`. */
function orders<T>(events: T[]): T[][] {
  if (events.length <= 1) return [events];
  return events.flatMap((e, i) => orders([...events.slice(0, i), ...events.slice(i + 1)]).map((rest) => [e, ...rest]));
}

describe('mergeGrace', () => {
  it('starts the grace at the first failure and keeps it through a later failure and a cancellation', () => {
    const state = replay([event('active', 0), failed(1), failed(2), event('canceled', 3)]);
    expect(state.graceUntil).toEqual(failed(1).graceUntil);
    expect(state.failures.map((f) => f.at)).toEqual([at(1), at(2)]);
  });

  it('ends the grace when a payment goes through', () => {
    expect(replay([event('active', 0), failed(1), event('active', 2)])).toEqual({
      graceUntil: null,
      failures: [],
      clearedAt: at(2),
    });
  });

  it('ends in the same grace whatever order the events of a subscription arrive in', () => {
    // Each life in Stripe's order, with the grace end that order gives.
    const lives: [GraceEvent[], Date | null][] = [
      [[event('active', 0), event('active', 1), failed(2), event('canceled', 3)], failed(2).graceUntil],
      [[event('active', 0), failed(1), event('active', 2), event('canceled', 3)], null],
      [[event('active', 0), failed(1), failed(2), event('canceled', 3)], failed(1).graceUntil],
      // Failures on both sides of a payment: the grace starts at the failure after it.
      [[failed(1), event('active', 2), failed(3)], failed(3).graceUntil],
      [[event('active', 0), failed(1), event('active', 2), failed(3)], failed(3).graceUntil],
      [[event('active', 0), failed(1), event('active', 2), failed(3), event('canceled', 4)], failed(3).graceUntil],
      [[event('active', 0), failed(1), failed(2), event('active', 3), failed(4), failed(5)], failed(4).graceUntil],
      [[event('active', 0), failed(1), event('active', 2), failed(3), event('active', 4)], null],
    ];
    for (const [life, graceUntil] of lives) {
      let checked = 0;
      for (const order of orders(life)) {
        expect(
          replay(order).graceUntil,
          order.map((e) => `${e.status}@${e.eventAt.getUTCSeconds()}`).join(' '),
        ).toEqual(graceUntil);
        checked++;
      }
      expect(checked).toBe([...life.keys()].reduce((n, i) => n * (i + 1), 1));
    }
  });

  it('starts no grace from a past_due state without a grace end, and keeps one failure per second', () => {
    expect(
      mergeGrace(EMPTY, { status: 'past_due', eventAt: at(1), graceUntil: null }, 'past_due').graceUntil,
    ).toBeNull();
    const twice = mergeGrace(
      mergeGrace(EMPTY, failed(1), 'past_due'),
      { ...failed(1), graceUntil: at(99) },
      'past_due',
    );
    expect(twice.failures).toEqual([{ at: at(1), graceUntil: failed(1).graceUntil }]);
  });

  it('lets a late failure start the grace a cancellation keeps, but not one older than a payment', () => {
    const cancelled = replay([event('active', 0), event('canceled', 3)]);
    expect(mergeGrace(cancelled, failed(2), 'canceled').graceUntil).toEqual(failed(2).graceUntil);
    const paid = replay([event('active', 0), event('active', 2), event('canceled', 3)]);
    expect(mergeGrace(paid, failed(1), 'canceled').graceUntil).toBeNull();
  });

  it('has no grace while the subscription is in a clearing status', () => {
    expect(mergeGrace(EMPTY, failed(5), 'active')).toEqual({ graceUntil: null, failures: [], clearedAt: null });
  });
});
