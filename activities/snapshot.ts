/**
 * Reads what the ranking snapshot of a prediction run is made of (db/) and assembles it (publishing/snapshot.ts).
 */
import { linesWithOrganization } from '../db/history.ts';
import { monitoringOfRun } from '../db/monitoring.ts';
import { predictionRunModel, runPredictions, runRanks } from '../db/prediction-runs.ts';
import { latestRankingOf, rankHistories } from '../db/rankings.ts';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { Snapshot } from '../lib/snapshot.ts';
import { assembleSnapshot } from '../publishing/snapshot.ts';
import { sourceFreshness } from './freshness.ts';

export async function buildSnapshot(
  pool: Pool,
  config: Config,
  input: { predictionRunId: string; rankingSnapshotId: string },
): Promise<Snapshot> {
  const run = await predictionRunModel(pool, input.predictionRunId);
  if (!run) throw new Error(`prediction run ${input.predictionRunId} does not exist`);
  const predictions = await runPredictions(pool, input.predictionRunId, run.snapshotId);
  const ids = predictions.map((p) => p.playerId);
  const [lines, history, earlier, freshness, monitoring] = await Promise.all([
    linesWithOrganization(pool, ids, run.asOfSeason),
    rankHistories(pool, ids, input.rankingSnapshotId),
    latestRankingOf(pool, ids, input.rankingSnapshotId, run.featureNames),
    sourceFreshness(pool, config),
    monitoringOfRun(pool, input.predictionRunId),
  ]);
  // SHAP only when that run's model used the same features: the movers' factors compare them feature by feature.
  const previous = earlier
    ? {
        snapshotId: earlier.snapshotId,
        ranks: await runRanks(pool, earlier.predictionRunId, ids, { withShap: earlier.sameFeatures }),
      }
    : null;
  return assembleSnapshot({
    rankingSnapshotId: input.rankingSnapshotId,
    generatedAt: new Date().toISOString(),
    run,
    predictions,
    lines,
    history,
    previous,
    monitoring,
    sources: freshness.map((f) => ({
      source: f.source,
      lastSuccess: f.lastSuccess?.toISOString() ?? null,
      stale: f.stale,
    })),
  });
}
