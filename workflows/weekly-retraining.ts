/**
 * Weekly retraining in season: a new candidate model on the latest features, promoted only if it beats the
 * champion, a rollback check of the serving model on newly labelled data, then a fresh publish.
 */
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { publishRankings, type PublishRankingsResult } from './publish-rankings.ts';

export interface WeeklyRetrainingInput {
  fromSeason: number;
  /** As-of season of the rankings; default the current calendar year (workflow time). */
  season?: number;
  /** The run's date, `YYYY-MM-DD`, which decides the finished seasons (see publishRankings). @default workflow time */
  today?: string;
}

export function weeklyRetrainingScheduleId(): string {
  return 'weekly-retraining';
}

export async function weeklyRetraining(input: WeeklyRetrainingInput): Promise<PublishRankingsResult> {
  const season = input.season ?? new Date().getUTCFullYear();
  return executeChild(publishRankings, {
    workflowId: `${workflowInfo().workflowId}/publish`,
    args: [
      { fromSeason: input.fromSeason, toSeason: season, retrain: true, ...(input.today ? { today: input.today } : {}) },
    ],
  });
}
