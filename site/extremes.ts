/**
 * Smallest and largest of a list without spreading it into arguments: `Math.max(...values)` throws a RangeError
 * once a list runs to the hundreds of thousands (every element becomes a call argument on the stack).
 */

/** The smallest value, or `start` when there is none smaller (Infinity for an empty list by default). */
export function minOf(values: Iterable<number>, start = Infinity): number {
  let lo = start;
  for (const v of values) if (v < lo) lo = v;
  return lo;
}

/** The largest value, or `start` when there is none larger (-Infinity for an empty list by default). */
export function maxOf(values: Iterable<number>, start = -Infinity): number {
  let hi = start;
  for (const v of values) if (v > hi) hi = v;
  return hi;
}
