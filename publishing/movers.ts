/**
 * Risers and fallers since the previous snapshot, each with the factor whose SHAP contribution moved most his way.
 */
import type { Snapshot } from '../lib/snapshot.ts';

/** How many risers and how many fallers a snapshot lists. */
export const MOVERS = 15;

export type Mover = Snapshot['movers']['risers'][number];

export interface MoverInput {
  playerId: number;
  slug: string;
  name: string;
  rank: number;
  /** SHAP contributions now, in the model's feature order. */
  shap: readonly number[];
}

export interface EarlierRank {
  rank: number;
  /** SHAP contributions then; null when that model used other features (no factor can be named). */
  shap: readonly number[] | null;
}

/**
 * The prospects whose rank changed since `previous`, risers (most places gained first) and fallers (most places lost
 * first), at most `MOVERS` of each. A mover's factor is the feature whose contribution rose most (a riser) or fell
 * most (a faller); none when the earlier SHAP values are not comparable.
 */
export function findMovers(
  prospects: readonly MoverInput[],
  previous: ReadonlyMap<number, EarlierRank>,
  features: { names: readonly string[]; labelOf: (name: string) => string },
): { risers: Mover[]; fallers: Mover[] } {
  const moves = prospects.flatMap((pr): Mover[] => {
    const before = previous.get(pr.playerId);
    if (!before || before.rank === pr.rank) return [];
    let factor: Mover['factor'] = null;
    if (before.shap) {
      const now = pr.shap;
      const then = before.shap;
      const up = before.rank > pr.rank;
      let best = -1;
      now.forEach((v, i) => {
        const d = v - (then[i] ?? 0);
        if (best < 0 || (up ? d > now[best]! - then[best]! : d < now[best]! - then[best]!)) best = i;
      });
      if (best >= 0)
        factor = {
          feature: features.names[best]!,
          label: features.labelOf(features.names[best]!),
          delta: now[best]! - then[best]!,
        };
    }
    return [{ playerId: pr.playerId, slug: pr.slug, name: pr.name, previousRank: before.rank, rank: pr.rank, factor }];
  });
  const risers = moves
    .filter((m) => m.rank < m.previousRank)
    .sort((a, b) => b.previousRank - b.rank - (a.previousRank - a.rank))
    .slice(0, MOVERS);
  const fallers = moves
    .filter((m) => m.rank > m.previousRank)
    .sort((a, b) => b.rank - b.previousRank - (a.rank - a.previousRank))
    .slice(0, MOVERS);
  return { risers, fallers };
}
