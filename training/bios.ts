/**
 * Point-in-time bios: position, bats/throws and birth date as they were known at an as-of date, from the versions
 * kept each time a bio was seen to change. A position change in 2026 must not rewrite a 2019 feature row.
 */
import type { PlayerBio } from '../lib/domain.ts';

/** One bio as first seen on a date; a new version exists only when one of these fields changed. */
export interface BioVersion {
  playerId: number;
  /** Date the bio was seen (fetch date of the response that carried it), `YYYY-MM-DD`. */
  seenOn: string;
  birthDate: string | null;
  primaryPosition: string | null;
  batSide: string | null;
  pitchHand: string | null;
}

/** Versions grouped by player, oldest first, for repeated `biosAsOf` calls. */
export type BioVersionIndex = ReadonlyMap<number, readonly BioVersion[]>;

export function indexBioVersions(versions: readonly BioVersion[]): BioVersionIndex {
  const byPlayer = new Map<number, BioVersion[]>();
  for (const v of versions) {
    let own = byPlayer.get(v.playerId);
    if (!own) byPlayer.set(v.playerId, (own = []));
    own.push(v);
  }
  for (const own of byPlayer.values()) own.sort((a, b) => (a.seenOn < b.seenOn ? -1 : a.seenOn > b.seenOn ? 1 : 0));
  return byPlayer;
}

/**
 * Each player's bio as known at the end of `asOfSeason` (the latest version seen on or before 31 December of it).
 * History backfilled today has no version that old: then the earliest version seen stands in, the closest to the
 * as-of date we have (a bio seen later may already carry a later position change). A player without versions
 * keeps his `players` row. Name and debut date are not versioned and come from `players`.
 */
export function biosAsOf(players: readonly PlayerBio[], versions: BioVersionIndex, asOfSeason: number): PlayerBio[] {
  const cutoff = `${asOfSeason}-12-31`;
  return players.map((p) => {
    const own = versions.get(p.playerId);
    if (!own || own.length === 0) return p;
    let known = own[0]!;
    for (const v of own) {
      if (v.seenOn > cutoff) break;
      known = v;
    }
    return {
      ...p,
      birthDate: known.birthDate,
      primaryPosition: known.primaryPosition,
      batSide: known.batSide,
      pitchHand: known.pitchHand,
    };
  });
}
