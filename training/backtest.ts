/**
 * Backtests on three disjoint sets of as-of seasons: the champion and the challenger learn from seasons before
 * `trainTo`, early-stop and calibrate on `trainTo`, and are scored on later seasons they never saw, beside two
 * baselines, per season, per role and overall, with bootstrap confidence intervals. `runRollingBacktest` repeats
 * this for several origins (each test season T: train up to T-2, stop and calibrate on T-1) and pools the scores.
 * Labels of training seasons are the ones known today (a training cohort's outcome window may end after the origin).
 * Labels of training seasons reading the same major-league seasons as a test player's label is a leak when he is on
 * both sides; `split` decides who learns and who is scored (`BacktestSplit`): the default keeps every player,
 * 'player-disjoint' drops the test players from learning (a skewed remainder), 'player-grouped' scores a random half
 * of all players and learns from the other half (no overlap, no selection, half the test rows).
 */
import type { StatGroup } from '../lib/domain.ts';
import { bootstrapIntervals, type BootstrapOptions, type MetricIntervals } from './bootstrap.ts';
import { reliabilityTable, type ReliabilityBin } from './calibration.ts';
import type { Dataset } from './dataset.ts';
import { BASELINES, baselineInputs, fitBaseline, predictLogistic, type BaselineName } from './logistic.ts';
import { score, type Scores } from './metrics.ts';
import { trainMlp, type MlpOptions } from './mlp.ts';
import {
  drawPlayers,
  labelsOf,
  predictChampion,
  rowsOf,
  takeRows,
  trainChampion,
  withoutPlayers,
  withoutPlayersOf,
  type ClassWeighting,
} from './model.ts';
import type { Params } from './xgboost.ts';

export const BACKTEST_SPLITS = ['seasons', 'player-disjoint', 'player-grouped'] as const;
export type BacktestSplit = (typeof BACKTEST_SPLITS)[number];

/** A backtest that cannot run on this data (seasons absent, labels unknown); the message says which and why. */
export class BacktestError extends Error {
  override name = 'BacktestError';
}

/**
 * `blend`: (1 - w) x champion + w x challenger, both calibrated. w = 0.5 was chosen on the real development seasons
 * (train 2005, score 2006; docs/model.md) among 0.3, 0.5 and 0.7, by Brier score and log loss (0.0400 and 0.148 against
 * 0.0410 and 0.152 for the champion alone). It is scored here beside the champion; the site serves the champion
 * alone, whose exact TreeSHAP explanations an average with a network would lose.
 */
export const BLEND_CHALLENGER_WEIGHT = 0.5;

export const MODEL_NAMES = ['model', 'challenger', 'blend', ...(Object.keys(BASELINES) as BaselineName[])] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface BacktestOptions {
  dataset: Dataset;
  /** Last as-of season trained on; its cohort validates and calibrates, the earlier ones train. */
  trainTo: number;
  testFrom: number;
  testTo: number;
  nthread: number;
  /** Champion overrides (tests use fewer trees). */
  params?: Params;
  rounds?: number;
  earlyStoppingRounds?: number;
  classWeighting?: ClassWeighting;
  /** Challenger overrides. */
  mlp?: Partial<Omit<MlpOptions, 'dataset' | 'trainSeasons' | 'validationSeason'>>;
  /** Progress notes ("training the champion", ...) for a CLI or a heartbeat. */
  onProgress?: (stage: string) => void;
  /**
   * Who may be learned from and who is scored. 'seasons': every player of the earlier seasons learns, every test
   * row is scored (a test player's earlier rows may train: optimistic). 'player-disjoint': no test player's row
   * learns (the rows left are skewed towards players who had left the minors). 'player-grouped': a seeded random half
   * of all players is scored and the other half learns, so no player is on both sides and neither side is selected.
   * @default 'seasons'
   */
  split?: BacktestSplit;
  /** Seed of the 'player-grouped' draw. @default 1 */
  splitSeed?: number;
  /** Bootstrap of the overall scores (players resampled within the test seasons); false to skip. @default { reps: 1000, seed: 1 } */
  bootstrap?: BootstrapOptions | false;
}

export interface ScoredRow {
  playerId: number;
  asOfSeason: number;
  group: StatGroup;
  /** The champion's calibrated probability (also in `probabilities.model`). */
  probability: number;
  /** Every model's probability of this row. */
  probabilities: Record<ModelName, number>;
  label: 0 | 1;
}

export interface BacktestSeason {
  season: number;
  scores: Record<ModelName, Scores>;
  /** The champion's, in tenths. */
  reliability: ReliabilityBin[];
}

/** Scores of one set of test rows: every model, the champion's reliability, per role, and bootstrap intervals. */
export interface ScoreSummary {
  scores: Record<ModelName, Scores>;
  reliability: ReliabilityBin[];
  /** Hitters and pitchers apart (a role with no rows is absent). */
  perRole: Partial<Record<StatGroup, { scores: Record<ModelName, Scores>; reliability: ReliabilityBin[] }>>;
  /** 95% percentile intervals from resampling players; null when the bootstrap was skipped. */
  intervals: Record<ModelName, MetricIntervals> | null;
}

export interface BacktestReport {
  trainSeasons: number[];
  validationSeason: number;
  testSeasons: number[];
  /** Seasons of the test range that could not be scored, with the reason. */
  skippedSeasons: { season: number; reason: string }[];
  champion: {
    bestIteration: number;
    trainSeconds: number;
    scalePosWeight: number;
    calibrator: string;
    params: Params;
    trainRows: number;
    validationRows: number;
  };
  split: BacktestSplit;
  /** Players, and their rows in any season, left out of every model's learning (0 with the 'seasons' split). */
  excluded: { players: number; rows: number };
  challenger: { epochs: number; bestEpoch: number; trainSeconds: number };
  perSeason: BacktestSeason[];
  overall: ScoreSummary;
  rows: ScoredRow[];
}

function seasonRange(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Seasons whose every row has a known label. A season still inside its 4-year outcome window knows only the
 * successes that came early, so its labelled rows are nearly all successes: useless to train on or to score.
 */
function labelStatus(dataset: Dataset): Map<number, { rows: number; unknown: number }> {
  const status = new Map<number, { rows: number; unknown: number }>();
  for (const r of dataset.rows) {
    const s = status.get(r.asOfSeason) ?? { rows: 0, unknown: 0 };
    s.rows++;
    if (r.label === null) s.unknown++;
    status.set(r.asOfSeason, s);
  }
  return status;
}

function describeSeasons(seasons: readonly number[]): string {
  if (seasons.length === 0) return 'none';
  const sorted = [...seasons].sort((a, b) => a - b);
  return `${sorted.length} (${sorted[0]}-${sorted.at(-1)})`;
}

/** Which seasons train, validate and test; throws BacktestError with the reason when a range cannot be used. */
export function planBacktest(dataset: Dataset, trainTo: number, testFrom: number, testTo: number) {
  for (const [name, value] of [
    ['trainTo', trainTo],
    ['testFrom', testFrom],
    ['testTo', testTo],
  ] as const) {
    if (!Number.isInteger(value)) throw new BacktestError(`${name} must be a season (an integer), got ${value}.`);
  }
  if (testFrom > testTo)
    throw new BacktestError(`The test range ${testFrom}-${testTo} is empty: testFrom is after testTo.`);
  if (trainTo >= testFrom) {
    throw new BacktestError(
      `trainTo (${trainTo}) must be before testFrom (${testFrom}): a backtest scores only cohorts later than every training cohort.`,
    );
  }
  const status = labelStatus(dataset);
  const present = [...status.keys()].sort((a, b) => a - b);
  const covered = present.length
    ? `the data has as-of seasons ${present[0]}-${present.at(-1)}`
    : 'the data has no rows';
  const known = present.filter((s) => status.get(s)!.unknown === 0);
  const lastKnown = known.at(-1);
  const knownNote =
    lastKnown === undefined
      ? 'no as-of season has all its labels known yet'
      : `labels are fully known up to as-of season ${lastKnown}`;
  const trainable = known.filter((s) => s <= trainTo);
  if (trainable.length < 2) {
    throw new BacktestError(
      `Training needs at least two as-of seasons up to ${trainTo} with every label known (the earlier ones to train on, ` +
        `the last to validate and calibrate), but ${covered} and ${knownNote}; found ${describeSeasons(trainable)}.`,
    );
  }
  const skippedSeasons: { season: number; reason: string }[] = [];
  const testSeasons: number[] = [];
  for (const season of seasonRange(testFrom, testTo)) {
    const s = status.get(season);
    if (!s)
      skippedSeasons.push({ season, reason: 'no prospects in the data (no minor-league season played or loaded)' });
    else if (s.unknown > 0)
      skippedSeasons.push({
        season,
        reason: `${s.unknown} of ${s.rows} labels are not known yet (the 4-season outcome window is still open)`,
      });
    else testSeasons.push(season);
  }
  if (testSeasons.length === 0) {
    throw new BacktestError(`No as-of season in ${testFrom}-${testTo} can be scored: ${covered} and ${knownNote}.`);
  }
  return { trainSeasons: trainable.slice(0, -1), validationSeason: trainable.at(-1)!, testSeasons, skippedSeasons };
}

function scoresOf(rows: readonly ScoredRow[]): Record<ModelName, Scores> {
  const y = Float32Array.from(rows, (r) => r.label);
  return Object.fromEntries(
    MODEL_NAMES.map((name) => [
      name,
      score(
        y,
        Float64Array.from(rows, (r) => r.probabilities[name]),
      ),
    ]),
  ) as Record<ModelName, Scores>;
}

function reliabilityOf(rows: readonly ScoredRow[]): ReliabilityBin[] {
  return reliabilityTable(
    Float64Array.from(rows, (r) => r.probability),
    Float32Array.from(rows, (r) => r.label),
  );
}

/** Scores, reliability, per-role scores and (unless `bootstrap` is false) bootstrap intervals of scored rows. */
export function summarize(rows: readonly ScoredRow[], bootstrap: BootstrapOptions | false = {}): ScoreSummary {
  const perRole: ScoreSummary['perRole'] = {};
  for (const group of ['hitting', 'pitching'] as const) {
    const own = rows.filter((r) => r.group === group);
    if (own.length) perRole[group] = { scores: scoresOf(own), reliability: reliabilityOf(own) };
  }
  const intervals =
    bootstrap === false
      ? null
      : bootstrapIntervals(
          rows.map((r) => r.label),
          Object.fromEntries(MODEL_NAMES.map((name) => [name, rows.map((r) => r.probabilities[name])])) as Record<
            ModelName,
            number[]
          >,
          rows.map((r) => r.playerId),
          bootstrap,
        );
  return { scores: scoresOf(rows), reliability: reliabilityOf(rows), perRole, intervals };
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestReport> {
  const { dataset, trainTo, testFrom, testTo, nthread, onProgress } = options;
  const plan = planBacktest(dataset, trainTo, testFrom, testTo);
  const { trainSeasons, validationSeason, testSeasons } = plan;
  const split = options.split ?? 'seasons';
  const scored = split === 'player-grouped' ? drawPlayers(dataset, 0.5, options.splitSeed ?? 1) : null;
  const testIdx = rowsOf(dataset, testSeasons).filter((i) => !scored || scored.has(dataset.rows[i]!.playerId));
  const testMatrix = takeRows(dataset, testIdx);
  const labels = labelsOf(dataset, testIdx);
  const {
    dataset: learn,
    droppedPlayers,
    droppedRows,
  } = scored
    ? withoutPlayers(dataset, scored)
    : split === 'player-disjoint'
      ? withoutPlayersOf(dataset, testSeasons)
      : { dataset, droppedPlayers: 0, droppedRows: 0 };

  onProgress?.(
    `training the champion on ${trainSeasons.join(', ')}, validating on ${validationSeason}` +
      (droppedPlayers ? ` (${split}: without ${droppedPlayers} players)` : ''),
  );
  using champion = await trainChampion({
    dataset: learn,
    trainSeasons,
    validationSeason,
    nthread,
    ...(options.params ? { params: options.params } : {}),
    ...(options.rounds ? { rounds: options.rounds } : {}),
    ...(options.earlyStoppingRounds ? { earlyStoppingRounds: options.earlyStoppingRounds } : {}),
    ...(options.classWeighting ? { classWeighting: options.classWeighting } : {}),
  });
  onProgress?.('training the challenger');
  const challenger = await trainMlp({ ...options.mlp, dataset: learn, trainSeasons, validationSeason });
  onProgress?.('fitting the baselines and scoring');
  // Baselines have nothing to stop early or calibrate, so they learn from the validation season too.
  const baselineRows = rowsOf(learn, [...trainSeasons, validationSeason]);
  const baselines = Object.fromEntries(
    (Object.keys(BASELINES) as BaselineName[]).map((name) => {
      const model = fitBaseline(BASELINES[name], learn, baselineRows);
      return [name, predictLogistic(model, baselineInputs(BASELINES[name], dataset, testIdx))];
    }),
  ) as Record<BaselineName, Float64Array>;
  const model = predictChampion(champion, testMatrix);
  const challengerP = challenger.predict(testMatrix);
  const predictions: Record<ModelName, ArrayLike<number>> = {
    model,
    challenger: challengerP,
    blend: model.map((p, i) => (1 - BLEND_CHALLENGER_WEIGHT) * p + BLEND_CHALLENGER_WEIGHT * challengerP[i]!),
    ...baselines,
  };

  const rows = testIdx.map((row, k): ScoredRow => {
    const r = dataset.rows[row]!;
    const probabilities = Object.fromEntries(MODEL_NAMES.map((name) => [name, predictions[name][k]!])) as Record<
      ModelName,
      number
    >;
    return {
      playerId: r.playerId,
      asOfSeason: r.asOfSeason,
      group: r.group,
      probability: probabilities.model,
      probabilities,
      label: labels[k] === 1 ? 1 : 0,
    };
  });
  const perSeason = testSeasons.map((season): BacktestSeason => {
    const own = rows.filter((r) => r.asOfSeason === season);
    return { season, scores: scoresOf(own), reliability: reliabilityOf(own) };
  });
  const { metrics } = champion;
  return {
    trainSeasons,
    validationSeason,
    testSeasons,
    skippedSeasons: plan.skippedSeasons,
    champion: {
      bestIteration: champion.bestIteration,
      trainSeconds: metrics.trainSeconds,
      scalePosWeight: metrics.scalePosWeight,
      calibrator: metrics.calibrator,
      params: champion.params,
      trainRows: metrics.trainRows,
      validationRows: metrics.validation.rows,
    },
    split,
    excluded: { players: droppedPlayers, rows: droppedRows },
    challenger: {
      epochs: challenger.metrics?.epochs ?? 0,
      bestEpoch: challenger.metrics?.bestEpoch ?? 0,
      trainSeconds: challenger.metrics?.trainSeconds ?? 0,
    },
    perSeason,
    overall: summarize(rows, options.bootstrap ?? {}),
    rows,
  };
}

export interface RollingBacktestOptions extends Omit<BacktestOptions, 'trainTo' | 'testFrom' | 'testTo'> {
  /** Test seasons; each is one origin, trained up to two seasons before it and stopped and calibrated on the one before. */
  testSeasons: readonly number[];
}

export interface RollingBacktestReport {
  origins: {
    testSeason: number;
    trainSeasons: number[];
    validationSeason: number;
    champion: BacktestReport['champion'];
    excluded: BacktestReport['excluded'];
    scores: Record<ModelName, Scores>;
    reliability: ReliabilityBin[];
  }[];
  /** Test seasons that could not be an origin, with the reason (too few earlier labelled seasons, open labels...). */
  skippedOrigins: { season: number; reason: string }[];
  /** All origins' test rows together (each row is scored by the model of its own origin). */
  pooled: ScoreSummary;
  rows: ScoredRow[];
}

/** One backtest per origin, then the pooled rows' scores with bootstrap intervals; an origin that cannot run is skipped with its reason. */
export async function runRollingBacktest(options: RollingBacktestOptions): Promise<RollingBacktestReport> {
  const { testSeasons, bootstrap, ...rest } = options;
  const origins: RollingBacktestReport['origins'] = [];
  const skippedOrigins: RollingBacktestReport['skippedOrigins'] = [];
  const rows: ScoredRow[] = [];
  for (const season of [...new Set(testSeasons)].sort((a, b) => a - b)) {
    let report: BacktestReport;
    try {
      rest.onProgress?.(`origin ${season}`);
      report = await runBacktest({ ...rest, trainTo: season - 1, testFrom: season, testTo: season, bootstrap: false });
    } catch (error) {
      if (!(error instanceof BacktestError)) throw error;
      skippedOrigins.push({ season, reason: error.message });
      continue;
    }
    origins.push({
      testSeason: season,
      trainSeasons: report.trainSeasons,
      validationSeason: report.validationSeason,
      champion: report.champion,
      excluded: report.excluded,
      scores: report.overall.scores,
      reliability: report.overall.reliability,
    });
    for (const row of report.rows) rows.push(row);
  }
  if (origins.length === 0) {
    throw new BacktestError(`No origin could run: ${skippedOrigins.map((s) => `${s.season}: ${s.reason}`).join(' ')}`);
  }
  return { origins, skippedOrigins, pooled: summarize(rows, bootstrap ?? {}), rows };
}
