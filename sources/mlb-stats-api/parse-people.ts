/**
 * parsePeople: `/people`, `/people/{id}` or `/sports/{id}/players` bodies (or a bare array of people) → PlayerBio[].
 * A body without a `people` list, a person without a numeric id or a name, or with a field of the wrong type
 * (entity-schemas.ts), is reported through onReject; missing optional fields, and malformed dates, become null.
 */
import type { PlayerBio } from '../../lib/domain.ts';
import { peopleBodySchema, personRecordSchema, shapeProblem } from './entity-schemas.ts';
import type { OnReject } from './parse-reject.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const date = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
const code = (v: unknown, field: 'code' | 'abbreviation'): string | null => (isObj(v) ? str(v[field]) : null);

export function parsePeople(body: unknown, onReject?: OnReject): PlayerBio[] {
  const bodyProblem = Array.isArray(body) ? null : shapeProblem('people response', peopleBodySchema, body);
  if (bodyProblem !== null) {
    onReject?.({ reason: bodyProblem, raw: body });
    return [];
  }
  const list = Array.isArray(body) ? body : isObj(body) && Array.isArray(body.people) ? body.people : [];
  const out: PlayerBio[] = [];
  for (const p of list as unknown[]) {
    if (!isObj(p) || typeof p.id !== 'number' || !Number.isInteger(p.id) || p.id <= 0) {
      onReject?.({ reason: 'person without a positive integer id', raw: p });
      continue;
    }
    const problem = shapeProblem(`person ${p.id}`, personRecordSchema, p);
    if (problem !== null) {
      onReject?.({ reason: problem, raw: p });
      continue;
    }
    const first = str(p.firstName);
    const last = str(p.lastName);
    const fullName = str(p.fullName) ?? (first && last ? `${first} ${last}` : null);
    if (fullName === null) {
      onReject?.({ reason: `person ${p.id} has no fullName`, raw: p });
      continue;
    }
    out.push({
      playerId: p.id,
      fullName,
      birthDate: date(p.birthDate),
      primaryPosition: code(p.primaryPosition, 'abbreviation'),
      batSide: code(p.batSide, 'code'),
      pitchHand: code(p.pitchHand, 'code'),
      mlbDebutDate: date(p.mlbDebutDate),
    });
  }
  return out;
}
