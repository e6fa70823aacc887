/**
 * The daily refresh in season: refetch the current season (the landing zone keeps every day's responses), load
 * what changed, then score and publish with the serving model; rank moves become notifications.
 */
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { passOnBreach } from './data-quality.ts';
import { ingestSeason, seasonChildId, type IngestSeasonResult } from './ingest-season.ts';
import { publishRankings, type PublishRankingsResult } from './publish-rankings.ts';

export interface DailyUpdateInput {
  /** First as-of season of the features (training cohorts). */
  fromSeason: number;
  /** Season to refresh; default the current calendar year (workflow time, so replay-safe). */
  season?: number;
  /** The run's date, `YYYY-MM-DD`, which decides the finished seasons (see publishRankings). @default workflow time */
  today?: string;
}

const { checkFreshness } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export interface DailyUpdateResult {
  season: number;
  stale: string[];
  ingest: IngestSeasonResult;
  published: PublishRankingsResult;
}

export function dailyUpdateScheduleId(): string {
  return 'daily-update';
}

export async function dailyUpdate(input: DailyUpdateInput): Promise<DailyUpdateResult> {
  const season = input.season ?? new Date().getUTCFullYear();
  const id = workflowInfo().workflowId;
  // A data-quality breach fails the update before publishing: the rankings keep yesterday's data.
  const ingest = await executeChild(ingestSeason, {
    workflowId: seasonChildId(id, season),
    args: [{ season, refresh: true }],
  }).catch(passOnBreach);
  const published = await executeChild(publishRankings, {
    workflowId: `${id}/publish`,
    args: [
      {
        fromSeason: input.fromSeason,
        toSeason: season,
        retrain: false,
        ...(input.today ? { today: input.today } : {}),
      },
    ],
  });
  // After the refresh: a source that is still old now is a real alert, not a stale reading before the run.
  const stale = (await checkFreshness()).filter((s) => s.stale).map((s) => s.source);
  return { season, stale, ingest, published };
}
