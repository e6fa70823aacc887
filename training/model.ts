/**
 * The champion: XGBoost in the design's configuration, early-stopped on a validation cohort, optionally class-weighted,
 * calibrated on a held-out cohort; saved as the booster (.ubj) beside its calibrator (.json).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calibrateAll, fitCalibrator, type Calibrator, type CalibratorKind } from './calibration.ts';
import type { Dataset } from './dataset.ts';
import { score, type Scores } from './metrics.ts';
import { Booster, DMatrix, type Params } from './xgboost.ts';
import { mulberry32 } from '../lib/random.ts';

/**
 * The design's configuration. The last eval_metric drives early stopping: log loss, which on a small validation
 * cohort keeps improving smoothly where AUC peaks by chance after a dozen trees (on the 0.1-scale universe AUC
 * stopped at tree 12 and scored 0.870 on later cohorts; log loss ran to tree 976 and scored 0.875).
 */
export const CHAMPION_PARAMS: Params = {
  objective: 'binary:logistic',
  eval_metric: ['auc', 'logloss'],
  tree_method: 'hist',
  max_depth: 6,
  eta: 0.01,
  subsample: 0.8,
  colsample_bytree: 0.8,
  seed: 7,
};
/**
 * Features whose larger values never raise the odds of success, constrained so in the trees (XGBoost's
 * monotone_constraints -1): being older than the level's average. Chosen on the real 2005-2006 development seasons
 * (docs/model.md): PR-AUC 0.419 -> 0.423 and Brier 0.0416 -> 0.0414, ROC-AUC unchanged; it also keeps explanations
 * from ever crediting a prospect for being old for his level. Age vs league has the same prior: unconstrained it cost
 * Brier (0.04067 -> 0.04085 with the league columns), constrained it kept Brier (0.04066) with PR-AUC 0.426 -> 0.429.
 */
export const MONOTONE_DECREASING: readonly string[] = ['age_rel_level', 'age_rel_league'];

/** The monotone_constraints parameter for these columns, e.g. "(0,-1,0)"; undefined when none is constrained. */
export function monotoneConstraints(
  featureNames: readonly string[],
  decreasing: readonly string[] = MONOTONE_DECREASING,
): string | undefined {
  if (!featureNames.some((n) => decreasing.includes(n))) return undefined;
  return `(${featureNames.map((n) => (decreasing.includes(n) ? -1 : 0)).join(',')})`;
}

/** With class weights, unweighted validation log loss measures the weighting, so AUC decides instead. */
const WEIGHTED_EVAL_METRIC = ['logloss', 'auc'];
export const CHAMPION_ROUNDS = 1000;
export const EARLY_STOPPING_ROUNDS = 100;

/**
 * How much more a success weighs than a failure: 'balanced' = negatives/positives (XGBoost's advice for imbalance),
 * 'sqrt' = its square root, 'none' = 1. Measured on the full sample universe (train 2010-2015, validate 2016, test
 * 2017-2019, Platt-calibrated): ROC-AUC 0.928 / 0.927 / 0.925 and Brier 0.0361 / 0.0362 / 0.0367 for none / sqrt /
 * balanced. Weighting bought no ranking and only gave the calibrator a distortion to undo, so the default is none.
 */
export type ClassWeighting = 'none' | 'sqrt' | 'balanced';
export const DEFAULT_CLASS_WEIGHTING: ClassWeighting = 'none';

export interface TrainChampionOptions {
  dataset: Dataset;
  /** As-of seasons the trees learn from; rows with an unknown label (null) are left out. */
  trainSeasons: readonly number[];
  /** As-of season whose labelled rows stop the boosting (and calibrate, without `calibrationSeason`). */
  validationSeason: number;
  /**
   * A separate cohort for the calibrator. @default validationSeason: that cohort already chose the number of trees,
   * a mild leak (its calibrated scores are a little optimistic), accepted because a season held out only for
   * calibration is a season the trees cannot learn from, and the recent seasons matter most.
   */
  calibrationSeason?: number;
  /** Merged over CHAMPION_PARAMS, e.g. `{ max_depth: 4 }`. */
  params?: Params;
  /** @default CHAMPION_ROUNDS */
  rounds?: number;
  /** @default EARLY_STOPPING_ROUNDS */
  earlyStoppingRounds?: number;
  /** @default DEFAULT_CLASS_WEIGHTING */
  classWeighting?: ClassWeighting;
  /** @default 'auto' (isotonic with at least ISOTONIC_MIN_POSITIVES successes in the calibration cohort, else Platt) */
  calibration?: CalibratorKind | 'auto';
  nthread: number;
  /** Called after each round, e.g. to heartbeat; `scores` maps `valid-auc` etc. to their values. */
  onIteration?: (iteration: number, scores: ReadonlyMap<string, number>) => void;
}

export interface ChampionMetrics {
  trainRows: number;
  trainPositives: number;
  validationSeason: number;
  calibrationSeason: number;
  calibrator: CalibratorKind;
  scalePosWeight: number;
  bestIteration: number;
  trainSeconds: number;
  /** Validation cohort, before and after calibration. */
  validationRaw: Scores;
  validation: Scores;
}

export interface Champion extends Disposable {
  booster: Booster;
  calibrator: Calibrator;
  /** 0-based round with the best early-stopping score; predictions use trees 0..bestIteration. */
  bestIteration: number;
  /** Every parameter given to XGBoost, nthread and scale_pos_weight included. */
  params: Params;
  featureNames: string[];
  metrics: ChampionMetrics;
}

/** Fully labelled seasons needed: at least one to train, one to early-stop and calibrate, one held out. */
export const MIN_COMPLETE_SEASONS = 3;

/** Which complete seasons train, validate (early stopping and calibration) and test; null with fewer than three. */
export function splitSeasons(
  complete: readonly number[],
): { trainSeasons: number[]; validationSeason: number; holdoutSeason: number } | null {
  if (complete.length < MIN_COMPLETE_SEASONS) return null;
  return { trainSeasons: complete.slice(0, -2), validationSeason: complete.at(-2)!, holdoutSeason: complete.at(-1)! };
}

/** Indexes of the dataset rows of the given as-of seasons, only those with a known label unless `labelled` is false. */
export function rowsOf(dataset: Dataset, seasons: readonly number[], labelled = true): number[] {
  const wanted = new Set(seasons);
  return dataset.rows.flatMap((r, i) => (wanted.has(r.asOfSeason) && (!labelled || r.label !== null) ? [i] : []));
}

/**
 * The dataset without any row of a player who has a row in `heldOutSeasons`: what a model measured on those seasons
 * may train, early-stop and calibrate on. Cohorts overlap (a 2005 training label reads 2006-2009, a 2007 test label
 * 2008-2011), so a player in both would carry his own outcome from training into the test through his player-constant
 * features. The cost: the rows left are of players absent from the held-out seasons (promoted, released, retired),
 * not a random sample of the earlier cohorts.
 */
export function withoutPlayersOf(
  dataset: Dataset,
  heldOutSeasons: readonly number[],
): { dataset: Dataset; droppedPlayers: number; droppedRows: number } {
  const seasons = new Set(heldOutSeasons);
  const players = new Set<number>();
  for (const r of dataset.rows) if (seasons.has(r.asOfSeason)) players.add(r.playerId);
  return withoutPlayers(dataset, players);
}

/** The dataset without any row of the given players, and how many players and rows that left out. */
export function withoutPlayers(
  dataset: Dataset,
  players: ReadonlySet<number>,
): { dataset: Dataset; droppedPlayers: number; droppedRows: number } {
  const keep = dataset.rows.flatMap((r, i) => (players.has(r.playerId) ? [] : [i]));
  return {
    dataset: {
      featureNames: dataset.featureNames,
      rows: keep.map((i) => dataset.rows[i]!),
      matrix: takeRows(dataset, keep),
    },
    droppedPlayers: players.size,
    droppedRows: dataset.rows.length - keep.length,
  };
}

/**
 * A seeded random `share` of every player in the dataset (any season): with `withoutPlayers`, a player-grouped split
 * where no player is on both sides and neither side is selected by what became of him.
 */
export function drawPlayers(dataset: Dataset, share: number, seed: number): Set<number> {
  if (!(share > 0 && share < 1)) throw new RangeError(`drawPlayers: share must be between 0 and 1, got ${share}`);
  const random = mulberry32(seed);
  const ids = [...new Set(dataset.rows.map((r) => r.playerId))].sort((a, b) => a - b);
  return new Set(ids.filter(() => random() < share));
}

/** The rows at `indexes` of the dataset's matrix, row-major. */
export function takeRows(dataset: Dataset, indexes: readonly number[]): Float32Array {
  const width = dataset.featureNames.length;
  const out = new Float32Array(indexes.length * width);
  indexes.forEach((row, i) => out.set(dataset.matrix.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

export function labelsOf(dataset: Dataset, indexes: readonly number[]): Float32Array {
  return Float32Array.from(indexes, (i) => dataset.rows[i]!.label ?? 0);
}

/** Throws unless the rows hold both outcomes; `what` names the cohort in the message. */
export function requireBothOutcomes(what: string, labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  if (labels.length === 0) throw new RangeError(`${what} has no rows with a known label.`);
  if (positives === 0 || positives === labels.length) {
    throw new RangeError(
      `${what} has ${labels.length} labelled rows but ${positives} successes; it needs both outcomes.`,
    );
  }
  return positives;
}

export function scalePosWeight(weighting: ClassWeighting, positives: number, negatives: number): number {
  const ratio = negatives / positives;
  return weighting === 'balanced' ? ratio : weighting === 'sqrt' ? Math.sqrt(ratio) : 1;
}

export async function trainChampion(options: TrainChampionOptions): Promise<Champion> {
  const { dataset, trainSeasons, validationSeason, nthread } = options;
  const calibrationSeason = options.calibrationSeason ?? validationSeason;
  if (trainSeasons.includes(validationSeason) || trainSeasons.includes(calibrationSeason)) {
    throw new RangeError(
      `trainChampion: the validation (${validationSeason}) and calibration (${calibrationSeason}) seasons must not be training seasons.`,
    );
  }
  const width = dataset.featureNames.length;
  const trainIdx = rowsOf(dataset, trainSeasons);
  const validIdx = rowsOf(dataset, [validationSeason]);
  const trainLabels = labelsOf(dataset, trainIdx);
  const validLabels = labelsOf(dataset, validIdx);
  const positives = requireBothOutcomes(`Training seasons ${trainSeasons.join(', ')}`, trainLabels);
  requireBothOutcomes(`Validation season ${validationSeason}`, validLabels);
  const spw = scalePosWeight(options.classWeighting ?? DEFAULT_CLASS_WEIGHTING, positives, trainIdx.length - positives);
  // XGBoost 1.7 starts every row at 0.5; at a 5% base rate, eta 0.01 would spend its first few hundred trees just
  // walking the intercept down. Starting at the (weighted) base rate is what XGBoost 2 does by itself.
  const baseScore = (positives * spw) / (positives * spw + trainIdx.length - positives);
  const evalMetric = spw === 1 ? CHAMPION_PARAMS.eval_metric! : WEIGHTED_EVAL_METRIC;
  const monotone = monotoneConstraints(dataset.featureNames);
  const params: Params = {
    ...CHAMPION_PARAMS,
    eval_metric: evalMetric,
    base_score: baseScore,
    ...(monotone ? { monotone_constraints: monotone } : {}),
    ...options.params,
    scale_pos_weight: spw,
    nthread,
  };
  using train = new DMatrix({
    data: takeRows(dataset, trainIdx),
    nrow: trainIdx.length,
    ncol: width,
    labels: trainLabels,
  });
  using valid = new DMatrix({
    data: takeRows(dataset, validIdx),
    nrow: validIdx.length,
    ncol: width,
    labels: validLabels,
  });
  const started = performance.now();
  const booster = await Booster.trainAsync({
    train,
    params,
    rounds: options.rounds ?? CHAMPION_ROUNDS,
    evals: [{ name: 'valid', dmatrix: valid }],
    earlyStoppingRounds: options.earlyStoppingRounds ?? EARLY_STOPPING_ROUNDS,
    onIteration: options.onIteration && ((iteration, _text, scores) => options.onIteration?.(iteration, scores)),
  });
  try {
    const trainSeconds = (performance.now() - started) / 1000;
    const rawValid = booster.predict(valid);
    let calibrationRaw: ArrayLike<number> = rawValid;
    let calibrationLabels: ArrayLike<number> = validLabels;
    if (calibrationSeason !== validationSeason) {
      const calIdx = rowsOf(dataset, [calibrationSeason]);
      calibrationLabels = labelsOf(dataset, calIdx);
      requireBothOutcomes(`Calibration season ${calibrationSeason}`, calibrationLabels);
      using cal = new DMatrix({ data: takeRows(dataset, calIdx), nrow: calIdx.length, ncol: width });
      calibrationRaw = booster.predict(cal);
    }
    const calibrator = fitCalibrator(options.calibration ?? 'auto', calibrationRaw, calibrationLabels);
    const bestIteration = booster.bestIteration ?? booster.boostedRounds() - 1;
    const metrics: ChampionMetrics = {
      trainRows: trainIdx.length,
      trainPositives: positives,
      validationSeason,
      calibrationSeason,
      calibrator: calibrator.kind,
      scalePosWeight: spw,
      bestIteration,
      trainSeconds,
      validationRaw: score(validLabels, rawValid),
      validation: score(validLabels, calibrateAll(calibrator, rawValid)),
    };
    return champion(booster, calibrator, bestIteration, params, [...dataset.featureNames], metrics);
  } catch (error) {
    booster.free();
    throw error;
  }
}

function champion(
  booster: Booster,
  calibrator: Calibrator,
  bestIteration: number,
  params: Params,
  featureNames: string[],
  metrics: ChampionMetrics,
): Champion {
  return { booster, calibrator, bestIteration, params, featureNames, metrics, [Symbol.dispose]: () => booster.free() };
}

/** Calibrated probabilities of the rows of a row-major matrix in the model's feature order. */
export function predictChampion(
  model: Pick<Champion, 'booster' | 'calibrator' | 'featureNames'>,
  matrix: Float32Array,
): Float64Array {
  const ncol = model.featureNames.length;
  const nrow = matrix.length / ncol;
  if (!Number.isInteger(nrow))
    throw new RangeError(`predictChampion got ${matrix.length} values, not rows of ${ncol} features.`);
  if (nrow === 0) return new Float64Array(0);
  using dmatrix = new DMatrix({ data: matrix, nrow, ncol });
  return calibrateAll(model.calibrator, model.booster.predict(dmatrix));
}

/** What `saveChampion` writes beside the booster. */
interface ChampionSidecar {
  version: string;
  calibrator: Calibrator;
  bestIteration: number;
  params: Params;
  featureNames: string[];
  metrics: ChampionMetrics;
}

export function championPaths(dir: string, version: string): { booster: string; calibrator: string } {
  if (!/^[\w.-]+$/.test(version))
    throw new RangeError(`Model version ${JSON.stringify(version)} may hold only letters, digits, '.', '_' and '-'.`);
  return { booster: path.join(dir, `${version}.ubj`), calibrator: path.join(dir, `${version}.calibration.json`) };
}

/** Writes `<dir>/<version>.ubj` (the booster, best iteration included) and `<dir>/<version>.calibration.json`. */
export async function saveChampion(
  dir: string,
  version: string,
  model: Omit<Champion, typeof Symbol.dispose>,
): Promise<{ booster: string; calibrator: string }> {
  const paths = championPaths(dir, version);
  await mkdir(dir, { recursive: true });
  model.booster.saveModel(paths.booster);
  const { calibrator, bestIteration, params, featureNames, metrics } = model;
  const sidecar: ChampionSidecar = { version, calibrator, bestIteration, params, featureNames, metrics };
  await writeFile(paths.calibrator, `${JSON.stringify(sidecar, null, 2)}\n`);
  return paths;
}

/** Reads a model written by `saveChampion`; free it with `using` or `[Symbol.dispose]()`. */
export async function loadChampion(
  dir: string,
  version: string,
  options: { nthread?: number } = {},
): Promise<Champion> {
  const paths = championPaths(dir, version);
  const sidecar = JSON.parse(await readFile(paths.calibrator, 'utf8')) as ChampionSidecar;
  const booster = Booster.loadModel(paths.booster);
  try {
    if (booster.bestIteration !== sidecar.bestIteration) {
      throw new Error(
        `${paths.booster} stops at tree ${booster.bestIteration} but ${paths.calibrator} says ${sidecar.bestIteration}: the files are from different models.`,
      );
    }
    if (options.nthread !== undefined) booster.setParams({ nthread: options.nthread });
    return champion(
      booster,
      sidecar.calibrator,
      sidecar.bestIteration,
      sidecar.params,
      sidecar.featureNames,
      sidecar.metrics,
    );
  } catch (error) {
    booster.free();
    throw error;
  }
}
