/**
 * The sample universe's clean history in the domain types `loadHistory` returns from the database, for tests and
 * benchmarks of the modelling steps that need no HTTP or database round trip.
 */
import type { DraftPick, PlayerBio, SeasonLine } from '../../lib/domain.ts';
import type { SampleUniverse } from './universe.ts';

export function universeHistory(universe: SampleUniverse): {
  players: PlayerBio[];
  lines: SeasonLine[];
  drafts: DraftPick[];
} {
  return {
    players: [...universe.people.values()].map((p) => ({
      playerId: p.id,
      fullName: p.fullName,
      birthDate: p.birthDate,
      primaryPosition: p.position,
      batSide: p.bats,
      pitchHand: p.throws,
      mlbDebutDate: p.mlbDebutDate,
    })),
    lines: [...universe.lines],
    // The draft endpoint lists every pick, signed or not, as the real API does.
    drafts: [...universe.drafts.values()].flat().map((d) => ({
      playerId: d.playerId,
      year: d.year,
      round: d.round,
      pickNumber: d.pickNumber,
      orgId: d.orgId,
      school: d.school,
    })),
  };
}
