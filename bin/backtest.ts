/**
 * `npm run backtest -- --train-to 2016 --test-from 2017 --test-to 2020 [--json] [--out file.csv]`: a rolling-origin
 * backtest on whatever history the database holds; prints the metrics (a table, or JSON with --json) and writes
 * each scored row to a CSV whose path it prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadHistory } from '../activities/history.ts';
import { PrerequisiteError } from '../infra/prerequisite-error.ts';
import { openDatabase } from '../infra/database.ts';
import { ConfigError, dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { BacktestError, MODEL_NAMES, runBacktest, type BacktestReport, type ScoredRow } from '../training/backtest.ts';
import { buildDataset } from '../training/dataset.ts';
import type { Scores } from '../training/metrics.ts';
import { runMain } from './main.ts';

const USAGE = 'usage: npm run backtest -- --train-to 2016 --test-from 2017 --test-to 2020 [--json] [--out file.csv]';

function season(flag: string, value: string | undefined): number {
  if (value === undefined) throw new ConfigError(`--${flag} is required; ${USAGE}`);
  const n = Number(value);
  if (!/^\d{4}$/.test(value.trim()) || !Number.isInteger(n)) throw new ConfigError(`--${flag} must be a season like 2016, got "${value}"; ${USAGE}`);
  return n;
}

function toCsv(rows: readonly ScoredRow[]): string {
  const lines = rows.map((r) => `${r.playerId},${r.asOfSeason},${r.probability.toFixed(6)},${r.label}`);
  return `player_id,as_of_season,probability,label\n${lines.join('\n')}\n`;
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function scoreTable(title: string, scores: Record<string, Scores>): string[] {
  const first = Object.values(scores)[0];
  const head = `${title}: ${first?.rows ?? 0} prospects, ${first?.positives ?? 0} successes`;
  const lines = MODEL_NAMES.map((name) => {
    const s = scores[name]!;
    return `  ${name.padEnd(11)}${fmt(s.rocAuc, 3).padStart(8)}${fmt(s.prAuc, 3).padStart(8)}${fmt(s.brier, 4).padStart(8)}${fmt(s.logLoss, 4).padStart(9)}`;
  });
  return [head, `  ${''.padEnd(11)}${'ROC-AUC'.padStart(8)}${'PR-AUC'.padStart(8)}${'Brier'.padStart(8)}${'log loss'.padStart(9)}`, ...lines];
}

function humanReport(report: BacktestReport, csvPath: string): string {
  const { champion, challenger } = report;
  const out = [
    `Trained on as-of seasons ${report.trainSeasons.join(', ')}; validated and calibrated on ${report.validationSeason}.`,
    `Champion: XGBoost, ${champion.bestIteration + 1} trees (early-stopped on the validation cohort), scale_pos_weight ${champion.scalePosWeight.toFixed(2)}, ` +
      `${champion.calibrator} calibration, trained in ${champion.trainSeconds.toFixed(1)} s. ` +
      `Challenger: MLP, best epoch ${challenger.bestEpoch + 1} of ${challenger.epochs}, ${challenger.trainSeconds.toFixed(1)} s.`,
    'Baselines: levelAge = logistic regression on level and age relative to level; draftPick = on the overall pick alone.',
    ...report.skippedSeasons.map((s) => `Skipped ${s.season}: ${s.reason}.`),
    '',
  ];
  for (const s of report.perSeason) out.push(...scoreTable(`As of ${s.season}`, s.scores), '');
  out.push(...scoreTable('Overall', report.overall.scores), '', 'Reliability of the model (overall):');
  out.push(`  ${'bin'.padEnd(11)}${'predicted'.padStart(10)}${'observed'.padStart(10)}${'rows'.padStart(8)}`);
  for (const b of report.overall.reliability) {
    out.push(`  ${`${b.from.toFixed(1)}-${b.to.toFixed(1)}`.padEnd(11)}${fmt(b.predicted, 3).padStart(10)}${fmt(b.observed, 3).padStart(10)}${String(b.count).padStart(8)}`);
  }
  out.push('', `Scored rows: ${csvPath}`);
  return out.join('\n');
}

await runMain(async (stack) => {
  const { values } = parseArgs({
    options: {
      'train-to': { type: 'string' },
      'test-from': { type: 'string' },
      'test-to': { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const trainTo = season('train-to', values['train-to']);
  const testFrom = season('test-from', values['test-from']);
  const testTo = season('test-to', values['test-to']);
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'backtest' });
  const progress = (note: string) => {
    if (!values.json) console.error(note);
  };

  progress('Loading the history from the database...');
  const database = await openDatabase(config, log);
  stack.push('database', () => database.close());
  const history = await loadHistory(database.pool);
  if (history.lines.length === 0) {
    throw new PrerequisiteError('The database holds no season lines: load some first (npm run backfill -- --from 2010 --to 2025).');
  }
  const seasons = history.lines.map((l) => l.season);
  const [first, last] = [Math.min(...seasons), Math.max(...seasons)];
  // The last season present counts as complete: a label needs its 4 following seasons, so it only closes windows.
  const asOfSeasons = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  progress(`Building features for as-of seasons ${first}-${last} (${history.lines.length} season lines)...`);
  const dataset = buildDataset({ asOfSeasons, ...history, lastCompleteSeason: last });

  let report: BacktestReport;
  try {
    report = await runBacktest({ dataset, trainTo, testFrom, testTo, nthread: config.xgboost.nthread, onProgress: (s) => progress(`${s[0]!.toUpperCase()}${s.slice(1)}...`) });
  } catch (error) {
    if (error instanceof BacktestError) throw new PrerequisiteError(error.message);
    throw error;
  }

  const csvPath = path.resolve(values.out ?? path.join(dataPaths(config).artifacts, 'backtests', `backtest-${trainTo}-${testFrom}-${testTo}-${Date.now()}.csv`));
  await mkdir(path.dirname(csvPath), { recursive: true });
  await writeFile(csvPath, toCsv(report.rows));
  if (values.json) {
    const { rows: _rows, ...metrics } = report;
    console.log(JSON.stringify({ ...metrics, csv: csvPath }, null, 2));
  } else {
    console.log(humanReport(report, csvPath));
  }
});
