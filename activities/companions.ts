/**
 * The models that travel with a champion: the time-to-debut (ETA) model and the bootstrap ensemble whose spread
 * feeds the confidence. Trained with it, saved beside it (`<version>.eta.ubj`, `<version>.ensemble.bin`).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { debutSeasons } from '../db/season-lines.ts';
import type { Pool } from '../lib/db.ts';
import type { Dataset } from '../training/dataset.ts';
import { Ensemble, trainEnsemble } from '../training/ensemble.ts';
import { EtaModel, etaTrainingRows, trainEtaModel } from '../training/eta.ts';
import { labelsOf, rowsOf, takeRows } from '../training/model.ts';
import { heartbeat } from './context.ts';

export function companionPaths(modelsDir: string, modelVersion: string) {
  return {
    eta: path.join(modelsDir, `${modelVersion}.eta.ubj`),
    ensemble: path.join(modelsDir, `${modelVersion}.ensemble.bin`),
  };
}

export async function trainCompanions(input: {
  pool: Pool;
  dataset: Dataset;
  trainSeasons: readonly number[];
  lastCompleteSeason: number;
  modelsDir: string;
  modelVersion: string;
  nthread: number;
}): Promise<void> {
  const { dataset, nthread } = input;
  const debuts = await debutSeasons(input.pool);
  const etaInput = {
    dataset,
    debutSeasonOf: (id: number) => debuts.get(id) ?? null,
    lastCompleteSeason: input.lastCompleteSeason,
  };
  const paths = companionPaths(input.modelsDir, input.modelVersion);
  mkdirSync(input.modelsDir, { recursive: true });
  // A short history has no cohort whose time to debut is fully known: then there is no ETA model, and ETAs are null.
  const { indexes } = etaTrainingRows(etaInput);
  if (new Set(indexes.map((i) => dataset.rows[i]!.asOfSeason)).size >= 2) {
    using eta = trainEtaModel({
      ...etaInput,
      nthread,
      onIteration: (i) => {
        if (i % 20 === 0) heartbeat({ stage: 'eta', iteration: i });
      },
    });
    eta.save(paths.eta);
  } else {
    rmSync(paths.eta, { force: true });
  }
  const rows = rowsOf(dataset, input.trainSeasons);
  heartbeat({ stage: 'ensemble' });
  using ensemble = trainEnsemble({
    matrix: takeRows(dataset, rows),
    labels: labelsOf(dataset, rows),
    ncol: dataset.featureNames.length,
    nthread,
  });
  ensemble.save(paths.ensemble);
}

export function loadCompanions(
  modelsDir: string,
  modelVersion: string,
): { eta: EtaModel | null; ensemble: Ensemble } & Disposable {
  const paths = companionPaths(modelsDir, modelVersion);
  const ensemble = Ensemble.load(paths.ensemble);
  try {
    const eta = existsSync(paths.eta) ? EtaModel.load(paths.eta) : null;
    return {
      eta,
      ensemble,
      [Symbol.dispose]: () => {
        eta?.free();
        ensemble.free();
      },
    };
  } catch (error) {
    ensemble.free();
    throw error;
  }
}
