/**
 * The sample universe's clean history in the domain types training reads, without going through HTTP and the
 * database: for benchmarks of the modelling steps alone.
 */
import type { DraftPick, PlayerBio, SeasonLine } from '../lib/domain.ts';
import type { SampleUniverse } from '../sources/sample/universe.ts';

export function universeHistory(universe: SampleUniverse): { players: PlayerBio[]; lines: SeasonLine[]; drafts: DraftPick[] } {
  return {
    players: [...universe.people.values()].map((p) => ({
      playerId: p.id, fullName: p.fullName, birthDate: p.birthDate, primaryPosition: p.position,
      batSide: p.bats, pitchHand: p.throws, mlbDebutDate: null,
    })),
    lines: [...universe.lines],
    drafts: [...universe.drafts.values()].flat().map((d) => ({
      playerId: d.playerId, year: d.year, round: d.round, pickNumber: d.pickNumber, orgId: d.orgId, school: d.school,
    })),
  };
}
