/**
 * Fantrax syncs and what they stored: the user's leagues as the last sync saw them, one row per sync, and every
 * team's roster per league per sync (so a roster can be compared with an earlier one). Readers use the newest
 * succeeded sync.
 */
import type { Queryable } from '../lib/db.ts';

export interface StoredLeague {
  leagueId: string;
  leagueName: string;
  teamId: string;
  teamName: string;
  status: 'synced' | 'inaccessible';
  updatedAt: Date;
}

export interface RosterEntry {
  teamId: string;
  fantraxId: string;
  rosterStatus: string;
  position: string | null;
}

export async function startSync(db: Queryable, userId: string, workflowId: string | null): Promise<number> {
  const { rows } = await db.query<{ sync_id: string }>(
    'INSERT INTO fantrax_syncs (user_id, workflow_id) VALUES ($1, $2) RETURNING sync_id',
    [userId, workflowId],
  );
  return Number(rows[0]!.sync_id);
}

export async function finishSync(
  db: Queryable,
  syncId: number,
  outcome: { status: 'succeeded' | 'failed'; error?: string | null },
): Promise<void> {
  await db.query(`UPDATE fantrax_syncs SET status = $2, error = $3, finished_at = now() WHERE sync_id = $1`, [
    syncId,
    outcome.status,
    outcome.error ?? null,
  ]);
}

export async function syncById(
  db: Queryable,
  syncId: number,
): Promise<{ syncId: number; userId: string; status: string; error: string | null } | null> {
  const { rows } = await db.query<{ sync_id: string; user_id: string; status: string; error: string | null }>(
    'SELECT sync_id, user_id, status, error FROM fantrax_syncs WHERE sync_id = $1',
    [syncId],
  );
  const r = rows[0];
  return r ? { syncId: Number(r.sync_id), userId: r.user_id, status: r.status, error: r.error } : null;
}

/**
 * The user's leagues now: those Fantrax lists replace the stored ones (a league he left disappears). Run it inside
 * the caller's transaction (the one holding the user's link: db/fantrax-links.ts lockLink).
 */
export async function replaceLeagues(
  db: Queryable,
  userId: string,
  leagues: readonly { leagueId: string; leagueName: string; teamId: string; teamName: string }[],
): Promise<void> {
  await db.query('DELETE FROM fantrax_leagues WHERE user_id = $1 AND NOT (league_id = ANY($2))', [
    userId,
    leagues.map((l) => l.leagueId),
  ]);
  for (const l of leagues) {
    await db.query(
      `INSERT INTO fantrax_leagues (user_id, league_id, league_name, team_id, team_name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, league_id) DO UPDATE SET league_name = EXCLUDED.league_name, team_id = EXCLUDED.team_id,
         team_name = EXCLUDED.team_name, updated_at = now()`,
      [userId, l.leagueId, l.leagueName, l.teamId, l.teamName],
    );
  }
}

export async function setLeagueStatus(
  db: Queryable,
  userId: string,
  leagueId: string,
  status: StoredLeague['status'],
): Promise<void> {
  await db.query('UPDATE fantrax_leagues SET status = $3, updated_at = now() WHERE user_id = $1 AND league_id = $2', [
    userId,
    leagueId,
    status,
  ]);
}

export async function leaguesOf(db: Queryable, userId: string): Promise<StoredLeague[]> {
  const { rows } = await db.query<{
    league_id: string;
    league_name: string;
    team_id: string;
    team_name: string;
    status: StoredLeague['status'];
    updated_at: Date;
  }>(
    'SELECT league_id, league_name, team_id, team_name, status, updated_at FROM fantrax_leagues WHERE user_id = $1 ORDER BY league_name, league_id',
    [userId],
  );
  return rows.map((r) => ({
    leagueId: r.league_id,
    leagueName: r.league_name,
    teamId: r.team_id,
    teamName: r.team_name,
    status: r.status,
    updatedAt: r.updated_at,
  }));
}

/**
 * Stores one league's rosters for a sync; a retried activity replaces its own rows. Run it inside the caller's
 * transaction (the one holding the user's link: db/fantrax-links.ts lockLink).
 */
export async function storeRosters(
  db: Queryable,
  syncId: number,
  leagueId: string,
  entries: readonly RosterEntry[],
): Promise<void> {
  await db.query('DELETE FROM fantrax_roster_entries WHERE sync_id = $1 AND league_id = $2', [syncId, leagueId]);
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO fantrax_roster_entries (sync_id, league_id, team_id, fantrax_id, roster_status, position)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [
      syncId,
      leagueId,
      entries.map((e) => e.teamId),
      entries.map((e) => e.fantraxId),
      entries.map((e) => e.rosterStatus),
      entries.map((e) => e.position),
    ],
  );
}

/** The newest succeeded sync of the user, or null. */
export async function latestSucceededSync(
  db: Queryable,
  userId: string,
): Promise<{ syncId: number; finishedAt: Date } | null> {
  const { rows } = await db.query<{ sync_id: string; finished_at: Date }>(
    `SELECT sync_id, finished_at FROM fantrax_syncs WHERE user_id = $1 AND status = 'succeeded' ORDER BY finished_at DESC, sync_id DESC LIMIT 1`,
    [userId],
  );
  return rows[0] ? { syncId: Number(rows[0].sync_id), finishedAt: rows[0].finished_at } : null;
}

/**
 * Roster rows of a sync in one league, or, when `syncId` is omitted, of the newest succeeded sync that stored this
 * league's rosters (a sync that found the league private stored none: the rosters seen before still stand).
 */
export async function rosterEntries(
  db: Queryable,
  userId: string,
  leagueId: string,
  syncId?: number,
): Promise<RosterEntry[]> {
  const { rows } = await db.query<{
    team_id: string;
    fantrax_id: string;
    roster_status: string;
    position: string | null;
  }>(
    `SELECT e.team_id, e.fantrax_id, e.roster_status, e.position FROM fantrax_roster_entries e
     WHERE e.league_id = $2 AND e.sync_id = COALESCE($3, (
       SELECT s.sync_id FROM fantrax_syncs s WHERE s.user_id = $1 AND s.status = 'succeeded'
         AND EXISTS (SELECT 1 FROM fantrax_roster_entries r WHERE r.sync_id = s.sync_id AND r.league_id = $2)
       ORDER BY s.finished_at DESC, s.sync_id DESC LIMIT 1))
       AND EXISTS (SELECT 1 FROM fantrax_syncs s WHERE s.sync_id = e.sync_id AND s.user_id = $1)
     ORDER BY e.team_id, e.roster_status, e.fantrax_id`,
    [userId, leagueId, syncId ?? null],
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    fantraxId: r.fantrax_id,
    rosterStatus: r.roster_status,
    position: r.position,
  }));
}
