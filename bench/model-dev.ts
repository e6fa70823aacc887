/**
 * The model-development loop on real data, offline: `DATABASE_URL=... node bench/model-dev.ts [--cache file.json]
 * [--final]`. Reads the history once from the database (then from the cache file), builds the features with the
 * current code, and scores model variants on the development seasons only: train on 2005 (a fifth of its players
 * held aside to early-stop and calibrate), score 2006. The 2007 test season is touched only with `--final`, which runs
 * the real backtest split (train 2005, stop and calibrate 2006, test 2007) for the chosen configuration.
 * Prints one line per variant; choices recorded in docs/model.md come from here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadHistory, type History } from '../db/history.ts';
import { bootstrapIntervals } from '../training/bootstrap.ts';
import { buildDataset, type Dataset } from '../training/dataset.ts';
import type { TeamLeague } from '../training/league-norms.ts';
import { score, type Scores } from '../training/metrics.ts';
import {
  runBacktest,
  runRollingBacktest,
  type BacktestSplit,
  type ModelName,
  type ScoreSummary,
} from '../training/backtest.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { universeHistory } from '../sources/sample/history.ts';
import { trainMlp } from '../training/mlp.ts';
import { labelsOf, monotoneConstraints, predictChampion, rowsOf, takeRows, trainChampion } from '../training/model.ts';
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

/**
 * The leagues of a teams folder (`teams/{season}.json.gz` of ../shared/realdata), for a history cached before the
 * database held leagues; ready-made histories carry them from `affiliates.league`.
 */
function leaguesOf(dir: string): TeamLeague[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json\.gz$/.test(f))
    .flatMap((f) => {
      const body = JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString('utf8')) as {
        teams: { id: number; season: number; league?: { name?: string } }[];
      };
      return body.teams.flatMap((t) =>
        t.league?.name ? [{ teamId: t.id, season: t.season, league: t.league.name }] : [],
      );
    });
}

/** The dataset restricted to some columns (an ablation), and with rows of `season` split by player into `ASIDE`. */
function variantDataset(
  dataset: Dataset,
  keep: (name: string) => boolean,
  asideSeason: number,
  share: number,
  seed: number,
): Dataset {
  const cols = dataset.featureNames.flatMap((n, i) => (keep(n) ? [i] : []));
  const width = dataset.featureNames.length;
  const matrix = new Float32Array(dataset.rows.length * cols.length);
  for (let r = 0; r < dataset.rows.length; r++)
    cols.forEach((c, j) => (matrix[r * cols.length + j] = dataset.matrix[r * width + c]!));
  const random = mulberry32(seed);
  const rows = dataset.rows.map((row) =>
    row.asOfSeason === asideSeason && random() < share ? { ...row, asOfSeason: ASIDE } : row,
  );
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
    const part: Dataset = group
      ? { ...ds, rows: ds.rows.map((r) => (r.group === group ? r : { ...r, label: null })) }
      : ds;
    using champion = await trainChampion({
      dataset: part,
      trainSeasons: train,
      validationSeason: stop,
      nthread: 2,
      ...(v.params ? { params: v.params } : {}),
    });
    const own = testIdx.flatMap((row, k) => (!group || ds.rows[row]!.group === group ? [k] : []));
    const matrix = takeRows(
      ds,
      own.map((k) => testIdx[k]!),
    );
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
  const ci = bootstrapIntervals(
    y,
    { m: p },
    testIdx.map((i) => ds.rows[i]!.playerId),
    { reps: 300, seed: 1 },
  ).m;
  const role = (g: string) => {
    const idx = testIdx.flatMap((row, k) => (ds.rows[row]!.group === g ? [k] : []));
    return score(
      Float32Array.from(idx, (k) => y[k]!),
      Float64Array.from(idx, (k) => p[k]!),
    );
  };
  const [h, q] = [role('hitting'), role('pitching')];
  console.log(
    `${v.name.padEnd(34)} AUC ${s.rocAuc.toFixed(4)} [${ci.rocAuc.low.toFixed(3)}, ${ci.rocAuc.high.toFixed(3)}]  PR ${s.prAuc.toFixed(4)}  ` +
      `Brier ${s.brier.toFixed(5)}  LL ${s.logLoss.toFixed(4)}  | hit AUC ${h.rocAuc.toFixed(3)} Brier ${h.brier.toFixed(4)} | pit AUC ${q.rocAuc.toFixed(3)} Brier ${q.brier.toFixed(4)}`,
  );
}

const { values } = parseArgs({
  options: {
    cache: { type: 'string' },
    teams: { type: 'string' },
    final: { type: 'boolean', default: false },
    only: { type: 'string' },
    sample: { type: 'boolean', default: false },
    csv: { type: 'string' },
    split: { type: 'string', default: 'seasons' },
  },
});
if (values.sample) {
  // Several origins on the full-scale sample universe (seed 5), which has seasons enough for them.
  const universe = generateUniverse({ seed: 5, scale: 1, fromSeason: 2010, toSeason: 2024 });
  const sample = buildDataset({
    asOfSeasons: Array.from({ length: 15 }, (_, i) => 2010 + i),
    ...universeHistory(universe),
    lastCompleteSeason: 2024,
  });
  const report = await runRollingBacktest({
    dataset: sample,
    testSeasons: [2014, 2015, 2016, 2017, 2018, 2019],
    nthread: 2,
    bootstrap: { reps: 1000, seed: 1 },
    split: values.split as BacktestSplit,
  });
  for (const o of report.origins) {
    const m = o.scores.model;
    console.log(
      `test ${o.testSeason} (train ${o.trainSeasons[0]}-${o.trainSeasons.at(-1)}, stop/calibrate ${o.validationSeason}, ` +
        `without ${o.excluded.players} players' ${o.excluded.rows} rows): n ${m.rows} pos ${m.positives} ` +
        Object.entries(o.scores)
          .map(([n, sc]) => `${n} AUC ${sc.rocAuc.toFixed(3)} PR ${sc.prAuc.toFixed(3)} Brier ${sc.brier.toFixed(4)}`)
          .join(' | '),
    );
  }
  for (const s of report.skippedOrigins) console.log(`skipped ${s.season}: ${s.reason}`);
  const { scores, intervals, perRole, reliability } = report.pooled;
  for (const [n, sc] of Object.entries(scores)) {
    const i = intervals![n as ModelName];
    console.log(
      `pooled ${n.padEnd(10)} n ${sc.rows} AUC ${sc.rocAuc.toFixed(3)} [${i.rocAuc.low.toFixed(3)}, ${i.rocAuc.high.toFixed(3)}] PR ${sc.prAuc.toFixed(3)} [${i.prAuc.low.toFixed(3)}, ${i.prAuc.high.toFixed(3)}] Brier ${sc.brier.toFixed(4)} [${i.brier.low.toFixed(4)}, ${i.brier.high.toFixed(4)}]`,
    );
  }
  for (const [role, r] of Object.entries(perRole))
    console.log(
      `pooled ${role}: model AUC ${r.scores.model.rocAuc.toFixed(3)} Brier ${r.scores.model.brier.toFixed(4)}; blend AUC ${r.scores.blend.rocAuc.toFixed(3)} Brier ${r.scores.blend.brier.toFixed(4)}`,
    );
  console.log(
    `reliability: ${reliability.map((b) => `${b.from.toFixed(1)}-${b.to.toFixed(1)} ${b.predicted.toFixed(3)}/${b.observed.toFixed(3)} (${b.count})`).join('; ')}`,
  );
  process.exit(0);
}
const h = await history(values.cache);
if (values.teams) h.leagues = leaguesOf(values.teams);
console.log(`${h.leagues?.length ?? 0} team-seasons with a league`);
let last = -Infinity;
for (const l of h.lines) last = Math.max(last, l.season);
const dataset = buildDataset({ asOfSeasons: [2005, 2006, 2007], ...h, lastCompleteSeason: last });
console.log(`${dataset.rows.length} rows x ${dataset.featureNames.length} features`);

const LEAGUE = new Set([
  'age_rel_league',
  'hit_k_rate_rel_league',
  'hit_bb_rate_rel_league',
  'hit_iso_rel_league',
  'pit_k_rate_rel_league',
  'pit_bb_rate_rel_league',
  'pit_hr_rate_rel_league',
]);
const NEW = new Set([
  ...LEAGUE,
  'left_censored',
  'prior_season_gap',
  'seasons_since_last_line',
  'in_season_climb',
  'share_at_level',
  'pit_bf_per_game',
  'pit_k_bb_w3',
]);
const PROMOTION = new Set(['in_season_climb', 'share_at_level']);
const WORKLOAD = new Set(['pit_bf_per_game', 'pit_k_bb_w3']);
const variants: Variant[] = [
  { name: 'before: 65 features', keep: (n) => !NEW.has(n) },
  { name: 'all features' },
  { name: 'all but vs league', keep: (n) => !LEAGUE.has(n) },
  { name: 'all but rates vs league', keep: (n) => !LEAGUE.has(n) || n === 'age_rel_league' },
  { name: 'all but age vs league', keep: (n) => n !== 'age_rel_league' },
  { name: 'all but in-season promotion', keep: (n) => !PROMOTION.has(n) && !WORKLOAD.has(n) },
  { name: 'all but pitcher workload and K-BB', keep: (n) => !WORKLOAD.has(n) },
  { name: 'all, depth 4', params: { max_depth: 4 } },
  { name: 'all, depth 4, min_child_weight 5', params: { max_depth: 4, min_child_weight: 5 } },
  { name: 'all, blend 0.5 MLP', blend: 0.5 },
  { name: 'all, per role', perRole: true },
  { name: 'all, calibration per role', roleCalibration: true },
  { name: 'all, calibration per role, blend 0.5', roleCalibration: true, blend: 0.5 },
  {
    name: 'all, monotone age_rel_level',
    params: { monotone_constraints: monotoneConstraints(dataset.featureNames, ['age_rel_level']) ?? '' },
  },
  {
    name: 'all, monotone age_rel_level+age',
    params: { monotone_constraints: monotoneConstraints(dataset.featureNames, ['age_rel_level', 'age']) ?? '' },
  },
  { name: 'all, blend 0.3 MLP', blend: 0.3 },
  { name: 'all, blend 0.7 MLP', blend: 0.7 },
];
if (values.final) {
  // The chosen configuration, as `npm run backtest -- --train-to 2006 --test-from 2007 --test-to 2007` runs it.
  const report = await runBacktest({
    dataset,
    trainTo: 2006,
    testFrom: 2007,
    testTo: 2007,
    nthread: 2,
    bootstrap: { reps: 1000, seed: 1 },
    split: values.split as BacktestSplit,
  });
  const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const table = (title: string, scores: Record<string, Scores>, ci?: ScoreSummary['intervals']) => {
    console.log(title);
    for (const [name, sc] of Object.entries(scores)) {
      const i = ci?.[name as keyof typeof ci];
      const band = (m: 'rocAuc' | 'prAuc' | 'brier') => (i ? ` [${fmt(i[m].low)}, ${fmt(i[m].high)}]` : '');
      console.log(
        `  ${name.padEnd(11)} n ${sc.rows} pos ${sc.positives}  AUC ${fmt(sc.rocAuc)}${band('rocAuc')}  PR ${fmt(sc.prAuc)}${band('prAuc')}  Brier ${fmt(sc.brier)}${band('brier')}  LL ${fmt(sc.logLoss)}`,
      );
    }
  };
  if (values.csv)
    await writeFile(
      values.csv,
      report.rows
        .map((r) => `${r.playerId},${r.group},${r.label},${r.probabilities.model},${r.probabilities.blend}`)
        .join('\n'),
    );
  console.log(
    `train ${report.trainSeasons.join(', ')}, stop and calibrate ${report.validationSeason}, test ${report.testSeasons.join(', ')}; ` +
      `${report.champion.bestIteration + 1} trees, ${report.champion.calibrator}; ${report.champion.trainRows} training rows, ` +
      `without ${report.excluded.players} players' ${report.excluded.rows} rows (${report.split} split)`,
  );
  table('overall', report.overall.scores, report.overall.intervals);
  for (const [role, r] of Object.entries(report.overall.perRole)) table(role, r.scores);
  for (const [role, r] of [['all', report.overall] as const, ...Object.entries(report.overall.perRole)]) {
    console.log(
      `reliability ${role}: ${r.reliability.map((b) => `${b.from.toFixed(1)}-${b.to.toFixed(1)} ${fmt(b.predicted, 3)}/${fmt(b.observed, 3)} (${b.count})`).join('; ')}`,
    );
  }
} else {
  const chosen = values.only ? variants.filter((v) => v.name.includes(values.only!)) : variants;
  for (const v of chosen) await evaluate(dataset, v, [2005], ASIDE, 2006);
}
