/**
 * Training and the model registry: a calibrated XGBoost model trained on the cohorts whose outcomes are known, its
 * held-out scores beside two baselines, then promotion (only if it beats the champion on the same held-out rows) and
 * the rollback check of the serving model on newly labelled data. Every decision is recorded in `model_events`.
 *
 * Three disjoint sets of fully labelled as-of seasons: the trees learn from all but the newest two, the second newest
 * stops the boosting and fits the calibrator, and the newest is held out, so the registry's figures and the
 * promotion decision come from a season the model never saw. With fewer than three such seasons there is no
 * held-out season, and training refuses (NotEnoughData) rather than report a figure measured on seen data.
 */
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { dataPaths } from '../lib/config.ts';
import type { Dataset } from '../training/dataset.ts';
import { readFeatureMatrix } from '../training/arrow.ts';
import { reliabilityTable } from '../training/calibration.ts';
import { BASELINES, baselineInputs, fitBaseline, predictLogistic } from '../training/logistic.ts';
import { score, type Scores } from '../training/metrics.ts';
import {
  labelsOf,
  loadChampion,
  MIN_COMPLETE_SEASONS,
  predictChampion,
  rowsOf,
  saveChampion,
  splitSeasons,
  takeRows,
  trainChampion,
} from '../training/model.ts';
import { promotionDecision, rollbackDecision, type HoldoutScore } from '../training/registry.ts';
import { currentAttempt } from './attempt-fence.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { trainCompanions } from './companions.ts';
import { featureSnapshotPath as featureSnapshotArrowPath } from '../db/features.ts';
import {
  candidateAndChampion,
  championForFeatures,
  modelArtifactPath,
  promoteToChampion,
  recordModelEvent,
  registerModel,
  restorePreviousChampion,
  servingAndPrevious,
} from '../db/models.ts';
import { withTransaction } from '../lib/db.ts';

export interface TrainModelResult {
  modelVersion: string;
  trainRows: number;
  /** The season that stopped the boosting and fitted the calibrator. */
  validationSeason: number;
  /** The held-out season (newest fully labelled) and the model's ROC-AUC on it. */
  holdoutSeason: number;
  holdoutAuc: number;
}

/** The Arrow file of a feature snapshot; a snapshot that does not exist is a non-retryable MissingSnapshot. */
export async function featureSnapshotPath(deps: Pick<ActivityDeps, 'pool'>, snapshotId: string): Promise<string> {
  const arrowPath = await featureSnapshotArrowPath(deps.pool, snapshotId);
  if (arrowPath === null)
    throw ApplicationFailure.nonRetryable(`feature snapshot ${snapshotId} does not exist`, 'MissingSnapshot');
  return arrowPath;
}

/** The folder holding a registered model's booster, calibrator and companions (one per training attempt). */
export async function modelArtifactDir(deps: Pick<ActivityDeps, 'pool'>, modelVersion: string): Promise<string> {
  const artifactPath = await modelArtifactPath(deps.pool, modelVersion);
  if (artifactPath === null)
    throw ApplicationFailure.nonRetryable(`model ${modelVersion} is not registered`, 'UnknownModel');
  return artifactPath;
}

/** As-of seasons whose every label is known, oldest first: a partly known season over-represents early successes. */
export function completeSeasons(dataset: Dataset): number[] {
  const unknown = new Set(dataset.rows.filter((r) => r.label === null).map((r) => r.asOfSeason));
  return [...new Set(dataset.rows.map((r) => r.asOfSeason))].filter((s) => !unknown.has(s)).sort((a, b) => a - b);
}

const toHoldout = (s: Scores): HoldoutScore => ({ rocAuc: s.rocAuc, brier: s.brier, rows: s.rows });

export function createModelActivities(deps: ActivityDeps) {
  const { pool, config, log } = deps;
  const modelsDir = dataPaths(config).models;

  /** Calibrated probabilities of a registered model on the labelled rows of `season` in `dataset`. */
  async function scoreOn(modelVersion: string, dataset: Dataset, season: number): Promise<HoldoutScore | null> {
    using model = await loadChampion(await modelArtifactDir(deps, modelVersion), modelVersion, {
      nthread: config.xgboost.nthread,
    });
    if (model.featureNames.join() !== dataset.featureNames.join()) return null;
    const idx = rowsOf(dataset, [season]);
    return toHoldout(score(labelsOf(dataset, idx), predictChampion(model, takeRows(dataset, idx))));
  }

  return {
    async trainModel(input: { snapshotId: string; modelVersion: string }): Promise<TrainModelResult> {
      const alog = activityLog(log);
      const dataset = await readFeatureMatrix(await featureSnapshotPath(deps, input.snapshotId));
      const complete = completeSeasons(dataset);
      const split = splitSeasons(complete);
      if (!split) {
        throw ApplicationFailure.nonRetryable(
          `snapshot ${input.snapshotId} has ${complete.length} fully labelled as-of seasons (${complete.join(', ') || 'none'}); training needs at least ` +
            `${MIN_COMPLETE_SEASONS}: to train on, to early-stop and calibrate on, and one held out to measure it`,
          'NotEnoughData',
        );
      }
      const { trainSeasons, validationSeason, holdoutSeason } = split;
      // The served model learns from every player of the training seasons. A held-out player's earlier rows may be
      // among them, with labels that read some of the same major-league seasons as his held-out one, so the
      // registry's figure is a little optimistic; leaving those players out instead skews what remains (players who
      // had left the minors) and mis-calibrates the served model. `npm run backtest -- --player-disjoint` bounds it.
      using champion = await trainChampion({
        dataset,
        trainSeasons,
        validationSeason,
        nthread: config.xgboost.nthread,
        rounds: config.xgboost.rounds,
        onIteration: (iteration) => {
          if (iteration % 10 === 0) heartbeat({ iteration });
        },
      });
      // The baselines have nothing to stop or calibrate: they fit on the training and validation seasons, and are
      // scored on the same held-out rows.
      const trainIdx = rowsOf(dataset, [...trainSeasons, validationSeason]);
      const holdoutIdx = rowsOf(dataset, [holdoutSeason]);
      const holdoutLabels = labelsOf(dataset, holdoutIdx);
      const baselines = Object.fromEntries(
        Object.entries(BASELINES).map(([name, spec]) => {
          const model = fitBaseline(spec, dataset, trainIdx);
          return [name, score(holdoutLabels, predictLogistic(model, baselineInputs(spec, dataset, holdoutIdx)))];
        }),
      );
      const holdoutProbabilities = predictChampion(champion, takeRows(dataset, holdoutIdx));
      const holdout = score(holdoutLabels, holdoutProbabilities);
      heartbeat({ stage: 'companions' });
      // The data are final through the last as-of season: time to debut is known that far.
      let lastSeason = -Infinity;
      for (const r of dataset.rows) lastSeason = Math.max(lastSeason, r.asOfSeason);
      // A folder per attempt: a timed-out attempt that is still training cannot overwrite the files of the retry.
      // Each attempt registers its folder only once every file in it is written, so the row always names a whole model.
      const artifactDir = path.join(modelsDir, input.modelVersion, `a${currentAttempt().attempt}`);
      await trainCompanions({
        pool,
        dataset,
        trainSeasons,
        lastCompleteSeason: lastSeason,
        modelsDir: artifactDir,
        modelVersion: input.modelVersion,
        nthread: config.xgboost.nthread,
      });
      await saveChampion(artifactDir, input.modelVersion, champion);
      const metrics = {
        rocAuc: holdout.rocAuc,
        prAuc: holdout.prAuc,
        brier: holdout.brier,
        logLoss: holdout.logLoss,
        holdout,
        holdoutSeason,
        validationSeason,
        trainThrough: trainSeasons.at(-1),
        baselines,
        validation: champion.metrics.validation,
        reliability: reliabilityTable(holdoutProbabilities, holdoutLabels),
        bestIteration: champion.bestIteration,
        trainSeconds: champion.metrics.trainSeconds,
        trainRows: champion.metrics.trainRows,
      };
      await registerModel(pool, {
        modelVersion: input.modelVersion,
        params: champion.params,
        featureNames: dataset.featureNames,
        snapshotId: input.snapshotId,
        metrics,
        artifactPath: artifactDir,
        holdoutSeason,
        calibrator: champion.calibrator,
      });
      alog.info(
        {
          modelVersion: input.modelVersion,
          validationSeason,
          holdoutSeason,
          holdout,
          baselines,
          bestIteration: champion.bestIteration,
        },
        'model trained',
      );
      return {
        modelVersion: input.modelVersion,
        trainRows: champion.metrics.trainRows,
        validationSeason,
        holdoutSeason,
        holdoutAuc: holdout.rocAuc,
      };
    },

    /**
     * Promotes a candidate if it beats the champion on the candidate's held-out season (or with `force`, when none
     * serves). That season is unseen by both: the candidate holds it out, and a champion trained on no later data
     * than the candidate has it at most as its own held-out season.
     */
    async promoteModel(input: {
      modelVersion: string;
      snapshotId: string;
      force?: boolean;
    }): Promise<{ promoted: boolean; reason: string }> {
      const alog = activityLog(log);
      const { candidate, champion } = await candidateAndChampion(pool, input.modelVersion);
      if (!candidate)
        throw ApplicationFailure.nonRetryable(`model ${input.modelVersion} is not registered`, 'UnknownModel');
      const candidateHoldout = toHoldout((candidate.metrics as { holdout: Scores }).holdout);
      let decision = promotionDecision(candidateHoldout, null);
      if (champion && !input.force && champion.holdoutSeason > candidate.holdoutSeason) {
        decision = {
          promote: false,
          reason: `the champion was trained on later seasons (held out ${champion.holdoutSeason}) than the candidate's held-out ${candidate.holdoutSeason}`,
        };
      } else if (champion && !input.force) {
        const dataset = await readFeatureMatrix(await featureSnapshotPath(deps, input.snapshotId));
        const championScore = await scoreOn(champion.modelVersion, dataset, candidate.holdoutSeason);
        decision = championScore
          ? promotionDecision(candidateHoldout, championScore)
          : {
              promote: true,
              reason: 'the champion was trained on another feature set and cannot be scored on these rows',
            };
      }
      await withTransaction(pool, async (client) => {
        if (decision.promote) await promoteToChampion(client, input.modelVersion);
        await recordModelEvent(client, {
          modelVersion: input.modelVersion,
          event: decision.promote ? 'promoted' : 'kept-as-candidate',
          reason: decision.reason,
        });
      });
      alog.info(
        { modelVersion: input.modelVersion, ...decision },
        decision.promote ? 'model promoted' : 'model kept as candidate',
      );
      return { promoted: decision.promote, reason: decision.reason };
    },

    /**
     * Scores the serving champion and the champion before it on the newest fully labelled season neither was
     * validated on; rolls back when the serving one is worse on both AUC and Brier.
     */
    async checkRollback(input: { snapshotId: string }): Promise<{ rolledBack: boolean; reason: string }> {
      const alog = activityLog(log);
      const { serving, previous } = await servingAndPrevious(pool);
      if (!serving || !previous) return { rolledBack: false, reason: 'no previous champion to compare with' };
      const dataset = await readFeatureMatrix(await featureSnapshotPath(deps, input.snapshotId));
      const season = completeSeasons(dataset).at(-1);
      if (season === undefined || season <= Math.max(serving.holdoutSeason, previous.holdoutSeason)) {
        return { rolledBack: false, reason: 'no newly labelled season since the serving model was trained' };
      }
      const [now, before] = [
        await scoreOn(serving.modelVersion, dataset, season),
        await scoreOn(previous.modelVersion, dataset, season),
      ];
      if (!now || !before)
        return { rolledBack: false, reason: 'the models use another feature set than this snapshot' };
      const decision = rollbackDecision(now, before);
      if (!decision.promote) return { rolledBack: false, reason: decision.reason };
      // One transaction: the switch and its events land together or not at all, and only if the champion read above
      // is still the one serving (a promotion may have run meanwhile); the locks keep the two rows still until commit.
      const rolledBack = await withTransaction(pool, async (client) => {
        if (
          !(await restorePreviousChampion(client, {
            serving: serving.modelVersion,
            previous: previous.modelVersion,
            reason: decision.reason,
          }))
        )
          return false;
        await recordModelEvent(client, {
          modelVersion: serving.modelVersion,
          event: 'rolled-back',
          reason: decision.reason,
          details: { season, serving: now, previous: before },
        });
        await recordModelEvent(client, {
          modelVersion: previous.modelVersion,
          event: 'restored',
          reason: decision.reason,
          details: { season },
        });
        return true;
      });
      if (!rolledBack)
        return { rolledBack: false, reason: 'the serving model changed while the rollback was being decided' };
      alog.warn(
        { serving: serving.modelVersion, restored: previous.modelVersion, season, now, before },
        `model rolled back: ${decision.reason}`,
      );
      return { rolledBack: true, reason: decision.reason };
    },

    /** The champion, if it was trained on the same features as this snapshot; null means train one. */
    async servingModel(input: { snapshotId: string }): Promise<{ modelVersion: string } | null> {
      const modelVersion = await championForFeatures(pool, input.snapshotId);
      return modelVersion === null ? null : { modelVersion };
    },
  };
}
