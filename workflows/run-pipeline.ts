/**
 * The whole pipeline for one range of seasons: backfill them (a child per season), then features, training,
 * inference and publishing. Every argument and result is a reference (ids, paths, counts), never rows.
 */
import { ApplicationFailure, defineQuery, executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import { backfillHistory, type BackfillProgress } from './backfill-history.ts';
import { passOnBreach } from './data-quality.ts';
import { assertPipelineInput, type PipelineInput } from './ids.ts';
import { publishRankings, type PublishRankingsResult } from './publish-rankings.ts';

export interface PipelineResult extends PublishRankingsResult {
  backfill: BackfillProgress;
}

export const pipelineStageQuery = defineQuery<string>('stage');

export async function runPipeline(input: PipelineInput): Promise<PipelineResult> {
  try {
    assertPipelineInput(input);
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidPipelineInput');
  }
  let stage = 'ingest';
  setHandler(pipelineStageQuery, () => stage);
  const id = workflowInfo().workflowId;
  const backfill = await executeChild(backfillHistory, {
    workflowId: `${id}/backfill`,
    args: [{ fromSeason: input.fromSeason, toSeason: input.toSeason, ...(input.refresh ? { refresh: true } : {}) }],
  }).catch((error: unknown) => {
    // A data-quality breach stops the pipeline here: no features, training or publishing on a broken batch.
    stage = 'breached';
    return passOnBreach(error);
  });
  stage = 'publish';
  const published = await executeChild(publishRankings, {
    workflowId: `${id}/publish`,
    args: [{ fromSeason: input.fromSeason, toSeason: input.toSeason }],
  });
  stage = 'done';
  return { ...published, backfill };
}
