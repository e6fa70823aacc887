/**
 * Training and batch inference: an XGBoost model trained on cohorts whose outcomes are known, registered with its
 * metrics, then used to score every current prospect with exact SHAP contributions and a confidence.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../lib/config.ts';
import { FEATURE_INDEX } from '../training/feature-catalog.ts';
import { readFeatureMatrix } from '../training/arrow.ts';
import { confidenceOf } from '../training/confidence.ts';
import { score } from '../training/metrics.ts';
import { Booster, DMatrix } from '../training/xgboost.ts';
import { activityLog, heartbeat, type ActivityDeps } from './context.ts';
import { insertRows } from './sql.ts';

export interface TrainModelInput {
  snapshotId: string;
  modelVersion: string;
}

export interface TrainModelResult {
  modelVersion: string;
  trainRows: number;
  validationSeason: number;
  validationAuc: number;
  champion: boolean;
}

export interface PredictInput {
  snapshotId: string;
  modelVersion: string;
  predictionRunId: string;
  asOfSeason: number;
}

/** Selects the rows at `indexes` of a row-major matrix. */
function take(matrix: Float32Array, width: number, indexes: readonly number[]): Float32Array {
  const out = new Float32Array(indexes.length * width);
  indexes.forEach((row, i) => out.set(matrix.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

async function snapshotPath(deps: ActivityDeps, snapshotId: string): Promise<string> {
  const { rows } = await deps.pool.query<{ arrow_path: string }>('SELECT arrow_path FROM feature_snapshots WHERE snapshot_id = $1', [snapshotId]);
  if (!rows[0]) throw new Error(`feature snapshot ${snapshotId} does not exist`);
  return rows[0].arrow_path;
}

export function createModelActivities(deps: ActivityDeps) {
  const { pool, config, log } = deps;
  return {
    async trainModel(input: TrainModelInput): Promise<TrainModelResult> {
      const alog = activityLog(log);
      const data = await readFeatureMatrix(await snapshotPath(deps, input.snapshotId));
      const width = data.featureNames.length;
      // Only as-of seasons whose every outcome is known: a partly known season over-represents early successes.
      const unknownSeasons = new Set(data.rows.filter((r) => r.label === null).map((r) => r.asOfSeason));
      const complete = [...new Set(data.rows.map((r) => r.asOfSeason))].filter((s) => !unknownSeasons.has(s)).sort((a, b) => a - b);
      const validationSeason = complete.at(-1);
      if (validationSeason === undefined || complete.length < 2) {
        throw new Error(`snapshot ${input.snapshotId} has ${complete.length} fully labelled as-of seasons; training needs at least 2`);
      }
      const trainIdx: number[] = [];
      const validIdx: number[] = [];
      data.rows.forEach((r, i) => {
        if (r.asOfSeason === validationSeason) validIdx.push(i);
        else if (complete.includes(r.asOfSeason)) trainIdx.push(i);
      });
      const labels = (idx: number[]) => Float32Array.from(idx, (i) => data.rows[i]!.label ?? 0);
      using train = new DMatrix({ data: take(data.matrix, width, trainIdx), nrow: trainIdx.length, ncol: width, labels: labels(trainIdx) });
      using valid = new DMatrix({ data: take(data.matrix, width, validIdx), nrow: validIdx.length, ncol: width, labels: labels(validIdx) });
      const params = {
        objective: 'binary:logistic',
        eval_metric: ['auc', 'logloss'],
        tree_method: 'hist',
        max_depth: 4,
        eta: 0.05,
        subsample: 0.8,
        colsample_bytree: 0.8,
        min_child_weight: 2,
        nthread: config.xgboost.nthread,
        seed: 7,
      };
      const started = Date.now();
      using booster = await Booster.trainAsync({
        train,
        params,
        rounds: config.xgboost.rounds,
        evals: [{ name: 'valid', dmatrix: valid }],
        earlyStoppingRounds: 50,
        onIteration: (iteration) => {
          if (iteration % 10 === 0) heartbeat({ iteration });
        },
      });
      const probabilities = booster.predict(valid);
      const metrics = { ...score(labels(validIdx), probabilities), bestIteration: booster.bestIteration ?? -1, trainSeconds: (Date.now() - started) / 1000 };

      const dir = dataPaths(config).models;
      await mkdir(dir, { recursive: true });
      const artifactPath = path.join(dir, `${input.modelVersion}.ubj`);
      booster.saveModel(artifactPath);

      const client = await pool.connect();
      let champion = false;
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, metrics, artifact_path)
           VALUES ($1, 'xgboost', $2, $3, $4, $5, $6)
           ON CONFLICT (model_version) DO UPDATE SET params = EXCLUDED.params, metrics = EXCLUDED.metrics, artifact_path = EXCLUDED.artifact_path`,
          [input.modelVersion, { ...params, rounds: config.xgboost.rounds, validationSeason }, data.featureNames, input.snapshotId, metrics, artifactPath],
        );
        // Champion/challenger comparison on a shared holdout comes with the model registry work; until then the
        // newest model serves, and the previous champion is retired (kept, never deleted).
        await client.query(`UPDATE models SET status = 'retired' WHERE status = 'champion' AND model_version <> $1`, [input.modelVersion]);
        await client.query(`UPDATE models SET status = 'champion', promoted_at = now() WHERE model_version = $1`, [input.modelVersion]);
        champion = true;
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      alog.info({ modelVersion: input.modelVersion, trainRows: trainIdx.length, validationSeason, metrics }, 'model trained');
      return { modelVersion: input.modelVersion, trainRows: trainIdx.length, validationSeason, validationAuc: metrics.rocAuc, champion };
    },

    /** The champion, if it was trained on the same features as this snapshot; null means train one. */
    async servingModel(input: { snapshotId: string }): Promise<{ modelVersion: string } | null> {
      const { rows } = await pool.query<{ model_version: string }>(
        `SELECT m.model_version FROM models m, feature_snapshots f
         WHERE m.status = 'champion' AND f.snapshot_id = $1 AND m.feature_names = f.feature_names`,
        [input.snapshotId],
      );
      return rows[0] ? { modelVersion: rows[0].model_version } : null;
    },

    async predictProspects(input: PredictInput): Promise<{ predictionRunId: string; prospects: number }> {
      const alog = activityLog(log);
      const data = await readFeatureMatrix(await snapshotPath(deps, input.snapshotId));
      const { rows: models } = await pool.query<{ artifact_path: string; feature_names: string[] }>(
        'SELECT artifact_path, feature_names FROM models WHERE model_version = $1',
        [input.modelVersion],
      );
      const model = models[0];
      if (!model) throw new Error(`model ${input.modelVersion} is not in the registry`);
      if (model.feature_names.join() !== data.featureNames.join()) {
        throw new Error(`model ${input.modelVersion} was trained on other features than snapshot ${input.snapshotId}`);
      }
      const width = data.featureNames.length;
      const idx = data.rows.flatMap((r, i) => (r.asOfSeason === input.asOfSeason ? [i] : []));
      if (idx.length === 0) throw new Error(`snapshot ${input.snapshotId} has no prospects as of ${input.asOfSeason}`);
      const matrix = take(data.matrix, width, idx);
      using booster = Booster.loadModel(model.artifact_path);
      using dmatrix = new DMatrix({ data: matrix, nrow: idx.length, ncol: width });
      const probabilities = booster.predict(dmatrix);
      heartbeat({ predicted: idx.length });
      const contributions = booster.contributions(dmatrix);

      const order = idx.map((_, k) => k).sort((a, b) => probabilities[b]! - probabilities[a]!);
      const rankOf = new Map(order.map((k, position) => [k, position + 1]));
      const value = (k: number, feature: keyof typeof FEATURE_INDEX) => matrix[k * width + FEATURE_INDEX[feature]]!;
      const records = idx.map((rowIndex, k) => {
        const row = data.rows[rowIndex]!;
        const pitcher = row.group === 'pitching';
        const shap = Array.from(contributions.subarray(k * (width + 1), (k + 1) * (width + 1)));
        const bias = shap.pop()!;
        const confidence = confidenceOf({
          workload: value(k, pitcher ? 'pit_bf' : 'hit_pa'),
          seasonsPro: value(k, 'seasons_pro'),
          levelOrdinal: value(k, 'level_ordinal'),
        });
        return [input.predictionRunId, row.playerId, input.modelVersion, input.asOfSeason, probabilities[k]!, confidence, bias, shap, rankOf.get(k)!];
      });

      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM prediction_runs WHERE prediction_run_id = $1', [input.predictionRunId]);
        await client.query(
          'INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ($1, $2, $3, $4)',
          [input.predictionRunId, input.modelVersion, input.snapshotId, input.asOfSeason],
        );
        await insertRows(client, 'predictions',
          ['prediction_run_id', 'player_id', 'model_version', 'as_of_season', 'probability', 'confidence', 'base_value', 'shap', 'rank'],
          records);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      alog.info({ predictionRunId: input.predictionRunId, prospects: records.length }, 'prospects scored');
      return { predictionRunId: input.predictionRunId, prospects: records.length };
    },
  };
}
