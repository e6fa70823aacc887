/**
 * Batch inference for every current prospect: calibrated probability, exact SHAP contributions (pred_contribs) and
 * their narrative, confidence from evidence and ensemble spread, ETA, dynasty value, historical comparables, and
 * ranks overall, by position group and by organization. Stored with the model version that made them.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { readFeatureMatrix } from '../training/arrow.ts';
import { ComparableIndex } from '../training/comparables.ts';
import { evidenceFromFeatures, gradeConfidence } from '../training/confidence.ts';
import { dynastyValue } from '../training/dynasty.ts';
import { FEATURE_INDEX } from '../training/feature-catalog.ts';
import { positionGroup } from '../training/features.ts';
import { loadChampion, predictChampion, takeRows } from '../training/model.ts';
import { narrate } from '../training/narrative.ts';
import { DMatrix } from '../training/xgboost.ts';
import { loadCompanions } from './companions.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { featureSnapshotPath, modelArtifactDir } from './model.ts';
import { careerMinorLevels, mlbCareerTotals, prospectPeople } from '../db/history.ts';
import { replacePredictionRun, type PredictionRecord } from '../db/prediction-runs.ts';
import { withTransaction } from '../lib/db.ts';
import { overallRanks, ranksWithin } from '../training/ranks.ts';

export interface PredictInput {
  snapshotId: string;
  modelVersion: string;
  predictionRunId: string;
  asOfSeason: number;
}

export function createInferenceActivities(deps: ActivityDeps) {
  const { pool, config, log } = deps;
  return {
    async predictProspects(input: PredictInput): Promise<{ predictionRunId: string; prospects: number }> {
      const alog = activityLog(log);
      const dataset = await readFeatureMatrix(await featureSnapshotPath(deps, input.snapshotId));
      const width = dataset.featureNames.length;
      const modelDir = await modelArtifactDir(deps, input.modelVersion);
      using model = await loadChampion(modelDir, input.modelVersion, { nthread: config.xgboost.nthread });
      if (model.featureNames.join() !== dataset.featureNames.join()) {
        throw ApplicationFailure.nonRetryable(
          `model ${input.modelVersion} was trained on other features than snapshot ${input.snapshotId}`,
          'FeatureMismatch',
        );
      }
      using companions = loadCompanions(modelDir, input.modelVersion);
      const idx = dataset.rows.flatMap((r, i) => (r.asOfSeason === input.asOfSeason ? [i] : []));
      if (idx.length === 0)
        throw ApplicationFailure.nonRetryable(
          `snapshot ${input.snapshotId} has no prospects as of ${input.asOfSeason}`,
          'NoProspects',
        );
      const matrix = takeRows(dataset, idx);
      const probabilities = predictChampion(model, matrix);
      let contributions: Float32Array;
      let raw: Float32Array;
      {
        using dmatrix = new DMatrix({ data: matrix, nrow: idx.length, ncol: width });
        raw = model.booster.predict(dmatrix);
        contributions = model.booster.contributions(dmatrix);
      }
      heartbeat({ stage: 'shap', rows: idx.length });
      const spread = companions.ensemble.spread(matrix);
      const etas =
        companions.eta?.predictEta(
          matrix,
          idx.map(() => input.asOfSeason),
        ) ?? idx.map(() => null);

      // Comparables: past prospects of earlier as-of seasons, with what became of them.
      const mlbTotals = await mlbCareerTotals(pool);
      const comparablesIndex = new ComparableIndex({
        dataset,
        include: (row) => row.asOfSeason < input.asOfSeason,
        mlbToDate: (id) => mlbTotals.get(id) ?? { plateAppearances: 0, outs: 0 },
      });
      const found = comparablesIndex.find(
        matrix,
        idx.map((i) => ({
          playerId: dataset.rows[i]!.playerId,
          group: dataset.rows[i]!.group,
          asOfSeason: input.asOfSeason,
        })),
      );
      const ids = [...new Set(found.flat().map((c) => c.playerId)), ...idx.map((i) => dataset.rows[i]!.playerId)];
      const person = await prospectPeople(pool, ids, input.asOfSeason);
      // The features know only this season's levels; the evidence counts every minor-league level of his career.
      const careerLevels = await careerMinorLevels(pool, ids, input.asOfSeason);
      heartbeat({ stage: 'comparables' });

      const rank = overallRanks(probabilities);
      const playerOf = (k: number) => dataset.rows[idx[k]!]!.playerId;
      const positionRanks = ranksWithin(
        idx.map((_, k) =>
          dataset.rows[idx[k]!]!.group === 'pitching'
            ? 'P'
            : (positionGroup(person.get(playerOf(k))?.primaryPosition) ?? 'UT'),
        ),
        probabilities,
      );
      const orgRanks = ranksWithin(
        idx.map((_, k) => {
          const org = person.get(playerOf(k))?.orgId;
          return org === null || org === undefined ? null : String(org);
        }),
        probabilities,
      );

      const records = idx.map((rowIndex, k): PredictionRecord => {
        const row = dataset.rows[rowIndex]!;
        const values = matrix.subarray(k * width, (k + 1) * width);
        const shap = Array.from(contributions.subarray(k * (width + 1), (k + 1) * (width + 1)));
        const bias = shap.pop()!;
        const probability = probabilities[k]!;
        const { confidence, evidence } = gradeConfidence(
          evidenceFromFeatures(values, spread[k]!, careerLevels.get(row.playerId)),
        );
        const pitcher = row.group === 'pitching';
        const dynasty = dynastyValue({
          probability,
          position: person.get(row.playerId)?.primaryPosition ?? null,
          isPitcher: pitcher,
          gamesStartedShare: pitcher ? values[FEATURE_INDEX.pit_gs_share]! : null,
          eta: etas[k] ?? null,
          asOfSeason: input.asOfSeason,
        });
        const comparables = found[k]!.map((c) => ({
          ...c,
          name: person.get(c.playerId)?.fullName ?? `#${c.playerId}`,
        }));
        return {
          playerId: row.playerId,
          probability,
          rawProbability: raw[k]!,
          confidence,
          baseValue: bias,
          shap,
          rank: rank[k]!,
          positionRank: positionRanks[k] ?? null,
          organizationRank: orgRanks[k] ?? null,
          spread: spread[k] ?? null,
          eta: etas[k] ?? null,
          dynasty,
          evidence: { ...evidence, spread: Number.isFinite(evidence.spread) ? evidence.spread : 0 },
          narrative: narrate({ values, contributions: shap, baseValue: bias, probability }),
          comparables,
        };
      });

      await withTransaction(pool, (client) =>
        replacePredictionRun(
          client,
          {
            predictionRunId: input.predictionRunId,
            modelVersion: input.modelVersion,
            snapshotId: input.snapshotId,
            asOfSeason: input.asOfSeason,
          },
          records,
        ),
      );
      alog.info({ predictionRunId: input.predictionRunId, prospects: records.length }, 'prospects scored');
      return { predictionRunId: input.predictionRunId, prospects: records.length };
    },
  };
}
