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
import { insertRows } from '../db/bulk.ts';
import { withTransaction } from '../lib/db.ts';

export interface PredictInput {
  snapshotId: string;
  modelVersion: string;
  predictionRunId: string;
  asOfSeason: number;
}

/** 1-based ranks of `keys` within each group, by descending `score`. */
function ranksWithin(keys: readonly (string | null)[], score: ArrayLike<number>): (number | null)[] {
  const order = keys.map((_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const seen = new Map<string, number>();
  const ranks: (number | null)[] = keys.map(() => null);
  for (const i of order) {
    const key = keys[i];
    if (key === null || key === undefined) continue;
    const next = (seen.get(key) ?? 0) + 1;
    seen.set(key, next);
    ranks[i] = next;
  }
  return ranks;
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
        throw ApplicationFailure.nonRetryable(`model ${input.modelVersion} was trained on other features than snapshot ${input.snapshotId}`, 'FeatureMismatch');
      }
      using companions = loadCompanions(modelDir, input.modelVersion);
      const idx = dataset.rows.flatMap((r, i) => (r.asOfSeason === input.asOfSeason ? [i] : []));
      if (idx.length === 0) throw ApplicationFailure.nonRetryable(`snapshot ${input.snapshotId} has no prospects as of ${input.asOfSeason}`, 'NoProspects');
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
      const etas = companions.eta?.predictEta(matrix, idx.map(() => input.asOfSeason)) ?? idx.map(() => null);

      // Comparables: past prospects of earlier as-of seasons, with what became of them.
      const { rows: mlb } = await pool.query<{ player_id: number; pa: number; outs: number }>(
        `SELECT player_id, coalesce(sum(plate_appearances), 0)::int AS pa, coalesce(sum(outs), 0)::int AS outs
         FROM player_season_stats WHERE sport_id = 1 GROUP BY player_id`);
      const mlbTotals = new Map(mlb.map((r) => [r.player_id, { plateAppearances: r.pa, outs: r.outs }]));
      const comparablesIndex = new ComparableIndex({
        dataset, include: (row) => row.asOfSeason < input.asOfSeason,
        mlbToDate: (id) => mlbTotals.get(id) ?? { plateAppearances: 0, outs: 0 },
      });
      const found = comparablesIndex.find(matrix, idx.map((i) => ({ playerId: dataset.rows[i]!.playerId, group: dataset.rows[i]!.group, asOfSeason: input.asOfSeason })));
      const ids = [...new Set(found.flat().map((c) => c.playerId)), ...idx.map((i) => dataset.rows[i]!.playerId)];
      const { rows: people } = await pool.query<{ player_id: number; full_name: string; primary_position: string | null; org_id: number | null }>(
        `SELECT p.player_id, p.full_name, p.primary_position,
                (SELECT a.org_id FROM player_season_stats s JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
                 WHERE s.player_id = p.player_id AND s.season = $2 AND s.sport_id <> 1 ORDER BY s.sport_id LIMIT 1) AS org_id
         FROM players p WHERE p.player_id = ANY($1)`, [ids, input.asOfSeason]);
      const person = new Map(people.map((p) => [p.player_id, p]));
      // The features know only this season's levels; the evidence counts every minor-league level of his career.
      const { rows: levelRows } = await pool.query<{ player_id: number; levels: number }>(
        `SELECT player_id, count(DISTINCT sport_id)::int AS levels FROM player_season_stats
         WHERE player_id = ANY($1) AND season <= $2 AND sport_id <> 1 GROUP BY player_id`, [ids, input.asOfSeason]);
      const careerLevels = new Map(levelRows.map((r) => [r.player_id, r.levels]));
      heartbeat({ stage: 'comparables' });

      const order = idx.map((_, k) => k).sort((a, b) => probabilities[b]! - probabilities[a]!);
      const rank = new Map(order.map((k, position) => [k, position + 1]));
      const playerOf = (k: number) => dataset.rows[idx[k]!]!.playerId;
      const positionRanks = ranksWithin(idx.map((_, k) => (dataset.rows[idx[k]!]!.group === 'pitching' ? 'P' : positionGroup(person.get(playerOf(k))?.primary_position) ?? 'UT')), probabilities);
      const orgRanks = ranksWithin(idx.map((_, k) => { const org = person.get(playerOf(k))?.org_id; return org === null || org === undefined ? null : String(org); }), probabilities);

      const records = idx.map((rowIndex, k) => {
        const row = dataset.rows[rowIndex]!;
        const values = matrix.subarray(k * width, (k + 1) * width);
        const shap = Array.from(contributions.subarray(k * (width + 1), (k + 1) * (width + 1)));
        const bias = shap.pop()!;
        const probability = probabilities[k]!;
        const { confidence, evidence } = gradeConfidence(evidenceFromFeatures(values, spread[k]!, careerLevels.get(row.playerId)));
        const pitcher = row.group === 'pitching';
        const dynasty = dynastyValue({
          probability, position: person.get(row.playerId)?.primary_position ?? null, isPitcher: pitcher,
          gamesStartedShare: pitcher ? values[FEATURE_INDEX.pit_gs_share]! : null, eta: etas[k] ?? null, asOfSeason: input.asOfSeason,
        });
        const comparables = found[k]!.map((c) => ({ ...c, name: person.get(c.playerId)?.full_name ?? `#${c.playerId}` }));
        return [
          input.predictionRunId, row.playerId, input.modelVersion, input.asOfSeason, probability, confidence, bias, shap, rank.get(k)!,
          positionRanks[k], orgRanks[k], spread[k], etas[k] ?? null, dynasty, { ...evidence, spread: Number.isFinite(evidence.spread) ? evidence.spread : 0 },
          narrate({ values, contributions: shap, baseValue: bias, probability }), JSON.stringify(comparables), raw[k]!,
        ];
      });

      await withTransaction(pool, async (client) => {
        await client.query('DELETE FROM prediction_runs WHERE prediction_run_id = $1', [input.predictionRunId]);
        await client.query(
          'INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season) VALUES ($1, $2, $3, $4)',
          [input.predictionRunId, input.modelVersion, input.snapshotId, input.asOfSeason],
        );
        await insertRows(client, 'predictions',
          ['prediction_run_id', 'player_id', 'model_version', 'as_of_season', 'probability', 'confidence', 'base_value', 'shap', 'rank',
            'position_rank', 'organization_rank', 'spread', 'eta', 'dynasty', 'evidence', 'narrative', 'comparables', 'raw_probability'],
          records);
      });
      alog.info({ predictionRunId: input.predictionRunId, prospects: records.length }, 'prospects scored');
      return { predictionRunId: input.predictionRunId, prospects: records.length };
    },
  };
}
