/**
 * The whole pipeline for one range of seasons: ingest each season into the landing zone, validate and load it,
 * build point-in-time features, train a model, predict every current prospect, publish the snapshot and the site.
 * Every argument and result is a reference (ids, paths, counts), never rows.
 */
import { ApplicationFailure, proxyActivities, upsertSearchAttributes, workflowInfo, setHandler, defineQuery } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { assertPipelineInput, type PipelineInput } from './ids.ts';

// Fetching a season is many HTTP requests against a rate-limited source: allow time, heartbeat per page.
const fetchStep = { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumAttempts: 5 } } as const;
const dbStep = { startToCloseTimeout: '10 minutes', retry: { maximumAttempts: 5 } } as const;
const trainingStep = { startToCloseTimeout: '2 hours', heartbeatTimeout: '2 minutes', retry: { maximumAttempts: 3 } } as const;
const siteStep = { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumAttempts: 3 } } as const;

const ingest = proxyActivities<Activities>(fetchStep);
const db = proxyActivities<Activities>(dbStep);
const training = proxyActivities<Activities>(trainingStep);
const site = proxyActivities<Activities>(siteStep);

export interface PipelineProgress {
  stage: 'ingest' | 'features' | 'training' | 'inference' | 'publishing' | 'done';
  seasonsDone: number;
  seasonsTotal: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  requests: number;
}

export interface PipelineResult extends PipelineProgress {
  featureSnapshotId: string;
  modelVersion: string;
  predictionRunId: string;
  rankingSnapshotId: string;
  prospects: number;
  siteDir: string;
}

export const pipelineProgressQuery = defineQuery<PipelineProgress>('progress');

/** Seasons are ingested a few at a time: the source is rate-limited and the database has 2 cores. */
const SEASON_CONCURRENCY = 3;

export async function runPipeline(input: PipelineInput): Promise<PipelineResult> {
  try {
    assertPipelineInput(input);
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidPipelineInput');
  }
  const seasons: number[] = [];
  for (let s = input.fromSeason; s <= input.toSeason; s++) seasons.push(s);
  const progress: PipelineProgress = {
    stage: 'ingest', seasonsDone: 0, seasonsTotal: seasons.length, rowsLoaded: 0, rowsQuarantined: 0, requests: 0,
  };
  setHandler(pipelineProgressQuery, () => progress);
  const stage = (name: PipelineProgress['stage']) => {
    progress.stage = name;
    upsertSearchAttributes({ AfwdStage: [name] });
  };
  stage('ingest');

  const queue = [...seasons];
  const ingestWorker = async () => {
    for (let season = queue.shift(); season !== undefined; season = queue.shift()) {
      const fetched = await ingest.fetchSeason({ season });
      const loaded = await db.loadSeason({ batchId: fetched.batchId, season });
      progress.requests += fetched.requests;
      progress.rowsLoaded += loaded.rowsLoaded;
      progress.rowsQuarantined += loaded.rowsQuarantined;
      progress.seasonsDone += 1;
    }
  };
  await Promise.all(Array.from({ length: SEASON_CONCURRENCY }, ingestWorker));

  // Ids derive from this run, so a retried activity overwrites its own output instead of adding a copy.
  const runKey = workflowInfo().runId;
  stage('features');
  const features = await db.buildFeatures({ snapshotId: `fs-${runKey}`, fromSeason: input.fromSeason, toSeason: input.toSeason });
  stage('training');
  const model = await training.trainModel({ snapshotId: features.snapshotId, modelVersion: `xgb-${runKey}` });
  stage('inference');
  const predictions = await training.predictProspects({
    snapshotId: features.snapshotId,
    modelVersion: model.modelVersion,
    predictionRunId: `pr-${runKey}`,
    asOfSeason: input.toSeason,
  });
  stage('publishing');
  const snapshot = await db.publishSnapshot({ predictionRunId: predictions.predictionRunId, rankingSnapshotId: `rs-${runKey}` });
  const published = await site.publishSite({ rankingSnapshotId: snapshot.rankingSnapshotId, snapshotPath: snapshot.snapshotPath });
  stage('done');
  return {
    ...progress,
    featureSnapshotId: features.snapshotId,
    modelVersion: model.modelVersion,
    predictionRunId: predictions.predictionRunId,
    rankingSnapshotId: snapshot.rankingSnapshotId,
    prospects: predictions.prospects,
    siteDir: published.siteDir,
  };
}
