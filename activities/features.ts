/**
 * The feature step: point-in-time features and labels for every as-of season, stored in PostgreSQL and
 * exported as an Arrow IPC file whose path is what later steps receive.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../lib/config.ts';
import { writeFeatureMatrix } from '../training/arrow.ts';
import { buildDataset } from '../training/dataset.ts';
import { activityLog, type ActivityDeps } from './context.ts';
import { loadHistory } from './history.ts';
import { insertRows } from './sql.ts';
import { withTransaction } from '../lib/db.ts';

export interface BuildFeaturesInput {
  snapshotId: string;
  fromSeason: number;
  toSeason: number;
}

export interface BuildFeaturesResult {
  snapshotId: string;
  arrowPath: string;
  rows: number;
  labelledRows: number;
}

export function createFeatureActivities({ pool, config, log }: ActivityDeps) {
  return {
    async buildFeatures(input: BuildFeaturesInput): Promise<BuildFeaturesResult> {
      const alog = activityLog(log);
      const history = await loadHistory(pool);
      const asOfSeasons: number[] = [];
      for (let s = input.fromSeason; s <= input.toSeason; s++) asOfSeasons.push(s);
      // The last ingested season is complete (the pipeline runs on finished seasons or daily in season, where the
      // current season's outcomes are simply not yet known): labels never look past it.
      const dataset = buildDataset({ ...history, asOfSeasons, lastCompleteSeason: input.toSeason });
      const dir = dataPaths(config).features;
      await mkdir(dir, { recursive: true });
      const arrowPath = path.join(dir, `${input.snapshotId}.arrow`);
      await writeFeatureMatrix(arrowPath, dataset);

      const width = dataset.featureNames.length;
      await withTransaction(pool, async (client) => {
        // A retry replaces its own earlier attempt rather than adding to it.
        await client.query('DELETE FROM feature_snapshots WHERE snapshot_id = $1', [input.snapshotId]);
        await client.query(
          `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path)
           VALUES ($1, $2, $3, $4, $5)`,
          [input.snapshotId, asOfSeasons, dataset.featureNames, dataset.rows.length, arrowPath],
        );
        await insertRows(
          client,
          'player_features',
          ['snapshot_id', 'player_id', 'as_of_season', 'stat_group', 'label', 'features'],
          dataset.rows.map((row, i) => [
            input.snapshotId, row.playerId, row.asOfSeason, row.group, row.label,
            Array.from(dataset.matrix.subarray(i * width, (i + 1) * width)),
          ]),
        );
      });
      const labelledRows = dataset.rows.filter((r) => r.label !== null).length;
      alog.info({ snapshotId: input.snapshotId, rows: dataset.rows.length, labelledRows, arrowPath }, 'features built');
      return { snapshotId: input.snapshotId, arrowPath, rows: dataset.rows.length, labelledRows };
    },
  };
}
