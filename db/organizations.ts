/**
 * MLB organizations (`organizations`) and their affiliated teams season by season (`affiliates`).
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import type { Affiliate, Organization } from '../lib/domain.ts';
import { insertRows, upsertClause } from './bulk.ts';

const ORG_COLUMNS = ['org_id', 'name', 'abbreviation'];
const AFFILIATE_COLUMNS = ['team_id', 'season', 'sport_id', 'name', 'org_id', 'league'];

/** Inserts or updates organizations by id; of several rows of one organization the last wins. */
export async function upsertOrganizations(client: PoolClient, organizations: readonly Organization[]): Promise<number> {
  const unique = [...new Map(organizations.map((o) => [o.orgId, o])).values()];
  return insertRows(
    client,
    'organizations',
    ORG_COLUMNS,
    unique.map((o) => [o.orgId, o.name, o.abbreviation]),
    upsertClause('organizations', ORG_COLUMNS.slice(0, 1), ORG_COLUMNS),
  );
}

/** Ids of every stored organization. */
export async function organizationIds(db: Queryable): Promise<Set<number>> {
  const { rows } = await db.query<{ org_id: number }>('SELECT org_id FROM organizations');
  return new Set(rows.map((r) => r.org_id));
}

/**
 * Inserts or updates affiliates by (team, season); of several rows of one team-season the last wins. An affiliate
 * whose organization is not stored is kept without it (`knownOrgIds`), rather than failing the foreign key.
 */
export async function upsertAffiliates(
  client: PoolClient,
  affiliates: readonly Affiliate[],
  knownOrgIds: ReadonlySet<number>,
): Promise<number> {
  const unique = [...new Map(affiliates.map((a) => [`${a.teamId}:${a.season}`, a])).values()];
  return insertRows(
    client,
    'affiliates',
    AFFILIATE_COLUMNS,
    unique.map((a) => [
      a.teamId,
      a.season,
      a.sportId,
      a.name,
      a.orgId !== null && knownOrgIds.has(a.orgId) ? a.orgId : null,
      a.league ?? null,
    ]),
    upsertClause('affiliates', ['team_id', 'season'], AFFILIATE_COLUMNS),
  );
}
