/**
 * Ranking snapshots and their publication: the published prospect cards the API serves, and the notification
 * PostgreSQL sends on PUBLISHED_CHANNEL when a snapshot goes live, which starts a new API cache version.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import type { Prospect } from '../lib/snapshot.ts';
import { searchName } from '../publishing/search-name.ts';
import { insertRows } from './bulk.ts';

/** `NOTIFY` channel of a publication; the payload is the ranking snapshot id. */
export const PUBLISHED_CHANNEL = 'afwd_published';

export interface PublishedSnapshot {
  snapshotId: string;
  predictionRunId: string;
  publishedAt: Date;
}

/**
 * The snapshot being served: the newest published one, or the newest published on or before `asOf` (end of that
 * day, UTC) to reproduce what was served then. Null when nothing was published (by then).
 */
export async function latestPublishedSnapshot(db: Queryable, asOf?: Date): Promise<PublishedSnapshot | null> {
  const { rows } = await db.query<{ snapshot_id: string; prediction_run_id: string; published_at: Date }>(
    `SELECT snapshot_id, prediction_run_id, published_at FROM ranking_snapshots
     WHERE published_at IS NOT NULL AND ($1::timestamptz IS NULL OR published_at <= $1)
     ORDER BY published_at DESC LIMIT 1`,
    [asOf ?? null],
  );
  const row = rows[0];
  return row
    ? { snapshotId: row.snapshot_id, predictionRunId: row.prediction_run_id, publishedAt: row.published_at }
    : null;
}

/** One earlier snapshot's rank and probability of a player. */
export interface RankPoint {
  /** The snapshot's generation time, ISO 8601 UTC with milliseconds. */
  date: string;
  rank: number;
  probability: number;
}

/**
 * Rank and probability of each of `playerIds` in every ranking snapshot but `exceptSnapshotId`, oldest first.
 * Read as three arrays a player (not an object per snapshot and player: a season of daily snapshots of every
 * prospect is over a million pairs).
 */
export async function rankHistories(
  db: Queryable,
  playerIds: readonly number[],
  exceptSnapshotId: string,
): Promise<Map<number, RankPoint[]>> {
  const { rows } = await db.query<{ player_id: number; dates: string[]; ranks: number[]; probabilities: number[] }>(
    `SELECT p.player_id,
            array_agg(to_char(rs.generated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ORDER BY rs.generated_at) AS dates,
            array_agg(p.rank ORDER BY rs.generated_at) AS ranks,
            array_agg(p.probability ORDER BY rs.generated_at) AS probabilities
     FROM ranking_snapshots rs JOIN predictions p USING (prediction_run_id)
     WHERE rs.snapshot_id <> $2 AND p.player_id = ANY($1) GROUP BY p.player_id`,
    [playerIds, exceptSnapshotId],
  );
  return new Map(
    rows.map((r) => [
      r.player_id,
      r.dates.map((date, i) => ({ date, rank: r.ranks[i]!, probability: r.probabilities[i]! })),
    ]),
  );
}

/** An earlier ranking snapshot to compare with: trends and movers are measured against it. */
export interface EarlierRanking {
  snapshotId: string;
  predictionRunId: string;
  /** Its model used the same features (`featureNames`), so SHAP contributions compare feature by feature. */
  sameFeatures: boolean;
}

/** The newest ranking snapshot other than `exceptSnapshotId` that ranked any of `playerIds`; null when none did. */
export async function latestRankingOf(
  db: Queryable,
  playerIds: readonly number[],
  exceptSnapshotId: string,
  featureNames: readonly string[],
): Promise<EarlierRanking | null> {
  const { rows } = await db.query<{ snapshot_id: string; prediction_run_id: string; same: boolean }>(
    `SELECT rs.snapshot_id, rs.prediction_run_id, (m.feature_names = $3::text[]) AS same
     FROM ranking_snapshots rs JOIN prediction_runs r USING (prediction_run_id) JOIN models m USING (model_version)
     WHERE rs.snapshot_id <> $2
       AND EXISTS (SELECT 1 FROM predictions p WHERE p.prediction_run_id = rs.prediction_run_id AND p.player_id = ANY($1))
     ORDER BY rs.generated_at DESC LIMIT 1`,
    [playerIds, exceptSnapshotId, featureNames],
  );
  const r = rows[0];
  return r ? { snapshotId: r.snapshot_id, predictionRunId: r.prediction_run_id, sameFeatures: r.same === true } : null;
}

/** The ranking snapshot generated last before `snapshotId`; null when it is the first. */
export async function snapshotBefore(
  db: Queryable,
  snapshotId: string,
): Promise<{ snapshotId: string; predictionRunId: string } | null> {
  const { rows } = await db.query<{ snapshot_id: string; prediction_run_id: string }>(
    `SELECT p.snapshot_id, p.prediction_run_id FROM ranking_snapshots p, ranking_snapshots c
     WHERE c.snapshot_id = $1 AND p.snapshot_id <> c.snapshot_id AND p.generated_at < c.generated_at
     ORDER BY p.generated_at DESC LIMIT 1`,
    [snapshotId],
  );
  const r = rows[0];
  return r ? { snapshotId: r.snapshot_id, predictionRunId: r.prediction_run_id } : null;
}

/**
 * Records a ranking snapshot written to `path` (not yet published). Writing it again (a retry) updates the path and
 * count and makes it the newest again.
 */
export async function upsertRankingSnapshot(
  db: Queryable,
  snapshot: { snapshotId: string; predictionRunId: string; path: string; prospectCount: number },
): Promise<void> {
  await db.query(
    `INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, path, prospect_count) VALUES ($1, $2, $3, $4)
     ON CONFLICT (snapshot_id) DO UPDATE SET path = EXCLUDED.path, prospect_count = EXCLUDED.prospect_count, generated_at = now()`,
    [snapshot.snapshotId, snapshot.predictionRunId, snapshot.path, snapshot.prospectCount],
  );
}

/**
 * Replaces the published prospect cards of a snapshot with one row per prospect (the card and the columns the API
 * filters, sorts and searches on), so a retry leaves exactly this snapshot's prospects. Run it in the transaction
 * of `upsertRankingSnapshot`. A snapshot already published is served, and the API caches it under its id: its cards
 * are left as they are (a rewrite would not change that id, so caches would keep the old answers).
 * @returns rows written (0 for a published snapshot).
 */
export async function replacePublishedProspects(
  client: PoolClient,
  snapshotId: string,
  prospects: readonly Prospect[],
): Promise<number> {
  const { rows } = await client.query<{ published: boolean }>(
    'SELECT published_at IS NOT NULL AS published FROM ranking_snapshots WHERE snapshot_id = $1 FOR UPDATE',
    [snapshotId],
  );
  if (rows[0]?.published) return 0;
  await client.query('DELETE FROM published_prospects WHERE ranking_snapshot_id = $1', [snapshotId]);
  return insertRows(
    client,
    'published_prospects',
    [
      'ranking_snapshot_id',
      'player_id',
      'rank',
      'name',
      'search_name',
      'position',
      'is_pitcher',
      'org_id',
      'org_abbreviation',
      'level',
      'age',
      'eta',
      'confidence',
      'probability',
      'dynasty_value',
      'card',
    ],
    prospects.map((p) => [
      snapshotId,
      p.playerId,
      p.rank,
      p.name,
      searchName(p.name),
      p.position,
      p.isPitcher,
      p.organization?.id ?? null,
      p.organization?.abbreviation ?? null,
      p.level,
      p.age,
      p.eta,
      p.confidence,
      p.probability,
      p.dynasty.value,
      p,
    ]),
  );
}

/**
 * Refreshes the planner's statistics of the published cards after a snapshot's cards landed. Each snapshot adds a
 * few thousand rows the API then filters and searches by snapshot id; until autovacuum's analyze catches up the
 * planner does not know them, and search scans every new row instead of using the trigram index (measured under the
 * load test: 2.5 ms of database CPU a search, 1.3 ms after ANALYZE). Run after the cards' transaction commits.
 */
export async function analyzePublishedProspects(db: Queryable): Promise<void> {
  await db.query('ANALYZE published_prospects');
}

/**
 * Marks a snapshot as the one served from `sitePath`, and queues a notification on PUBLISHED_CHANNEL with its id.
 * PostgreSQL delivers the notification only when the transaction commits, so listeners (the API's cache) never hear
 * of a publication that rolled back. Run it inside the site switch's transaction.
 */
export async function markPublished(client: PoolClient, snapshotId: string, sitePath: string): Promise<void> {
  await client.query('UPDATE ranking_snapshots SET site_path = $2, published_at = now() WHERE snapshot_id = $1', [
    snapshotId,
    sitePath,
  ]);
  await client.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, snapshotId]);
}
