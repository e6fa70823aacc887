/**
 * The model-development loop on real data, offline: `DATABASE_URL=... node bench/model-dev.ts [--cache file.json]
 * [--final]`. Reads the history once from the database (then from the cache file), builds the features with the
 * current code, and scores model variants on the development seasons only: train on 2005 (a fifth of its players
 * held aside to early-stop and calibrate), score 2006. The 2007 test season is touched only with `--final`, which runs
 * the real backtest split (train 2005, stop and calibrate 2006, test 2007) for the chosen configuration.
 * Prints one line per variant; choices recorded in docs/model.md come from here.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadHistory, type History } from '../activities/history.ts';
import { bootstrapIntervals } from '../training/bootstrap.ts';
import { buildDataset, type Dataset } from '../training/dataset.ts';
import { score } from '../training/metrics.ts';
import { trainMlp } from '../training/mlp.ts';
import { labelsOf, predictChampion, rowsOf, takeRows, trainChampion } from '../training/model.ts';
import { DMatrix, type Params } from '../training/xgboost.ts';
import { calibrateAll, fitCalibrator } from '../training/calibration.ts';
import { mulberry32 } from '../lib/random.ts';

/** A fake as-of season for the development rows held aside to early-stop and calibrate. */
const ASIDE = 9000;

async function history(cache: string | undefined): Promise<History> {
  if (cache && existsSync(cache)) return JSON.parse(await readFile(cache, 'utf8')) as History;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  try {
    const h = await loadHistory(pool);
    if (cache) await writeFile(cache, JSON.stringify(h));
    return h;
  } finally {
    await pool.end();
  }
}

/** The dataset restricted to some columns (an ablation), and with rows of `season` split by player into `ASIDE`. */
function variantDataset(dataset: Dataset, keep: (name: string) => boolean, asideSeason: number, share: number, seed: number): Dataset {
  const cols = dataset.featureNames.flatMap((n, i) => (keep(n) ? [i] : []));
  const width = dataset.featureNames.length;
  const matrix = new Float32Array(dataset.rows.length * cols.length);
  for (let r = 0; r < dataset.rows.length; r++) cols.forEach((c, j) => (matrix[r * cols.length + j] = dataset.matrix[r * width + c]!));
  const random = mulberry32(seed);
  const rows = dataset.rows.map((row) => (row.asOfSeason === asideSeason && random() < share ? { ...row, asOfSeason: ASIDE } : row));
  return { featureNames: cols.map((c) => dataset.featureNames[c]!), rows, matrix };
}

interface Variant {
  name: string;
  keep?: (name: string) => boolean;
  params?: Params;
  /** Weight of the MLP challenger in a probability average with the champion (0 = champion alone). */
  blend?: number;
  /** Train hitters and pitchers apart. */
  perRole?: boolean;
  /** One model, but a Platt calibrator per role fitted on the stopping rows. */
  roleCalibration?: boolean;
}

async function evaluate(dataset: Dataset, v: Variant, train: number[], stop: number, test: number): Promise<void> {
  const ds = variantDataset(dataset, v.keep ?? (() => true), train.at(-1)!, stop === ASIDE ? 0.2 : 0, 11);
  const testIdx = rowsOf(ds, [test]);
  const y = labelsOf(ds, testIdx);
  const p = new Float64Array(testIdx.length);
  const groups = v.perRole ? (['hitting', 'pitching'] as const) : ([undefined] as const);
  for (const group of groups) {
    const part: Dataset = group ? { ...ds, rows: ds.rows.map((r) => (r.group === group ? r : { ...r, label: null })) } : ds;
    using champion = await trainChampion({ dataset: part, trainSeasons: train, validationSeason: stop, nthread: 2, ...(v.params ? { params: v.params } : {}) });
    const own = testIdx.flatMap((row, k) => (!group || ds.rows[row]!.group === group ? [k] : []));
    const matrix = takeRows(ds, own.map((k) => testIdx[k]!));
    let xgb = predictChampion(champion, matrix);
    if (v.roleCalibration) {
      const raw = (idx: number[]) => {
        using dm = new DMatrix({ data: takeRows(ds, idx), nrow: idx.length, ncol: ds.featureNames.length });
        return champion.booster.predict(dm);
      };
      const testRaw = raw(own.map((k) => testIdx[k]!));
      xgb = new Float64Array(own.length);
      for (const g of ['hitting', 'pitching'] as const) {
        const stopIdx = rowsOf(ds, [stop]).filter((i) => ds.rows[i]!.group === g);
        const cal = fitCalibrator('platt', raw(stopIdx), labelsOf(ds, stopIdx));
        own.forEach((k, j) => {
          if (ds.rows[testIdx[k]!]!.group === g) xgb[j] = calibrateAll(cal, [testRaw[j]!])[0]!;
        });
      }
    }
    let mlp: Float64Array | undefined;
    if (v.blend) mlp = (await trainMlp({ dataset: part, trainSeasons: train, validationSeason: stop })).predict(matrix);
    own.forEach((k, j) => (p[k] = mlp ? (1 - v.blend!) * xgb[j]! + v.blend! * mlp[j]! : xgb[j]!));
  }
  const s = score(y, p);
  const ci = bootstrapIntervals(y, { m: p }, testIdx.map((i) => ds.rows[i]!.playerId), { reps: 300, seed: 1 }).m;
  const role = (g: string) => {
    const idx = testIdx.flatMap((row, k) => (ds.rows[row]!.group === g ? [k] : []));
    return score(Float32Array.from(idx, (k) => y[k]!), Float64Array.from(idx, (k) => p[k]!));
  };
  const [h, q] = [role('hitting'), role('pitching')];
  console.log(`${v.name.padEnd(34)} AUC ${s.rocAuc.toFixed(4)} [${ci.rocAuc.low.toFixed(3)}, ${ci.rocAuc.high.toFixed(3)}]  PR ${s.prAuc.toFixed(4)}  ` +
    `Brier ${s.brier.toFixed(5)}  LL ${s.logLoss.toFixed(4)}  | hit AUC ${h.rocAuc.toFixed(3)} Brier ${h.brier.toFixed(4)} | pit AUC ${q.rocAuc.toFixed(3)} Brier ${q.brier.toFixed(4)}`);
}

const { values } = parseArgs({ options: { cache: { type: 'string' }, final: { type: 'boolean', default: false }, only: { type: 'string' } } });
const h = await history(values.cache);
let last = -Infinity;
for (const l of h.lines) last = Math.max(last, l.season);
const dataset = buildDataset({ asOfSeasons: [2005, 2006, 2007], ...h, lastCompleteSeason: last });
console.log(`${dataset.rows.length} rows x ${dataset.featureNames.length} features`);

/** XGBoost's monotone_constraints string for the dataset's columns: -1 where a larger value never raises the odds. */
function monotone(names: readonly string[], decreasing: readonly string[]): string {
  return `(${names.map((n) => (decreasing.includes(n) ? -1 : 0)).join(',')})`;
}
const NEW = new Set(['left_censored', 'prior_season_gap', 'seasons_since_last_line', 'in_season_climb', 'share_at_level']);
const PROMOTION = new Set(['in_season_climb', 'share_at_level']);
const variants: Variant[] = [
  { name: 'before: 65 features', keep: (n) => !NEW.has(n) },
  { name: 'all features' },
  { name: 'all but in-season promotion', keep: (n) => !PROMOTION.has(n) },
  { name: 'all, depth 4', params: { max_depth: 4 } },
  { name: 'all, depth 4, min_child_weight 5', params: { max_depth: 4, min_child_weight: 5 } },
  { name: 'all, blend 0.5 MLP', blend: 0.5 },
  { name: 'all, per role', perRole: true },
  { name: 'all, calibration per role', roleCalibration: true },
  { name: 'all, calibration per role, blend 0.5', roleCalibration: true, blend: 0.5 },
  { name: 'all, monotone age_rel_level', params: { monotone_constraints: monotone(dataset.featureNames, ['age_rel_level']) } },
  { name: 'all, monotone age_rel_level+age', params: { monotone_constraints: monotone(dataset.featureNames, ['age_rel_level', 'age']) } },
  { name: 'all, blend 0.3 MLP', blend: 0.3 },
  { name: 'all, blend 0.7 MLP', blend: 0.7 },
];
const chosen = values.only ? variants.filter((v) => v.name.includes(values.only!)) : variants;
const final = values.final;
for (const v of chosen) {
  if (final) await evaluate(dataset, v, [2005], 2006, 2007);
  else await evaluate(dataset, v, [2005], ASIDE, 2006);
}
