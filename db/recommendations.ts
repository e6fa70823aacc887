/**
 * What the Fantrax recommendations are computed from and where they are kept: the served snapshot's prospects (the
 * slice of each card the advice reads), what the publication before it said of them, the user's strategy, and the
 * stored recommendations per user and league, and their recomputation for one user.
 */
import type { Queryable } from '../lib/db.ts';
import {
  computeRecommendations,
  strategyOf,
  type AdviceProspect,
  type PreviousValue,
  type Recommendations,
} from '../fantrax/recommendations.ts';
import { matchesOf } from './fantrax-matches.ts';
import { leaguesOf, rosterEntries } from './fantrax-syncs.ts';
import { userById } from './users.ts';

export interface AdviceSnapshot {
  snapshotId: string;
  previousSnapshotId: string | null;
  prospects: AdviceProspect[];
  previous: Map<number, PreviousValue>;
}

/** The served snapshot's prospects and the previous publication's values; null before the first publication. */
export async function adviceSnapshot(db: Queryable): Promise<AdviceSnapshot | null> {
  const { rows: snaps } = await db.query<{ snapshot_id: string }>(
    'SELECT snapshot_id FROM ranking_snapshots WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 2',
  );
  const served = snaps[0]?.snapshot_id;
  if (!served) return null;
  const previousId = snaps[1]?.snapshot_id ?? null;
  const { rows } = await db.query<{
    player_id: number;
    name: string;
    rank: number;
    org_abbreviation: string | null;
    position: string;
    level: string;
    eta: number | null;
    probability: number;
    dynasty: AdviceProspect['dynasty'];
    trend: number | null;
    factors: { label: string; contribution: number }[] | null;
    narrative: string | null;
  }>(
    `SELECT player_id, name, rank, org_abbreviation, position, level, eta, probability, card->'dynasty' AS dynasty,
            (card->>'trend')::int AS trend,
            (SELECT jsonb_agg(jsonb_build_object('label', f->>'label', 'contribution', (f->>'contribution')::float8)) FROM
               (SELECT f FROM jsonb_array_elements(card->'factors') f LIMIT 6) s) AS factors,
            card->'narrative'->>0 AS narrative
     FROM published_prospects WHERE ranking_snapshot_id = $1 ORDER BY rank`,
    [served],
  );
  const previous = new Map<number, PreviousValue>();
  if (previousId) {
    const { rows: before } = await db.query<{
      player_id: number;
      rank: number;
      probability: number;
      dynasty: PreviousValue['dynasty'];
    }>(
      `SELECT player_id, rank, probability, card->'dynasty' AS dynasty FROM published_prospects WHERE ranking_snapshot_id = $1`,
      [previousId],
    );
    for (const r of before) previous.set(r.player_id, { rank: r.rank, probability: r.probability, dynasty: r.dynasty });
  }
  return {
    snapshotId: served,
    previousSnapshotId: previousId,
    previous,
    prospects: rows.map((r) => ({
      playerId: r.player_id,
      name: r.name,
      rank: r.rank,
      organization: r.org_abbreviation,
      position: r.position,
      level: r.level,
      eta: r.eta,
      probability: r.probability,
      dynasty: r.dynasty,
      trend: r.trend,
      factors: r.factors ?? [],
      narrative: r.narrative,
    })),
  };
}

export async function saveRecommendations(
  db: Queryable,
  userId: string,
  leagueId: string,
  body: Recommendations,
): Promise<void> {
  await db.query(
    `INSERT INTO fantrax_recommendations (user_id, league_id, snapshot_id, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, league_id) DO UPDATE SET snapshot_id = EXCLUDED.snapshot_id, body = EXCLUDED.body, computed_at = now()`,
    [userId, leagueId, body.snapshotId, JSON.stringify(body)],
  );
}

/** Drops recommendations of leagues the user no longer has. */
export async function pruneRecommendations(
  db: Queryable,
  userId: string,
  keepLeagueIds: readonly string[],
): Promise<void> {
  await db.query('DELETE FROM fantrax_recommendations WHERE user_id = $1 AND NOT (league_id = ANY($2))', [
    userId,
    keepLeagueIds,
  ]);
}

export async function recommendationsOf(
  db: Queryable,
  userId: string,
  leagueId: string,
): Promise<{ computedAt: Date; body: Recommendations } | null> {
  const { rows } = await db.query<{ computed_at: Date; body: Recommendations }>(
    'SELECT computed_at, body FROM fantrax_recommendations WHERE user_id = $1 AND league_id = $2',
    [userId, leagueId],
  );
  return rows[0] ? { computedAt: rows[0].computed_at, body: rows[0].body } : null;
}

/**
 * Recomputes and stores the recommendations of every league of one user from the served snapshot, his latest synced
 * rosters, his effective matches (corrections first) and his strategy. @returns leagues computed.
 */
export async function recomputeUserRecommendations(
  pool: Queryable,
  userId: string,
  snapshot: AdviceSnapshot,
  season: number,
): Promise<number> {
  const [user, leagues] = await Promise.all([userById(pool, userId), leaguesOf(pool, userId)]);
  if (!user) return 0;
  const strategy = strategyOf(user.preferences);
  const matches = new Map((await matchesOf(pool, userId)).map((m) => [m.fantraxId, m.playerId]));
  let computed = 0;
  const kept: string[] = [];
  for (const league of leagues) {
    const entries = await rosterEntries(pool, userId, league.leagueId);
    // No rosters stored for this league yet (private since it appeared, or its first sync failed): with an empty
    // roster every prospect would look like a free agent, so there is nothing to advise on.
    if (entries.length === 0) continue;
    kept.push(league.leagueId);
    const roster = entries.map((e) => ({
      fantraxId: e.fantraxId,
      teamId: e.teamId,
      rosterStatus: e.rosterStatus,
      playerId: matches.get(e.fantraxId) ?? null,
    }));
    const body = computeRecommendations({
      strategy,
      season,
      userTeamId: league.teamId,
      roster,
      snapshotId: snapshot.snapshotId,
      prospects: snapshot.prospects,
      previousSnapshotId: snapshot.previousSnapshotId,
      previous: snapshot.previous,
    });
    await saveRecommendations(pool, userId, league.leagueId, body);
    computed++;
  }
  await pruneRecommendations(pool, userId, kept);
  return computed;
}
