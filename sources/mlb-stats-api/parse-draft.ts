/**
 * parseDraft: a `/draft/{year}` body (drafts.rounds[].picks[]) → DraftPick[]. A body that is not that shape (a year
 * with no rounds is `rounds: []`, which is fine), picks without a person (passes) or a pick number, and picks with a
 * field of the wrong type, are reported through onReject.
 */
import type { DraftPick } from '../../lib/domain.ts';
import { draftBodySchema, draftPickRecordSchema, shapeProblem } from './entity-schemas.ts';
import type { OnReject } from './parse-reject.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const posInt = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
};

export function parseDraft(body: unknown, onReject?: OnReject): DraftPick[] {
  const bodyProblem = shapeProblem('draft response', draftBodySchema, body);
  if (bodyProblem !== null) {
    onReject?.({ reason: bodyProblem, raw: body });
    return [];
  }
  const drafts = isObj(body) && isObj(body.drafts) ? body.drafts : null;
  const rounds = drafts && Array.isArray(drafts.rounds) ? (drafts.rounds as unknown[]) : [];
  const out: DraftPick[] = [];
  for (const round of rounds) {
    if (!isObj(round) || !Array.isArray(round.picks)) continue;
    for (const pick of round.picks as unknown[]) {
      if (!isObj(pick)) {
        onReject?.({ reason: 'pick is not an object', raw: pick });
        continue;
      }
      const playerId = isObj(pick.person) ? posInt(pick.person.id) : null;
      const year = posInt(pick.year) ?? posInt(drafts?.draftYear);
      const pickNumber = posInt(pick.pickNumber);
      const roundName =
        typeof pick.pickRound === 'string' ? pick.pickRound : typeof round.round === 'string' ? round.round : null;
      if (playerId === null || year === null || pickNumber === null || roundName === null) {
        const what =
          playerId === null
            ? pick.isPass === true
              ? 'a passed pick (no person)'
              : 'a pick without person.id'
            : year === null
              ? 'a pick without year'
              : pickNumber === null
                ? 'a pick without pickNumber'
                : 'a pick without round';
        onReject?.({ reason: what, raw: pick });
        continue;
      }
      const problem = shapeProblem(`draft pick ${pickNumber}`, draftPickRecordSchema, pick);
      if (problem !== null) {
        onReject?.({ reason: problem, raw: pick });
        continue;
      }
      const school = isObj(pick.school) && typeof pick.school.name === 'string' ? pick.school.name : null;
      out.push({
        playerId,
        year,
        round: roundName,
        pickNumber,
        orgId: isObj(pick.team) ? posInt(pick.team.id) : null,
        school,
      });
    }
  }
  return out;
}
