/**
 * The daily refresh in season: refetch the current season (the landing zone keeps every day's responses), load
 * what changed, then score and publish with the serving model; rank moves become notifications.
 */
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { ingestSeason, seasonChildId, type IngestSeasonResult } from './ingest-season.ts';
import { publishRankings, type PublishRankingsResult } from './publish-rankings.ts';

export interface DailyUpdateInput {
  /** First as-of season of the features (training cohorts). */
  fromSeason: number;
  /** Season to refresh; default the current calendar year (workflow time, so replay-safe). */
  season?: number;
}

export interface DailyUpdateResult {
  season: number;
  ingest: IngestSeasonResult;
  published: PublishRankingsResult;
}

export function dailyUpdateScheduleId(): string {
  return 'daily-update';
}

export async function dailyUpdate(input: DailyUpdateInput): Promise<DailyUpdateResult> {
  const season = input.season ?? new Date().getUTCFullYear();
  const id = workflowInfo().workflowId;
  const ingest = await executeChild(ingestSeason, { workflowId: seasonChildId(id, season), args: [{ season, refresh: true }] });
  const published = await executeChild(publishRankings, {
    workflowId: `${id}/publish`,
    args: [{ fromSeason: input.fromSeason, toSeason: season, retrain: false }],
  });
  return { season, ingest, published };
}
