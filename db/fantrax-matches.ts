/**
 * Matches of Fantrax players to our players, per user: the automatic match (fantrax/match.ts) with its confidence
 * and label, and the user's correction, which wins and survives later syncs. Also the candidates the matcher runs
 * over: our players with the organization the served snapshot gives them and their age.
 */
import type { Queryable } from '../lib/db.ts';
import type { LocalWorldPlayer } from '../fantrax/local-world.ts';
import type { MatchCandidate, MatchLabel } from '../fantrax/match.ts';

export interface StoredMatch {
  fantraxId: string;
  fantraxName: string;
  fantraxTeam: string | null;
  fantraxPosition: string | null;
  /** The automatic match. */
  matchedPlayerId: number | null;
  confidence: number;
  label: MatchLabel;
  corrected: boolean;
  /** What counts: the correction when there is one, else the automatic match. */
  playerId: number | null;
  /** Our name of `playerId`. */
  playerName: string | null;
}

export interface NewMatch {
  fantraxId: string;
  fantraxName: string;
  fantraxTeam: string | null;
  fantraxPosition: string | null;
  playerId: number | null;
  confidence: number;
  label: MatchLabel;
}

/** Our players as match candidates; the organization comes from the served snapshot (null for everyone else). */
export async function matchCandidates(db: Queryable): Promise<MatchCandidate[]> {
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    primary_position: string | null;
    org: string | null;
    age: number | null;
  }>(
    `WITH served AS (SELECT snapshot_id FROM ranking_snapshots WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1)
     SELECT p.player_id, p.full_name, p.primary_position, pp.org_abbreviation AS org,
            date_part('year', age(p.birth_date))::int AS age
     FROM players p
     LEFT JOIN published_prospects pp ON pp.player_id = p.player_id AND pp.ranking_snapshot_id = (SELECT snapshot_id FROM served)`,
  );
  return rows.map((r) => ({
    playerId: r.player_id,
    name: r.full_name,
    organization: r.org,
    position: r.primary_position,
    age: r.age,
  }));
}

/** Stores automatic matches; a user's correction is kept as it is. */
export async function upsertMatches(db: Queryable, userId: string, matches: readonly NewMatch[]): Promise<void> {
  if (matches.length === 0) return;
  await db.query(
    `INSERT INTO fantrax_matches (user_id, fantrax_id, fantrax_name, fantrax_team, fantrax_position, player_id, confidence, label)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::real[], $8::text[])
     ON CONFLICT (user_id, fantrax_id) DO UPDATE SET fantrax_name = EXCLUDED.fantrax_name, fantrax_team = EXCLUDED.fantrax_team,
       fantrax_position = EXCLUDED.fantrax_position, player_id = EXCLUDED.player_id, confidence = EXCLUDED.confidence,
       label = EXCLUDED.label, updated_at = now()`,
    [
      userId,
      matches.map((m) => m.fantraxId),
      matches.map((m) => m.fantraxName),
      matches.map((m) => m.fantraxTeam),
      matches.map((m) => m.fantraxPosition),
      matches.map((m) => m.playerId),
      matches.map((m) => m.confidence),
      matches.map((m) => m.label),
    ],
  );
}

const SELECT_MATCHES = `
  SELECT m.fantrax_id, m.fantrax_name, m.fantrax_team, m.fantrax_position, m.player_id AS matched_player_id, m.confidence,
         m.label, m.corrected, CASE WHEN m.corrected THEN m.corrected_player_id ELSE m.player_id END AS effective_id, p.full_name
  FROM fantrax_matches m
  LEFT JOIN players p ON p.player_id = CASE WHEN m.corrected THEN m.corrected_player_id ELSE m.player_id END`;

interface MatchRow {
  fantrax_id: string;
  fantrax_name: string;
  fantrax_team: string | null;
  fantrax_position: string | null;
  matched_player_id: number | null;
  confidence: number;
  label: MatchLabel;
  corrected: boolean;
  effective_id: number | null;
  full_name: string | null;
}
const toMatch = (r: MatchRow): StoredMatch => ({
  fantraxId: r.fantrax_id,
  fantraxName: r.fantrax_name,
  fantraxTeam: r.fantrax_team,
  fantraxPosition: r.fantrax_position,
  matchedPlayerId: r.matched_player_id,
  confidence: r.confidence,
  label: r.label,
  corrected: r.corrected,
  playerId: r.effective_id,
  playerName: r.full_name,
});

/**
 * The user's matches, optionally only those of one label (e.g. the uncertain ones to review) or of some Fantrax ids.
 * A corrected match is no longer uncertain: it shows only under `corrected`.
 */
export async function matchesOf(
  db: Queryable,
  userId: string,
  filter: { label?: MatchLabel | 'corrected'; fantraxIds?: readonly string[] } = {},
): Promise<StoredMatch[]> {
  const { rows } = await db.query<MatchRow>(
    `${SELECT_MATCHES}
     WHERE m.user_id = $1
       AND ($2::text IS NULL OR ($2 = 'corrected' AND m.corrected) OR (m.label = $2 AND NOT m.corrected))
       AND ($3::text[] IS NULL OR m.fantrax_id = ANY($3))
     ORDER BY m.confidence, m.fantrax_name, m.fantrax_id`,
    [userId, filter.label ?? null, filter.fantraxIds ?? null],
  );
  return rows.map(toMatch);
}

/**
 * The user's correction: `playerId` is who the Fantrax player is, or null for "nobody you rank".
 * @returns 'unknown-fantrax' when the player is not on the user's leagues, 'unknown-player' for a player id we do not know.
 */
export async function correctMatch(
  db: Queryable,
  userId: string,
  fantraxId: string,
  playerId: number | null,
): Promise<'corrected' | 'unknown-fantrax' | 'unknown-player'> {
  const { rows } = await db.query<{ outcome: 'corrected' | 'unknown-fantrax' | 'unknown-player' }>(
    `WITH known AS (SELECT 1 FROM players WHERE player_id = $3),
          updated AS (
            UPDATE fantrax_matches SET corrected = true, corrected_player_id = $3, updated_at = now()
            WHERE user_id = $1 AND fantrax_id = $2 AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM known)) RETURNING 1)
     SELECT CASE WHEN EXISTS (SELECT 1 FROM updated) THEN 'corrected'
                 WHEN NOT EXISTS (SELECT 1 FROM fantrax_matches WHERE user_id = $1 AND fantrax_id = $2) THEN 'unknown-fantrax'
                 ELSE 'unknown-player' END AS outcome`,
    [userId, fantraxId, playerId],
  );
  return rows[0]!.outcome;
}

/**
 * Our players for the local Fantrax world (fantrax/local-world.ts): every prospect the served snapshot ranks, and up
 * to `mlbLimit` players who reached the majors.
 */
export async function fantraxWorldPlayers(db: Queryable, mlbLimit = 300): Promise<LocalWorldPlayer[]> {
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    org: string | null;
    position: string | null;
    rank: number | null;
    mlb: boolean;
  }>(
    `WITH served AS (SELECT snapshot_id FROM ranking_snapshots WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1),
          ranked AS (SELECT pp.player_id, pp.org_abbreviation, pp.rank FROM published_prospects pp WHERE pp.ranking_snapshot_id = (SELECT snapshot_id FROM served))
     SELECT p.player_id, p.full_name, r.org_abbreviation AS org, p.primary_position AS position, r.rank, p.mlb_debut_date IS NOT NULL AS mlb
     FROM players p JOIN ranked r USING (player_id)
     UNION ALL
     (SELECT p.player_id, p.full_name, NULL, p.primary_position, NULL, true FROM players p
      WHERE p.mlb_debut_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ranked r WHERE r.player_id = p.player_id)
      ORDER BY p.mlb_debut_date DESC, p.player_id LIMIT $1)`,
    [mlbLimit],
  );
  return rows.map((r) => ({
    playerId: r.player_id,
    name: r.full_name,
    organization: r.org,
    position: r.position,
    rank: r.rank,
    mlb: r.mlb,
  }));
}
