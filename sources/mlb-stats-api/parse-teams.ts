/**
 * parseTeams: a `/teams` body → organizations (MLB clubs) and affiliates (every team, MLB clubs included, each with
 * its organisation: parentOrgId for affiliates, itself for MLB clubs, null for unaffiliated teams). A body without a
 * `teams` list, and a team missing a required field or with a field of the wrong type, are reported through onReject.
 */
import type { Affiliate, Organization } from '../../lib/domain.ts';
import { shapeProblem, teamRecordSchema, teamsBodySchema } from './entity-schemas.ts';
import type { OnReject } from './parse-reject.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const posInt = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
};

export interface ParsedTeams {
  organizations: Organization[];
  affiliates: Affiliate[];
}

/**
 * @param options.season season to use for teams whose object lacks `season` (the request's season)
 */
export function parseTeams(body: unknown, options: { season?: number; onReject?: OnReject } = {}): ParsedTeams {
  const organizations: Organization[] = [];
  const affiliates: Affiliate[] = [];
  const bodyProblem = Array.isArray(body) ? null : shapeProblem('teams response', teamsBodySchema, body);
  if (bodyProblem !== null) {
    options.onReject?.({ reason: bodyProblem, raw: body });
    return { organizations, affiliates };
  }
  const list = isObj(body) && Array.isArray(body.teams) ? (body.teams as unknown[]) : Array.isArray(body) ? body : [];
  for (const t of list) {
    const id = isObj(t) ? posInt(t.id) : null;
    const sportId = isObj(t) && isObj(t.sport) ? posInt(t.sport.id) : null;
    const season = isObj(t) ? (posInt(t.season) ?? options.season ?? null) : null;
    const name = isObj(t) && typeof t.name === 'string' ? t.name : null;
    if (!isObj(t) || id === null || sportId === null || season === null || name === null) {
      const missing = !isObj(t)
        ? 'not an object'
        : id === null
          ? 'id'
          : sportId === null
            ? 'sport.id'
            : season === null
              ? 'season'
              : 'name';
      options.onReject?.({ reason: `team without ${missing}`, raw: t });
      continue;
    }
    const problem = shapeProblem(`team ${id}`, teamRecordSchema, t);
    if (problem !== null) {
      options.onReject?.({ reason: problem, raw: t });
      continue;
    }
    const mlb = sportId === 1;
    if (mlb)
      organizations.push({ orgId: id, name, abbreviation: typeof t.abbreviation === 'string' ? t.abbreviation : '' });
    const league =
      isObj(t.league) && typeof t.league.name === 'string' && t.league.name.trim() ? t.league.name.trim() : null;
    affiliates.push({ teamId: id, season, sportId, name, orgId: mlb ? id : posInt(t.parentOrgId), league });
  }
  return { organizations, affiliates };
}
