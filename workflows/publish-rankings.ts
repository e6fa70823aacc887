/**
 * From loaded history to a published site: features, (re)training, inference for current prospects, the ranking
 * snapshot, rank-move notifications, and the atomically switched site. Shared by runPipeline and dailyUpdate.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const dbStep = { startToCloseTimeout: '20 minutes', retry: { maximumAttempts: 5 } } as const;
const trainingStep = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
} as const;
const siteStep = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
} as const;
// Reads two feature files and the stored predictions: seconds on real data, bounded well above that.
const monitoringStep = { startToCloseTimeout: '10 minutes', retry: { maximumAttempts: 3 } } as const;

const db = proxyActivities<Activities>(dbStep);
const training = proxyActivities<Activities>(trainingStep);
const site = proxyActivities<Activities>(siteStep);
const monitoring = proxyActivities<Activities>(monitoringStep);

export interface PublishRankingsInput {
  /** First as-of season of the feature snapshot (training cohorts start here). */
  fromSeason: number;
  /** Last ingested season. The rankings' as-of season is the last finished one up to it (see `today`). */
  toSeason: number;
  /**
   * The run's date, `YYYY-MM-DD`, which decides the seasons that are finished: labels read only those, and the
   * rankings score the latest of them, so in season (and in March) they come from last year's full season.
   * @default the workflow's clock (replay-safe)
   */
  today?: string;
  /** Train a new model; false scores with the serving champion (training only when there is none). @default true */
  retrain?: boolean;
}

export interface PublishRankingsResult {
  featureSnapshotId: string;
  modelVersion: string;
  predictionRunId: string;
  rankingSnapshotId: string;
  /** As-of season of the published rankings. */
  scoringSeason: number;
  prospects: number;
  rankMoves: number;
  siteDir: string;
}

export async function publishRankings(input: PublishRankingsInput): Promise<PublishRankingsResult> {
  // Ids derive from this run, so a retried activity overwrites its own output instead of adding a copy.
  const runKey = workflowInfo().runId;
  const stage = (name: string) => upsertSearchAttributes({ AfwdStage: [name] });
  stage('features');
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const features = await db.buildFeatures({
    snapshotId: `fs-${runKey}`,
    fromSeason: input.fromSeason,
    toSeason: input.toSeason,
    today,
  });
  if (input.retrain !== false) {
    stage('training');
    // The candidate is registered either way; it serves only if it beats the champion on the same holdout.
    const candidate = await training.trainModel({ snapshotId: features.snapshotId, modelVersion: `xgb-${runKey}` });
    await training.promoteModel({ modelVersion: candidate.modelVersion, snapshotId: features.snapshotId });
    await training.checkRollback({ snapshotId: features.snapshotId });
  }
  let model = await db.servingModel({ snapshotId: features.snapshotId });
  if (!model) {
    // Nothing serves on these features (first run, or the feature set changed): the new model must.
    stage('training');
    model = await training.trainModel({ snapshotId: features.snapshotId, modelVersion: `xgb-${runKey}-serving` });
    await training.promoteModel({ modelVersion: model.modelVersion, snapshotId: features.snapshotId, force: true });
  }
  stage('inference');
  const predictions = await training.predictProspects({
    snapshotId: features.snapshotId,
    modelVersion: model.modelVersion,
    predictionRunId: `pr-${runKey}`,
    asOfSeason: features.scoringSeason,
  });
  if (patched('model-monitoring')) {
    // Before publishing, so the snapshot's methodology shows today's drift and live calibration. Monitoring is
    // advisory: if it still fails after its retries the rankings publish anyway (the failure shows in Temporal and in
    // afwd_activity_failures_total). Histories from before the step replay without it (patched). A cancelled run
    // stays cancelled: the cancellation is rethrown, not taken for a monitoring failure.
    stage('monitoring');
    await monitoring
      .monitorModel({ day: today, predictionRunId: predictions.predictionRunId })
      .catch((error: unknown) => {
        if (isCancellation(error)) throw error;
        log.warn('model monitoring failed; publishing without it', failureFields(error));
      });
  }
  stage('publishing');
  const snapshot = await db.publishSnapshot({
    predictionRunId: predictions.predictionRunId,
    rankingSnapshotId: `rs-${runKey}`,
  });
  const moves = await db.recordRankMoves({ rankingSnapshotId: snapshot.rankingSnapshotId });
  const published = await site.publishSite({
    rankingSnapshotId: snapshot.rankingSnapshotId,
    snapshotPath: snapshot.snapshotPath,
  });
  // Once the site shows the new ranks: e-mail watchers whose prospects moved, and drain the outbox.
  await db.notifyRankMoves({ rankingSnapshotId: snapshot.rankingSnapshotId });
  // Fantrax advice reads the served snapshot: every linked user's recommendations follow the new one.
  await db.recomputeAllFantraxRecommendations({});
  stage('done');
  return {
    featureSnapshotId: features.snapshotId,
    modelVersion: model.modelVersion,
    predictionRunId: predictions.predictionRunId,
    scoringSeason: features.scoringSeason,
    rankingSnapshotId: snapshot.rankingSnapshotId,
    prospects: predictions.prospects,
    rankMoves: moves.notifications,
    siteDir: published.siteDir,
  };
}

/** What went wrong in a failed activity: ActivityFailure's own message is only "Activity task failed"; its cause says why. */
function failureFields(error: unknown): Record<string, string | undefined> {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return {
    error: error instanceof Error ? error.message : String(error),
    cause: cause?.message,
    causeType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name,
  };
}
