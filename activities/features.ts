/**
 * The feature step: point-in-time features and labels for every finished as-of season, stored in PostgreSQL and
 * exported as an Arrow IPC file whose path is what later steps receive. "Finished" comes from the run's date and
 * the season calendar: a season in progress is neither labelled from nor scored.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../lib/config.ts';
import { writeFeatureMatrix } from '../training/arrow.ts';
import { buildDataset } from '../training/dataset.ts';
import { activityLog, type ActivityDeps } from './context.ts';
import { replaceFeatureSnapshot } from '../db/features.ts';
import { loadHistory, seasonCoverage } from '../db/history.ts';
import { withTransaction } from '../lib/db.ts';
import { finishedSeasons } from '../lib/season-calendar.ts';
import { MLB_LEAD_SEASONS } from '../lib/domain.ts';
import { historyGaps, incompleteHistoryMessage } from '../training/history-gaps.ts';
import { MLB_SOURCE } from './ingest.ts';

export interface BuildFeaturesInput {
  snapshotId: string;
  fromSeason: number;
  /** Last ingested season; as-of seasons stop at the last finished season before or at it. */
  toSeason: number;
  /** The run's date, `YYYY-MM-DD` (workflow time, so replay-safe): decides which seasons are finished. */
  today: string;
}

export interface BuildFeaturesResult {
  snapshotId: string;
  arrowPath: string;
  rows: number;
  labelledRows: number;
  /** Latest finished season of the data (by the calendar, at most `toSeason`): labels read nothing later. */
  lastCompleteSeason: number;
  /** As-of season to rank: the latest finished season with feature rows (in season and in March, last year's). */
  scoringSeason: number;
}

export function createFeatureActivities({ pool, config, log }: ActivityDeps) {
  return {
    async buildFeatures(input: BuildFeaturesInput): Promise<BuildFeaturesResult> {
      const alog = activityLog(log);
      let seasons: ReturnType<typeof finishedSeasons>;
      try {
        seasons = finishedSeasons(input, config.seasonCalendar);
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidFeatureInput');
      }
      const { asOfSeasons, lastComplete } = seasons;
      if (asOfSeasons.length === 0) {
        throw ApplicationFailure.nonRetryable(
          `no season of ${input.fromSeason}-${input.toSeason} is finished on ${input.today} (last finished: ${lastComplete})`,
          'NoFinishedSeason',
        );
      }
      // A season that failed to load (breached) or was never loaded is not "no play": labels would undercount MLB
      // time and the features would look back past it. Refuse before building anything.
      const firstSeason = input.fromSeason - MLB_LEAD_SEASONS;
      const range = { firstSeason, fromSeason: input.fromSeason, lastSeason: lastComplete };
      const gaps = historyGaps(
        await seasonCoverage(pool, { firstSeason, lastSeason: lastComplete, source: MLB_SOURCE }),
        range,
      );
      if (gaps.length > 0)
        throw ApplicationFailure.nonRetryable(incompleteHistoryMessage(gaps, range), INCOMPLETE_HISTORY);
      const history = await loadHistory(pool);
      const dataset = buildDataset({ ...history, asOfSeasons, lastCompleteSeason: lastComplete });
      // In season and before it (March) this is last year's: the rankings come from the last full season.
      let scoringSeason = asOfSeasons[0]!;
      for (const r of dataset.rows) scoringSeason = Math.max(scoringSeason, r.asOfSeason);
      const dir = dataPaths(config).features;
      await mkdir(dir, { recursive: true });
      // A file per attempt: an earlier attempt that timed out may still be writing its own, and must not tear this one.
      const { attempt } = Context.current().info;
      const arrowPath = path.join(dir, `${input.snapshotId}.a${attempt}.arrow`);
      await writeFeatureMatrix(arrowPath, dataset);

      const width = dataset.featureNames.length;
      await withTransaction(pool, (client) =>
        replaceFeatureSnapshot(client, {
          snapshotId: input.snapshotId,
          asOfSeasons,
          featureNames: dataset.featureNames,
          arrowPath,
          rows: dataset.rows.map((row, i) => ({
            playerId: row.playerId,
            asOfSeason: row.asOfSeason,
            group: row.group,
            label: row.label,
            features: Array.from(dataset.matrix.subarray(i * width, (i + 1) * width)),
          })),
        }),
      );
      const labelledRows = dataset.rows.filter((r) => r.label !== null).length;
      alog.info(
        {
          snapshotId: input.snapshotId,
          rows: dataset.rows.length,
          labelledRows,
          arrowPath,
          today: input.today,
          lastCompleteSeason: lastComplete,
          scoringSeason,
        },
        'features built',
      );
      return {
        snapshotId: input.snapshotId,
        arrowPath,
        rows: dataset.rows.length,
        labelledRows,
        lastCompleteSeason: lastComplete,
        scoringSeason,
      };
    },
  };
}

/** Failure type of a feature build refused because a season it reads is missing or did not load. */
export const INCOMPLETE_HISTORY = 'IncompleteHistory';
