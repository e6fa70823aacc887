/**
 * Benchmarks of the model: training the 1,000-tree champion configuration on the full sample universe (and the same
 * library driven from Python on the same matrix, when Debian's python3-xgboost is installed), batch inference with
 * exact SHAP for every current prospect, and one prediction with its explanation (the API's path).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';
import { buildDataset } from '../training/dataset.ts';
import { score } from '../training/metrics.ts';
import {
  CHAMPION_PARAMS,
  CHAMPION_ROUNDS,
  labelsOf,
  predictChampion,
  rowsOf,
  takeRows,
  trainChampion,
} from '../training/model.ts';
import { Booster, DMatrix } from '../training/xgboost.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { universeHistory } from '../sources/sample/history.ts';

const NTHREAD = 2;
const PYTHON = '/usr/bin/python3';

function pythonHasXgboost(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

export async function benchTraining(): Promise<void> {
  const universe = generateUniverse({ seed: 1, scale: 1, fromSeason: 2010, toSeason: 2026 });
  const history = universeHistory(universe);
  const seasons = Array.from({ length: 17 }, (_, i) => 2010 + i);
  let started = performance.now();
  const dataset = buildDataset({ ...history, asOfSeasons: seasons, lastCompleteSeason: 2026 });
  console.log(
    `    features: ${dataset.rows.length} rows x ${dataset.featureNames.length} features in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const trainSeasons = seasons.filter((s) => s <= 2021);
  const trainIdx = rowsOf(dataset, trainSeasons);
  const matrix = takeRows(dataset, trainIdx);
  const labels = labelsOf(dataset, trainIdx);
  const width = dataset.featureNames.length;
  const params = { ...CHAMPION_PARAMS, nthread: NTHREAD };

  started = performance.now();
  {
    using train = new DMatrix({ data: matrix, nrow: trainIdx.length, ncol: width, labels });
    using booster = Booster.train({ train, params, rounds: CHAMPION_ROUNDS });
    void booster;
  }
  const tsSeconds = (performance.now() - started) / 1000;
  console.log(
    `    ${CHAMPION_ROUNDS} trees, depth 6, eta 0.01, hist, ${NTHREAD} threads, ${trainIdx.length} x ${width}: ${tsSeconds.toFixed(1)} s (TypeScript, koffi)`,
  );
  if (pythonHasXgboost()) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'afwd-bench-py-'));
    try {
      await writeFile(path.join(dir, 'x.f32'), matrix);
      await writeFile(path.join(dir, 'y.f32'), labels);
      const pyParams = { ...params, eval_metric: ['logloss', 'auc'] };
      const out = JSON.parse(
        execFileSync(
          PYTHON,
          [
            path.join(REPO_ROOT, 'bench', 'train.py'),
            path.join(dir, 'x.f32'),
            path.join(dir, 'y.f32'),
            String(trainIdx.length),
            String(width),
            String(CHAMPION_ROUNDS),
            JSON.stringify(pyParams),
          ],
          { encoding: 'utf8' },
        ),
      ) as { seconds: number; version: string };
      console.log(
        `    same matrix from Python (xgboost ${out.version}): ${out.seconds.toFixed(1)} s; ratio TypeScript/Python ${(tsSeconds / out.seconds).toFixed(2)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    console.log("    Python comparison skipped: install Debian's python3-xgboost to print the ratio");
  }

  // Three disjoint sets of seasons: train to 2020 (the sample has no 2020 minor-league season, so to 2019), early-stop
  // and calibrate on 2021, and measure on 2022, the newest cohort whose 4-season outcome window is closed by 2026.
  started = performance.now();
  using champion = await trainChampion({
    dataset,
    trainSeasons: seasons.filter((s) => s <= 2020),
    validationSeason: 2021,
    nthread: NTHREAD,
  });
  const heldOut = rowsOf(dataset, [2022]);
  const heldOutScores = score(labelsOf(dataset, heldOut), predictChampion(champion, takeRows(dataset, heldOut)));
  console.log(
    `    champion (early stopping at ${champion.bestIteration + 1} trees, calibration): ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `held-out 2022 (${heldOut.length} prospects, unseen by training, stopping and calibration) ROC-AUC ${heldOutScores.rocAuc.toFixed(3)}, Brier ${heldOutScores.brier.toFixed(4)}`,
  );

  const current = rowsOf(dataset, [2026], false);
  const currentMatrix = takeRows(dataset, current);
  started = performance.now();
  {
    using dm = new DMatrix({ data: currentMatrix, nrow: current.length, ncol: width });
    champion.booster.predict(dm);
    champion.booster.contributions(dm);
  }
  console.log(
    `    batch inference with exact SHAP for ${current.length} current prospects: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const row = currentMatrix.subarray((i % current.length) * width, ((i % current.length) + 1) * width);
    const t = performance.now();
    using dm = new DMatrix({ data: row, nrow: 1, ncol: width });
    champion.booster.predict(dm);
    const contributions = champion.booster.contributions(dm);
    Array.from(contributions.subarray(0, width))
      .map((c, j) => [j, c] as const)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, 5);
    times.push(performance.now() - t);
  }
  console.log(
    `    one prediction with its SHAP explanation: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms (500 calls)`,
  );
}
