/**
 * Proof that the pipeline checksums would see a real difference: in a scratch copy of a database, one season line's
 * value changed must change that table's checksum (and only that one), and a changed excluded column must not.
 */
import { checksumDifferences } from '../../db/checksums.ts';
import { contentChecksums, type ContentChecksum } from './pipeline-checksums.ts';
import { scratchDatabase } from './scratch-database.ts';

export interface Sensitivity {
  /** Tables that differed after one `hits` value of one season line was changed (want: player_season_stats only). */
  afterValueChange: string[];
  /** Tables that differed after every line's `loaded_at` moved a day (want: none; the column is excluded). */
  afterExcludedChange: string[];
  /** The line changed, as `season/player/sport/group`. */
  changed: string;
}

/** Copies database `name` (which must have no open connections) and alters the copy. */
export async function checksumSensitivity(
  adminUrl: string,
  name: string,
  original: readonly ContentChecksum[],
): Promise<Sensitivity> {
  const copy = await scratchDatabase(adminUrl, 'copy', { template: name, poolMax: 1 });
  const pool = copy.pool;
  try {
    const { rows } = await pool.query<{ season: number; player_id: number; sport_id: number; stat_group: string }>(
      'SELECT season, player_id, sport_id, stat_group FROM player_season_stats ORDER BY season, player_id, sport_id, stat_group LIMIT 1',
    );
    const line = rows[0];
    if (!line) throw new Error(`${name} has no season line to change`);
    await pool.query(
      'UPDATE player_season_stats SET hits = hits + 1 WHERE season = $1 AND player_id = $2 AND sport_id = $3 AND stat_group = $4',
      [line.season, line.player_id, line.sport_id, line.stat_group],
    );
    const afterValueChange = checksumDifferences(await contentChecksums(pool), original);
    await pool.query(
      'UPDATE player_season_stats SET hits = hits - 1 WHERE season = $1 AND player_id = $2 AND sport_id = $3 AND stat_group = $4',
      [line.season, line.player_id, line.sport_id, line.stat_group],
    );
    await pool.query("UPDATE player_season_stats SET loaded_at = loaded_at - interval '1 day'");
    const afterExcludedChange = checksumDifferences(await contentChecksums(pool), original);
    return {
      afterValueChange,
      afterExcludedChange,
      changed: `${line.season}/${line.player_id}/${line.sport_id}/${line.stat_group}`,
    };
  } finally {
    await copy.drop();
  }
}
