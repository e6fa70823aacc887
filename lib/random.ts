/**
 * The one seeded pseudo-random generator of the project (mulberry32): the same seed gives the same sequence on
 * every machine, which the sample universe, bootstrap resamples and tests rely on.
 */

/** Uniform draws in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
