/**
 * Notification records (notifications): what changed that a subscriber hears about, one row per kind, player and
 * ranking snapshot, so a retried step records nothing twice.
 */
import type { Queryable } from '../lib/db.ts';

/**
 * Records a `rank_move` for each prospect of `snapshotId` whose rank moved significantly since prediction run
 * `previousRunId`: at least `places` places, or into or out of the top `top` (a newcomer counts when he enters it).
 * @returns notifications recorded now (ones already recorded are not counted).
 */
export async function recordRankMoves(
  db: Queryable,
  moves: { snapshotId: string; previousRunId: string; places: number; top: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO notifications (kind, player_id, ranking_snapshot_id, previous_rank, new_rank, details)
     SELECT 'rank_move', cur.player_id, $1, old.rank, cur.rank,
            jsonb_build_object('previousProbability', old.probability, 'probability', cur.probability)
     FROM ranking_snapshots c
     JOIN predictions cur ON cur.prediction_run_id = c.prediction_run_id
     LEFT JOIN predictions old ON old.prediction_run_id = $2 AND old.player_id = cur.player_id
     WHERE c.snapshot_id = $1
       AND (old.rank IS NULL AND cur.rank <= $4
            OR abs(cur.rank - old.rank) >= $3
            OR (old.rank <= $4) <> (cur.rank <= $4))
     ON CONFLICT (kind, player_id, ranking_snapshot_id) DO NOTHING`,
    [moves.snapshotId, moves.previousRunId, moves.places, moves.top],
  );
  return rowCount ?? 0;
}
