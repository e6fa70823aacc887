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
import { loadHistory } from './history.ts';
import { insertRows } from '../db/bulk.ts';
import { withTransaction } from '../lib/db.ts';
import { finishedSeasons } from '../lib/season-calendar.ts';
import { MLB_LEAD_SEASONS, SEASONS_WITHOUT_MINOR_LEAGUES, SPORT_IDS } from '../lib/domain.ts';
import type { Pool } from '../lib/db.ts';
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
        throw ApplicationFailure.nonRetryable(`no season of ${input.fromSeason}-${input.toSeason} is finished on ${input.today} (last finished: ${lastComplete})`, 'NoFinishedSeason');
      }
      // A season that failed to load (breached) or was never loaded is not "no play": labels would undercount MLB
      // time and the features would look back past it. Refuse before building anything.
      const firstSeason = input.fromSeason - MLB_LEAD_SEASONS;
      const gaps = await historyGaps(pool, { firstSeason, fromSeason: input.fromSeason, lastSeason: lastComplete });
      if (gaps.length > 0) {
        throw ApplicationFailure.nonRetryable(incompleteHistoryMessage(gaps, { firstSeason, fromSeason: input.fromSeason, lastSeason: lastComplete }), INCOMPLETE_HISTORY);
      }
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
      alog.info({ snapshotId: input.snapshotId, rows: dataset.rows.length, labelledRows, arrowPath, today: input.today, lastCompleteSeason: lastComplete, scoringSeason }, 'features built');
      return { snapshotId: input.snapshotId, arrowPath, rows: dataset.rows.length, labelledRows, lastCompleteSeason: lastComplete, scoringSeason };
    },
  };
}

/** Failure type of a feature build refused because a season it reads is missing or did not load. */
export const INCOMPLETE_HISTORY = 'IncompleteHistory';

/** A season the features or labels read that the database does not hold whole. */
export interface HistoryGap {
  season: number;
  /** What is missing: `MLB hitting lines`, `minor-league pitching lines`, ... */
  missing: string[];
  /** The season's latest load tripped the data-quality circuit breaker (and nothing loaded after it). */
  breachedBatch: number | null;
}

/**
 * The seasons of [firstSeason, lastSeason] that features and labels read but the database does not hold: every season
 * needs MLB hitting and pitching lines (rookie eligibility and labels), every season from `fromSeason` on also
 * minor-league hitting and pitching lines unless no minor league played in it (`SEASONS_WITHOUT_MINOR_LEAGUES`), and
 * no season's latest Stats API load may be a breached batch (nothing of it loaded, so the lines are an older load's
 * at best). A load counts when it finished with season lines; a bio refresh (no lines) neither hides nor clears a breach.
 * The one exception: a lead season (before `fromSeason`) that was loaded and in which the source had no line at all,
 * before the source's history begins (the sample universe's lead seasons); a lead season never loaded is still missing.
 */
export async function historyGaps(pool: Pool, range: { firstSeason: number; fromSeason: number; lastSeason: number }): Promise<HistoryGap[]> {
  const { rows } = await pool.query<{
    season: number; mlb_hitting: boolean; mlb_pitching: boolean; minor_hitting: boolean; minor_pitching: boolean;
    breached_batch: string | null; answered_empty: boolean;
  }>(
    `SELECT s AS season,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id = $3 AND p.stat_group = 'hitting') AS mlb_hitting,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id = $3 AND p.stat_group = 'pitching') AS mlb_pitching,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id <> $3 AND p.stat_group = 'hitting') AS minor_hitting,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id <> $3 AND p.stat_group = 'pitching') AS minor_pitching,
       (SELECT CASE WHEN b.status = 'breached' THEN b.batch_id END FROM ingest_batches b
        WHERE b.source = $4 AND b.season = s AND (b.status = 'breached' OR (b.finished_at IS NOT NULL AND b.rows_fetched > 0))
        ORDER BY b.batch_id DESC LIMIT 1) AS breached_batch,
       EXISTS (SELECT 1 FROM ingest_batches b WHERE b.source = $4 AND b.season = s AND b.status = 'loaded' AND b.finished_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM ingest_batches b WHERE b.source = $4 AND b.season = s AND b.status = 'loaded'
                         AND b.finished_at IS NOT NULL AND b.rows_fetched > 0) AS answered_empty
     FROM generate_series($1::int, $2::int) AS s
     ORDER BY s`,
    [range.firstSeason, range.lastSeason, SPORT_IDS.MLB, MLB_SOURCE],
  );
  const gaps: HistoryGap[] = [];
  for (const r of rows) {
    const missing: string[] = [];
    // A lead season that loaded and in which the source holds no line at all is before the source's history (the
    // sample universe begins in its first season): nothing to know there. Any other season needs its MLB lines.
    const beforeTheSource = r.season < range.fromSeason && r.answered_empty && !r.mlb_hitting && !r.mlb_pitching;
    if (!r.mlb_hitting && !beforeTheSource) missing.push('MLB hitting lines');
    if (!r.mlb_pitching && !beforeTheSource) missing.push('MLB pitching lines');
    if (r.season >= range.fromSeason && !SEASONS_WITHOUT_MINOR_LEAGUES.has(r.season)) {
      if (!r.minor_hitting) missing.push('minor-league hitting lines');
      if (!r.minor_pitching) missing.push('minor-league pitching lines');
    }
    const breachedBatch = r.breached_batch === null ? null : Number(r.breached_batch);
    if (missing.length > 0 || breachedBatch !== null) gaps.push({ season: r.season, missing, breachedBatch });
  }
  return gaps;
}

/** What is wrong, season by season, and the backfill that loads it (lead seasons come with a backfill's first season). */
export function incompleteHistoryMessage(gaps: readonly HistoryGap[], range: { firstSeason: number; fromSeason: number; lastSeason: number }): string {
  const seasons = gaps.map((g) => g.season);
  const from = Math.max(range.fromSeason, Math.min(...seasons));
  const to = Math.max(from, ...seasons);
  const details = gaps.map((g) => {
    const parts = g.missing.length > 0 ? [`no ${g.missing.join(', no ')}`] : [];
    if (g.breachedBatch !== null) {
      parts.push(`its latest load (batch ${g.breachedBatch}) breached the data-quality limits and loaded nothing (inspect: npm run quarantine -- --batch ${g.breachedBatch})`);
    }
    return `${g.season}: ${parts.join('; ')}`;
  });
  return `incomplete history: the features and labels of as-of seasons ${range.fromSeason}-${range.lastSeason} read seasons ` +
    `${range.firstSeason}-${range.lastSeason} (${MLB_LEAD_SEASONS} MLB-only lead seasons first), and ${seasons.length === 1 ? 'season' : 'seasons'} ` +
    `${seasons.join(', ')} ${seasons.length === 1 ? 'is' : 'are'} not loaded whole: ${details.join('; ')}. A missing season is not a season ` +
    `without play (only ${[...SEASONS_WITHOUT_MINOR_LEAGUES].join(', ')} had no minor leagues). Load ${seasons.length === 1 ? 'it' : 'them'}, then run again: ` +
    `npm run backfill -- --from ${from} --to ${to} (with the same --source, if any)`;
}
