/**
 * Time to MLB debut, for the ETA (the season a prospect is expected to reach the majors): a discrete-time model,
 * XGBoost multi:softprob over "debuts 1, 2, 3 or 4 seasons after the as-of season, or 5+/never".
 *
 * The ETA rule: the first season whose cumulative debut probability, conditional on debuting within the 4-season
 * window, reaches one half (the median debut season given that he makes it in time). The window is the success
 * label's: 500 PA or 100 IP within 4 seasons cannot happen without a debut inside them, so this is the ETA of the
 * outcome the probability and the dynasty value are about. A player already in the majors (MLB at-bats or outs to
 * date) has arrived: his ETA is the as-of season. When the chance of debuting inside the window is under
 * ETA_RULE.minDebutProbability the model cannot place a season, and the ETA is null.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SUCCESS } from '../lib/domain.ts';
import type { Dataset } from './dataset.ts';
import { mulberry32, takeRows } from './ensemble.ts';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES } from './feature-catalog.ts';
import { Booster, DMatrix, type Params } from './xgboost.ts';

/** Classes 0..3 = debut 1..4 seasons after the as-of season; class 4 = later or never. */
export const ETA_HORIZON = SUCCESS.horizonSeasons;
export const ETA_CLASSES = ETA_HORIZON + 1;

export const ETA_RULE = {
  /** Cumulative conditional debut probability that fixes the ETA: the median. */
  threshold: 0.5,
  /** Below this chance of debuting within the window, the ETA is null rather than a guess. */
  minDebutProbability: 0.01,
} as const;

export const ETA_PARAMS = {
  objective: 'multi:softprob',
  num_class: ETA_CLASSES,
  eval_metric: 'mlogloss',
  tree_method: 'hist',
  max_depth: 4,
  eta: 0.1,
  min_child_weight: 5,
  subsample: 0.8,
  colsample_bytree: 0.8,
  max_bin: 64,
} as const;

export interface EtaTrainInput {
  dataset: Dataset;
  /** First MLB season of a player, null if none (e.g. `mlbDebutSeason` over all known lines). */
  debutSeasonOf: (playerId: number) => number | null;
  /** Latest season whose lines are final: rows train only once their whole window is within it. */
  lastCompleteSeason: number;
  /** @default 2 */
  nthread?: number;
  /** Maximum boosting rounds; early stopping on the latest trainable as-of season picks the number. @default 300 */
  rounds?: number;
  /**
   * Share of "later or never" training rows kept, each weighted by its inverse: they are ~87% of the rows and carry
   * little information each, so sampling them cuts the rows threefold (and training CPU time by ~40% at full sample
   * scale) while the weights keep the class probabilities unbiased.
   * @default 0.25
   */
  laterOrNeverRate?: number;
  /** Heartbeat hook, called after each round. */
  onIteration?: (iteration: number) => void;
  params?: Params;
}

/** Class of a row (0..4), or null when it cannot train: debuted already, or window not complete yet. */
export function etaClass(asOfSeason: number, debut: number | null, lastCompleteSeason: number): number | null {
  if (debut !== null && debut <= asOfSeason) return null;
  if (asOfSeason + ETA_HORIZON > lastCompleteSeason) return null;
  if (debut === null || debut > asOfSeason + ETA_HORIZON) return ETA_HORIZON;
  return debut - asOfSeason - 1;
}

/** Indexes of the dataset rows that can train, with their classes. */
export function etaTrainingRows(input: Pick<EtaTrainInput, 'dataset' | 'debutSeasonOf' | 'lastCompleteSeason'>): {
  indexes: number[];
  classes: number[];
} {
  const indexes: number[] = [];
  const classes: number[] = [];
  input.dataset.rows.forEach((row, i) => {
    const cls = etaClass(row.asOfSeason, input.debutSeasonOf(row.playerId), input.lastCompleteSeason);
    if (cls === null) return;
    indexes.push(i);
    classes.push(cls);
  });
  return { indexes, classes };
}

export function trainEtaModel(input: EtaTrainInput): EtaModel {
  const { dataset, nthread = 2, rounds = 300, laterOrNeverRate = 0.25 } = input;
  if (!(laterOrNeverRate > 0 && laterOrNeverRate <= 1))
    throw new RangeError(`laterOrNeverRate must be in (0, 1], got ${laterOrNeverRate}`);
  const ncol = dataset.featureNames.length;
  if (dataset.featureNames.join() !== FEATURE_NAMES.join())
    throw new Error('the ETA model needs the FEATURE_CATALOG columns');
  const { indexes, classes } = etaTrainingRows(input);
  const seasons = [...new Set(indexes.map((i) => dataset.rows[i]!.asOfSeason))].sort((a, b) => a - b);
  if (seasons.length < 2)
    throw new Error(`ETA model needs at least 2 as-of seasons with complete windows, found ${seasons.length}`);
  // The latest trainable cohort stops the boosting: it is the closest to the prospects being scored.
  const validSeason = seasons.at(-1)!;
  const train: number[] = [];
  const valid: number[] = [];
  const random = mulberry32(17);
  indexes.forEach((row, k) => {
    if (dataset.rows[row]!.asOfSeason === validSeason) valid.push(k);
    else if (classes[k] !== ETA_HORIZON || random() < laterOrNeverRate) train.push(k);
  });
  const matrixOf = (ks: number[], weighted: boolean) =>
    new DMatrix({
      data: takeRows(
        dataset.matrix,
        ncol,
        ks.map((k) => indexes[k]!),
      ),
      nrow: ks.length,
      ncol,
      labels: Float32Array.from(ks, (k) => classes[k]!),
      weights: weighted
        ? Float32Array.from(ks, (k) => (classes[k] === ETA_HORIZON ? 1 / laterOrNeverRate : 1))
        : undefined,
    });
  using dtrain = matrixOf(train, true);
  using dvalid = matrixOf(valid, false);
  const booster = Booster.train({
    train: dtrain,
    params: { ...ETA_PARAMS, nthread, seed: 11, ...input.params },
    rounds,
    evals: [{ name: 'valid', dmatrix: dvalid }],
    earlyStoppingRounds: 20,
    onIteration: input.onIteration,
  });
  return new EtaModel(booster, ncol);
}

/** ETA season from one row's class probabilities (ETA_CLASSES values); see the module header for the rule. */
export function etaFromDistribution(probabilities: ArrayLike<number>, asOfSeason: number): number | null {
  let withinWindow = 0;
  for (let k = 0; k < ETA_HORIZON; k++) withinWindow += probabilities[k]!;
  if (!(withinWindow >= ETA_RULE.minDebutProbability)) return null;
  let cumulative = 0;
  for (let k = 0; k < ETA_HORIZON; k++) {
    cumulative += probabilities[k]!;
    if (cumulative / withinWindow >= ETA_RULE.threshold) return asOfSeason + k + 1;
  }
  return asOfSeason + ETA_HORIZON;
}

/** Whether a feature row shows MLB playing time to date, i.e. he has debuted already. */
export function hasDebuted(matrix: Float32Array, row: number, ncol = FEATURE_COUNT): boolean {
  const ab = matrix[row * ncol + FEATURE_INDEX.mlb_ab_to_date]!;
  const outs = matrix[row * ncol + FEATURE_INDEX.mlb_outs_to_date]!;
  return ab > 0 || outs > 0;
}

/** Owns one native booster: free() it or bind it with `using`. */
export class EtaModel implements Disposable {
  readonly #booster: Booster;
  readonly ncol: number;

  constructor(booster: Booster, ncol = FEATURE_COUNT) {
    this.#booster = booster;
    this.ncol = ncol;
  }

  /** Row-major `nrow x ETA_CLASSES` class probabilities. */
  predictDistribution(matrix: Float32Array): Float32Array {
    const nrow = matrix.length / this.ncol;
    if (!Number.isInteger(nrow))
      throw new RangeError(`matrix length ${matrix.length} is not a multiple of ${this.ncol} columns`);
    if (nrow === 0) return new Float32Array(0);
    using dmatrix = new DMatrix({ data: matrix, nrow, ncol: this.ncol });
    return this.#booster.predict(dmatrix);
  }

  /** The ETA season of each row (`asOfSeasons[i]` is row i's as-of season); null where the model cannot say. */
  predictEta(matrix: Float32Array, asOfSeasons: ArrayLike<number>): (number | null)[] {
    const nrow = matrix.length / this.ncol;
    if (asOfSeasons.length !== nrow) throw new RangeError(`${asOfSeasons.length} as-of seasons for ${nrow} rows`);
    const distribution = this.predictDistribution(matrix);
    return Array.from({ length: nrow }, (_, row) => {
      const asOf = asOfSeasons[row]!;
      if (hasDebuted(matrix, row, this.ncol)) return asOf;
      return etaFromDistribution(distribution.subarray(row * ETA_CLASSES, (row + 1) * ETA_CLASSES), asOf);
    });
  }

  /** Rounds kept by early stopping. */
  get rounds(): number {
    return (this.#booster.bestIteration ?? this.#booster.boostedRounds() - 1) + 1;
  }

  toBuffer(): Buffer {
    return this.#booster.toBuffer('ubj');
  }

  static fromBuffer(buffer: Uint8Array): EtaModel {
    const booster = Booster.fromBuffer(buffer);
    return new EtaModel(booster, booster.numFeatures());
  }

  save(path: string): void {
    writeFileSync(path, this.toBuffer());
  }

  static load(path: string): EtaModel {
    return EtaModel.fromBuffer(readFileSync(path));
  }

  setParams(params: Params): void {
    this.#booster.setParams(params);
  }

  free(): void {
    this.#booster.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

export interface EtaError {
  /** Rows with both a predicted ETA and an actual debut. */
  rows: number;
  /** Mean absolute error in seasons. */
  mae: number;
  /** Mean of predicted minus actual: positive = the ETAs are late. */
  bias: number;
  /** Shares of rows exactly right and within one season. */
  exact: number;
  withinOne: number;
}

/** Accuracy of ETAs against actual debut seasons, over the rows where both are known. */
export function etaError(predicted: readonly (number | null)[], actual: readonly (number | null)[]): EtaError {
  let rows = 0;
  let absolute = 0;
  let signed = 0;
  let exact = 0;
  let withinOne = 0;
  predicted.forEach((eta, i) => {
    const debut = actual[i];
    if (eta === null || debut === null || debut === undefined) return;
    rows++;
    absolute += Math.abs(eta - debut);
    signed += eta - debut;
    if (eta === debut) exact++;
    if (Math.abs(eta - debut) <= 1) withinOne++;
  });
  const mean = (x: number) => (rows === 0 ? Number.NaN : x / rows);
  return { rows, mae: mean(absolute), bias: mean(signed), exact: mean(exact), withinOne: mean(withinOne) };
}
