/**
 * Typed binding of XGBoost's C library: dense DMatrix, training with early stopping, prediction,
 * exact TreeSHAP contributions and model (de)serialisation. Native handles are freed explicitly.
 */

import { check, copyBytes, copyFloats, NativeHandle, readUlongs, xgb, type Handle } from './xgboost-ffi.ts';

export { XGBoostError, xgboostVersion } from './xgboost-ffi.ts';

/** A value for `XGBoosterSetParam`; an array sets the same key once per element (e.g. several eval_metric). */
export type ParamValue = string | number | boolean | readonly (string | number)[];
export type Params = Readonly<Record<string, ParamValue>>;

/** Options of a DMatrix built from a dense row-major matrix. */
export interface DMatrixOptions {
  /** Row-major values, `nrow * ncol` long; copied by XGBoost, so it may be reused afterwards. */
  readonly data: Float32Array;
  readonly nrow: number;
  readonly ncol: number;
  /** Value meaning "missing"; NaN cells are missing too. @default NaN */
  readonly missing?: number;
  /** One label per row. @default none (prediction-only matrix) */
  readonly labels?: Float32Array | readonly number[];
  /** One non-negative weight per row. @default every row weighs 1 */
  readonly weights?: Float32Array | readonly number[];
}

/** XGBoost's input matrix. Boosters trained on it keep working after it is freed. */
export class DMatrix extends NativeHandle {
  readonly nrow: number;
  readonly ncol: number;

  constructor(options: DMatrixOptions) {
    super('DMatrix', createDMatrix(options), (handle) => xgb().dmatrixFree(handle));
    this.nrow = options.nrow;
    this.ncol = options.ncol;
    const infos = [
      ['label', options.labels],
      ['weight', options.weights],
    ] as const;
    for (const [field, values] of infos) {
      if (values === undefined) continue;
      const array = values instanceof Float32Array ? values : Float32Array.from(values);
      try {
        check('XGDMatrixSetFloatInfo', xgb().dmatrixSetFloatInfo(this.handle, field, array, array.length));
      } catch (error) {
        this.free();
        throw error;
      }
    }
  }
}

function createDMatrix({ data, nrow, ncol, missing = Number.NaN, labels, weights }: DMatrixOptions): Handle {
  positiveInteger('DMatrix nrow', nrow);
  positiveInteger('DMatrix ncol', ncol);
  if (!(data instanceof Float32Array)) throw new TypeError('DMatrix data must be a Float32Array.');
  if (data.length !== nrow * ncol) {
    throw new RangeError(
      `DMatrix data has ${data.length} values but nrow * ncol = ${nrow} * ${ncol} = ${nrow * ncol}.`,
    );
  }
  for (const [field, values] of [
    ['labels', labels],
    ['weights', weights],
  ] as const) {
    if (values !== undefined && values.length !== nrow) {
      throw new RangeError(`DMatrix ${field} has ${values.length} values but the matrix has ${nrow} rows.`);
    }
  }
  const out: [Handle | null] = [null];
  check('XGDMatrixCreateFromMat', xgb().dmatrixFromMat(data, nrow, ncol, missing, out));
  return out[0] as Handle;
}

/** A named matrix evaluated after every round, e.g. `{ name: 'valid', dmatrix }`. */
export interface EvalSet {
  /** Appears in the eval text as `name-metric`; no whitespace. */
  readonly name: string;
  readonly dmatrix: DMatrix;
}

export interface TrainOptions {
  readonly train: DMatrix;
  /** XGBoost parameters, e.g. `{ objective: 'binary:logistic', max_depth: 6, nthread: 4 }`. */
  readonly params: Params;
  /** Boosting rounds (trees per output); a positive integer. */
  readonly rounds: number;
  /** Matrices scored after each round; the last metric of the last one drives early stopping. @default [] */
  readonly evals?: readonly EvalSet[];
  /** Stop once the early-stopping metric has not improved for this many rounds. @default no early stopping */
  readonly earlyStoppingRounds?: number;
  /** Whether a larger early-stopping metric is better. @default true for auc, aucpr, map and ndcg, else false */
  readonly maximize?: boolean;
  /** Called synchronously after each round, e.g. to heartbeat; `scores` maps `name-metric` to its value. */
  readonly onIteration?: (iteration: number, evalText: string, scores: ReadonlyMap<string, number>) => void;
}

export interface PredictOptions {
  /** Untransformed margin (log-odds for binary:logistic) instead of the probability. @default false */
  readonly outputMargin?: boolean;
  /** Use the trees of rounds [0, iterationEnd); 0 means all. @default bestIteration + 1 when known, else all */
  readonly iterationEnd?: number;
}

/** XGBoost's PredictFromDMatrix `type` codes. */
const PREDICT_TYPE = { value: 0, margin: 1, contributions: 2 } as const;
const MAXIMIZED_METRICS = /^(auc|aucpr|map|ndcg)(@|$)/;

export class Booster extends NativeHandle {
  /** Round with the best early-stopping score (0-based), when training used early stopping; predictions stop there. */
  bestIteration: number | undefined;
  /** The early-stopping metric's value at `bestIteration`. */
  bestScore: number | undefined;

  /** `cache` lists the matrices used in training and evaluation, as XGBoosterCreate expects. */
  private constructor(cache: readonly DMatrix[]) {
    const out: [Handle | null] = [null];
    const handles = cache.map((matrix) => matrix.handle);
    check('XGBoosterCreate', xgb().boosterCreate(handles, handles.length, out));
    super('Booster', out[0] as Handle, (handle) => xgb().boosterFree(handle));
  }

  /** Trains synchronously, blocking the event loop until done. */
  static train(options: TrainOptions): Booster {
    const booster = Booster.#prepare(options);
    return booster.#orFree(() => {
      for (const _round of booster.#boost(options));
      return booster;
    });
  }

  /** Like `train` but yields to the event loop between rounds, so timers, I/O and heartbeats still run. */
  static async trainAsync(options: TrainOptions): Promise<Booster> {
    const booster = Booster.#prepare(options);
    return booster.#orFree(async () => {
      for (const _round of booster.#boost(options)) await new Promise((resolve) => setImmediate(resolve));
      return booster;
    });
  }

  /** Runs `step`, freeing this booster if it throws (or rejects) since the caller never receives it. */
  #orFree<T>(step: () => T): T {
    const fail = (error: unknown): never => {
      this.free();
      throw error;
    };
    try {
      const result = step();
      return result instanceof Promise ? (result.catch(fail) as T) : result;
    } catch (error) {
      return fail(error);
    }
  }

  static #prepare(options: TrainOptions): Booster {
    const { rounds, evals = [], earlyStoppingRounds } = options;
    positiveInteger('Booster.train rounds', rounds);
    if (earlyStoppingRounds !== undefined) {
      positiveInteger('Booster.train earlyStoppingRounds', earlyStoppingRounds);
      if (evals.length === 0)
        throw new RangeError('Booster.train earlyStoppingRounds needs at least one entry in evals.');
    }
    for (const { name } of evals) {
      if (!/^\S+$/.test(name)) {
        throw new RangeError(`Booster.train eval name ${JSON.stringify(name)} must be non-empty without whitespace.`);
      }
    }
    const booster = new Booster([options.train, ...evals.map((set) => set.dmatrix)]);
    return booster.#orFree(() => {
      booster.setParams(options.params);
      return booster;
    });
  }

  *#boost(options: TrainOptions): Generator<number> {
    const { train, rounds, evals = [], earlyStoppingRounds, onIteration } = options;
    const evalHandles = evals.map((set) => set.dmatrix.handle);
    const evalNames = evals.map((set) => set.name);
    let best: { iteration: number; score: number } | undefined;
    for (let iteration = 0; iteration < rounds; iteration++) {
      check('XGBoosterUpdateOneIter', xgb().boosterUpdateOneIter(this.handle, iteration, train.handle));
      let text = '';
      if (evals.length > 0) {
        const out: [string | null] = [null];
        const rc = xgb().boosterEvalOneIter(this.handle, iteration, evalHandles, evalNames, evals.length, out);
        check('XGBoosterEvalOneIter', rc);
        text = out[0] ?? '';
      }
      const scores = parseEvalText(text);
      onIteration?.(iteration, text, scores);
      if (earlyStoppingRounds !== undefined) {
        const [key, score] = [...scores].at(-1) ?? ['', Number.NaN];
        const metric = key.slice((evalNames.at(-1) ?? '').length + 1);
        const maximize = options.maximize ?? (MAXIMIZED_METRICS.test(metric) && metric !== 'mape');
        if (best === undefined || Number.isNaN(best.score) || (maximize ? score > best.score : score < best.score)) {
          best = { iteration, score };
        } else if (iteration - best.iteration >= earlyStoppingRounds) break;
      }
      yield iteration;
    }
    if (best !== undefined) {
      // Stored as attributes (as xgboost-python does) so saved models remember where to stop predicting.
      this.#setAttr('best_iteration', String(best.iteration));
      this.#setAttr('best_score', String(best.score));
      this.bestIteration = best.iteration;
      this.bestScore = best.score;
    }
  }

  /** Loads a model saved by `saveModel` (or any XGBoost .json/.ubj model). */
  static loadModel(path: string): Booster {
    return Booster.#load((handle) => check('XGBoosterLoadModel', xgb().boosterLoadModel(handle, path)));
  }

  /** Restores a model serialised by `toBuffer`. */
  static fromBuffer(buffer: Uint8Array): Booster {
    return Booster.#load((handle) =>
      check('XGBoosterLoadModelFromBuffer', xgb().boosterLoadModelFromBuffer(handle, buffer, buffer.length)),
    );
  }

  static #load(read: (handle: Handle) => void): Booster {
    const booster = new Booster([]);
    return booster.#orFree(() => {
      read(booster.handle);
      const [iteration, score] = [booster.#getAttr('best_iteration'), booster.#getAttr('best_score')];
      if (iteration !== undefined) booster.bestIteration = Number(iteration);
      if (score !== undefined) booster.bestScore = Number(score);
      return booster;
    });
  }

  /** Sets parameters, e.g. `{ nthread: 2 }` on a loaded model before predicting. */
  setParams(params: Params): void {
    for (const [name, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        check('XGBoosterSetParam', xgb().boosterSetParam(this.handle, name, String(item)));
      }
    }
  }

  /** One value per row (per row and class for multi-class): probabilities for binary:logistic. */
  predict(dmatrix: DMatrix, options: PredictOptions = {}): Float32Array {
    const type = options.outputMargin === true ? PREDICT_TYPE.margin : PREDICT_TYPE.value;
    return this.#predict(dmatrix, type, options.iterationEnd).values;
  }

  /**
   * Exact TreeSHAP contributions, row-major `nrow * (ncol + 1)`: each row's last value is the bias, and a
   * row sums to its margin. Multi-class models return `nrow * classes * (ncol + 1)`.
   */
  contributions(dmatrix: DMatrix, options: Pick<PredictOptions, 'iterationEnd'> = {}): Float32Array {
    return this.#predict(dmatrix, PREDICT_TYPE.contributions, options.iterationEnd).values;
  }

  /** `contributions` split per row of a single-output model: `values[row][feature]` and `bias[row]`. */
  contributionRows(
    dmatrix: DMatrix,
    options: Pick<PredictOptions, 'iterationEnd'> = {},
  ): { values: Float32Array[]; bias: Float32Array } {
    const { values, shape } = this.#predict(dmatrix, PREDICT_TYPE.contributions, options.iterationEnd);
    if (shape.length !== 2) {
      throw new Error(`contributionRows needs a single-output model; contributions have shape [${shape.join(', ')}].`);
    }
    const { nrow, ncol } = dmatrix;
    const rows = Array.from({ length: nrow }, (_, row) => values.subarray(row * (ncol + 1), (row + 1) * (ncol + 1)));
    return { values: rows.map((row) => row.subarray(0, ncol)), bias: Float32Array.from(rows, (row) => row[ncol] ?? 0) };
  }

  #predict(dmatrix: DMatrix, type: number, iterationEnd?: number): { values: Float32Array; shape: number[] } {
    const end = iterationEnd ?? (this.bestIteration === undefined ? 0 : this.bestIteration + 1);
    if (!Number.isInteger(end) || end < 0)
      throw new RangeError(`iterationEnd must be a non-negative integer, got ${end}.`);
    const config = JSON.stringify({
      type,
      training: false,
      iteration_begin: 0,
      iteration_end: end,
      strict_shape: false,
    });
    const shapeOut: [bigint | null] = [null];
    const dimOut: [number] = [0];
    const resultOut: [bigint | null] = [null];
    const rc = xgb().boosterPredictFromDMatrix(this.handle, dmatrix.handle, config, shapeOut, dimOut, resultOut);
    check('XGBoosterPredictFromDMatrix', rc);
    const shape = readUlongs(shapeOut[0] as bigint, dimOut[0]);
    const length = shape.reduce((product, size) => product * size, 1);
    return { values: copyFloats(resultOut[0] as bigint, length), shape };
  }

  /** Writes the model; the extension picks XGBoost's format, so it must be `.json` or `.ubj`. */
  saveModel(path: string): void {
    if (!/\.(json|ubj)$/.test(path)) throw new RangeError(`saveModel path must end in .json or .ubj, got ${path}.`);
    check('XGBoosterSaveModel', xgb().boosterSaveModel(this.handle, path));
  }

  /** The model as bytes, for storing in a database; `format` is 'ubj' (compact, the default) or 'json'. */
  toBuffer(format: 'ubj' | 'json' = 'ubj'): Buffer {
    const length: [number] = [0];
    const data: [bigint | null] = [null];
    const rc = xgb().boosterSaveModelToBuffer(this.handle, JSON.stringify({ format }), length, data);
    check('XGBoosterSaveModelToBuffer', rc);
    return copyBytes(data[0] as bigint, length[0]);
  }

  /** Number of features the model was trained on. */
  numFeatures(): number {
    const out: [number] = [0];
    check('XGBoosterGetNumFeature', xgb().boosterGetNumFeature(this.handle, out));
    return out[0];
  }

  /** Rounds boosted so far, including any after `bestIteration`. */
  boostedRounds(): number {
    const out: [number] = [0];
    check('XGBoosterBoostedRounds', xgb().boosterBoostedRounds(this.handle, out));
    return out[0];
  }

  #setAttr(key: string, value: string): void {
    check('XGBoosterSetAttr', xgb().boosterSetAttr(this.handle, key, value));
  }

  #getAttr(key: string): string | undefined {
    const out: [string | null] = [null];
    const success: [number] = [0];
    check('XGBoosterGetAttr', xgb().boosterGetAttr(this.handle, key, out, success));
    return success[0] === 1 && out[0] !== null ? out[0] : undefined;
  }
}

/** Parses `[3]\ttrain-logloss:0.41\tvalid-logloss:0.45` into `train-logloss → 0.41, ...`, in order. */
export function parseEvalText(text: string): Map<string, number> {
  const scores = new Map<string, number>();
  for (const token of text.trim().split('\t').slice(1)) {
    const colon = token.lastIndexOf(':');
    if (colon > 0) scores.set(token.slice(0, colon), Number(token.slice(colon + 1)));
  }
  return scores;
}

function positiveInteger(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}.`);
}
