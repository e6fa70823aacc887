/**
 * Ranks of scored prospects: overall, and within groups (position group, organization). 1 = the highest score.
 */

/** 1-based ranks of all items by descending `score`; equal scores keep their input order. */
export function overallRanks(score: ArrayLike<number>): number[] {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const ranks = new Array<number>(score.length);
  order.forEach((i, position) => {
    ranks[i] = position + 1;
  });
  return ranks;
}

/** 1-based ranks of `keys` within each group, by descending `score`; an item with no group (null) has no rank. */
export function ranksWithin(keys: readonly (string | null)[], score: ArrayLike<number>): (number | null)[] {
  const order = keys.map((_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const seen = new Map<string, number>();
  const ranks: (number | null)[] = keys.map(() => null);
  for (const i of order) {
    const key = keys[i];
    if (key === null || key === undefined) continue;
    const next = (seen.get(key) ?? 0) + 1;
    seen.set(key, next);
    ranks[i] = next;
  }
  return ranks;
}
