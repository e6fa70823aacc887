/**
 * Feature snapshots (feature_snapshots, player_features): the point-in-time feature matrix of a run, stored beside
 * the Arrow file later steps read.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import { insertRows } from './bulk.ts';

export interface FeatureSnapshot {
  snapshotId: string;
  asOfSeasons: readonly number[];
  featureNames: readonly string[];
  arrowPath: string;
  rows: readonly FeatureRowRecord[];
}

export interface FeatureRowRecord {
  playerId: number;
  asOfSeason: number;
  group: 'hitting' | 'pitching';
  /** Null while the outcome window is not complete. */
  label: number | null;
  /** One value per feature name, NaN for a missing one. */
  features: readonly number[];
}

/**
 * Writes a feature snapshot and its rows, replacing any earlier write of the same id (a retry replaces its own
 * earlier attempt rather than adding to it). Run it inside a transaction so readers see the old rows or the new.
 */
export async function replaceFeatureSnapshot(client: PoolClient, snapshot: FeatureSnapshot): Promise<void> {
  await client.query('DELETE FROM feature_snapshots WHERE snapshot_id = $1', [snapshot.snapshotId]);
  await client.query(
    `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path)
     VALUES ($1, $2, $3, $4, $5)`,
    [snapshot.snapshotId, snapshot.asOfSeasons, snapshot.featureNames, snapshot.rows.length, snapshot.arrowPath],
  );
  await insertRows(
    client,
    'player_features',
    ['snapshot_id', 'player_id', 'as_of_season', 'stat_group', 'label', 'features'],
    snapshot.rows.map((row) => [snapshot.snapshotId, row.playerId, row.asOfSeason, row.group, row.label, row.features]),
  );
}

/** The Arrow file of a feature snapshot; null when no such snapshot exists. */
export async function featureSnapshotPath(db: Queryable, snapshotId: string): Promise<string | null> {
  const { rows } = await db.query<{ arrow_path: string }>(
    'SELECT arrow_path FROM feature_snapshots WHERE snapshot_id = $1',
    [snapshotId],
  );
  return rows[0]?.arrow_path ?? null;
}
