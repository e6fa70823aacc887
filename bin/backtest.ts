/**
 * `npm run backtest -- --train-to 2016 --test-from 2017 --test-to 2020 [--json] [--out file.csv]`: a backtest on
 * whatever history the database holds (train before --train-to, stop and calibrate on it, test after it);
 * `--rolling --test-from 2014 --test-to 2018` runs one origin per test season instead and pools them. Prints the
 * metrics with bootstrap intervals (a table on stdout, or with --json pure JSON on stdout and progress on stderr)
 * and writes each scored row, every model's probability and the role to a CSV whose path it prints. No model learns
 * from a player who has a row in the test seasons. Labels read seasons up to the newest both in the database and over.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadHistory } from '../db/history.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { openDatabase } from '../infra/database.ts';
import { ConfigError, dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { lastCompleteSeason } from '../lib/season-calendar.ts';
import {
  BACKTEST_SPLITS,
  BacktestError,
  BLEND_CHALLENGER_WEIGHT,
  MODEL_NAMES,
  runBacktest,
  runRollingBacktest,
  type BacktestReport,
  type BacktestSplit,
  type RollingBacktestReport,
  type ScoredRow,
  type ScoreSummary,
} from '../training/backtest.ts';
import { buildDataset } from '../training/dataset.ts';
import type { Scores } from '../training/metrics.ts';
import { runMain } from './main.ts';

const USAGE =
  'usage: npm run backtest -- (--train-to 2016 | --rolling) --test-from 2017 --test-to 2020 [--json] [--out file.csv] [--reps 1000] [--seed 1] [--split seasons|player-disjoint|player-grouped]';

function season(flag: string, value: string | undefined): number {
  if (value === undefined) throw new ConfigError(`--${flag} is required; ${USAGE}`);
  const n = Number(value);
  if (!/^\d{4}$/.test(value.trim()) || !Number.isInteger(n))
    throw new ConfigError(`--${flag} must be a season like 2016, got "${value}"; ${USAGE}`);
  return n;
}

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new ConfigError(`--${flag} must be a whole number, got "${value}"; ${USAGE}`);
  return n;
}

/** One line per scored row: the champion's probability first (`probability`), then the challenger's and the baselines'. */
function toCsv(rows: readonly ScoredRow[]): string {
  const others = MODEL_NAMES.filter((n) => n !== 'model');
  const lines = rows.map((r) =>
    [
      r.playerId,
      r.asOfSeason,
      r.group === 'hitting' ? 'hitter' : 'pitcher',
      r.label,
      ...['model' as const, ...others].map((n) => r.probabilities[n].toFixed(6)),
    ].join(','),
  );
  return `player_id,as_of_season,role,label,probability,${others.join(',')}\n${lines.join('\n')}\n`;
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function scoreTable(title: string, scores: Record<string, Scores>, intervals?: ScoreSummary['intervals']): string[] {
  const first = Object.values(scores)[0];
  const head = `${title}: ${first?.rows ?? 0} prospects, ${first?.positives ?? 0} successes`;
  const ci = (name: string, metric: 'rocAuc' | 'prAuc' | 'brier', digits: number) => {
    const i = intervals?.[name as keyof typeof intervals]?.[metric];
    return i ? ` [${fmt(i.low, digits)}, ${fmt(i.high, digits)}]` : '';
  };
  const lines = MODEL_NAMES.map((name) => {
    const s = scores[name]!;
    if (intervals) {
      return (
        `  ${name.padEnd(11)}${`${fmt(s.rocAuc, 3)}${ci(name, 'rocAuc', 3)}`.padStart(22)}${`${fmt(s.prAuc, 3)}${ci(name, 'prAuc', 3)}`.padStart(22)}` +
        `${`${fmt(s.brier, 4)}${ci(name, 'brier', 4)}`.padStart(26)}${fmt(s.logLoss, 4).padStart(9)}`
      );
    }
    return `  ${name.padEnd(11)}${fmt(s.rocAuc, 3).padStart(8)}${fmt(s.prAuc, 3).padStart(8)}${fmt(s.brier, 4).padStart(8)}${fmt(s.logLoss, 4).padStart(9)}`;
  });
  const header = intervals
    ? `  ${''.padEnd(11)}${'ROC-AUC [95% CI]'.padStart(22)}${'PR-AUC [95% CI]'.padStart(22)}${'Brier [95% CI]'.padStart(26)}${'log loss'.padStart(9)}`
    : `  ${''.padEnd(11)}${'ROC-AUC'.padStart(8)}${'PR-AUC'.padStart(8)}${'Brier'.padStart(8)}${'log loss'.padStart(9)}`;
  return [head, header, ...lines];
}

function reliabilityLines(summary: ScoreSummary): string[] {
  const out = [
    'Reliability of the model (all test rows):',
    `  ${'bin'.padEnd(11)}${'predicted'.padStart(10)}${'observed'.padStart(10)}${'rows'.padStart(8)}`,
  ];
  for (const b of summary.reliability) {
    out.push(
      `  ${`${b.from.toFixed(1)}-${b.to.toFixed(1)}`.padEnd(11)}${fmt(b.predicted, 3).padStart(10)}${fmt(b.observed, 3).padStart(10)}${String(b.count).padStart(8)}`,
    );
  }
  return out;
}

function summaryLines(title: string, summary: ScoreSummary): string[] {
  const out = [...scoreTable(title, summary.scores, summary.intervals), ''];
  for (const [role, s] of Object.entries(summary.perRole))
    out.push(...scoreTable(`${title}, ${role === 'hitting' ? 'hitters' : 'pitchers'}`, s.scores), '');
  return [...out, ...reliabilityLines(summary)];
}

function humanRolling(report: RollingBacktestReport, csvPath: string): string {
  const out = [
    'Rolling origins (each: train on the earlier seasons, early-stop and calibrate on the season before the test season, score the test season):',
  ];
  for (const o of report.origins) {
    out.push(
      `  test ${o.testSeason}: trained on ${o.trainSeasons.join(', ')}; stopped and calibrated on ${o.validationSeason}; ` +
        `${o.champion.bestIteration + 1} trees, ${o.champion.calibrator}` +
        (o.excluded.players ? `; without the ${o.excluded.players} test players` : ''),
    );
  }
  for (const s of report.skippedOrigins) out.push(`  Skipped origin ${s.season}: ${s.reason}`);
  out.push('');
  for (const o of report.origins) out.push(...scoreTable(`Test ${o.testSeason}`, o.scores), '');
  out.push(...summaryLines('All origins pooled', report.pooled), '', `Scored rows: ${csvPath}`);
  return out.join('\n');
}

function humanReport(report: BacktestReport, csvPath: string): string {
  const { champion, challenger } = report;
  const out = [
    `Trained on as-of seasons ${report.trainSeasons.join(', ')}; early-stopped and calibrated on ${report.validationSeason}; ` +
      `tested on ${report.testSeasons.join(', ')}, which neither saw; ` +
      (report.split === 'player-grouped'
        ? `scored on a random half of the players, learned from the other half (${report.excluded.players} players' ${report.excluded.rows} rows left out of learning), `
        : report.split === 'player-disjoint'
          ? `no model learned from the ${report.excluded.players} test players (their ${report.excluded.rows} rows in any season left out), `
          : "test players' earlier seasons may be among the training rows (--split player-grouped avoids that), ") +
      `the champion from ${report.champion.trainRows} training rows.`,
    `Champion: XGBoost, ${champion.bestIteration + 1} trees (early-stopped on the validation cohort), scale_pos_weight ${champion.scalePosWeight.toFixed(2)}, ` +
      `${champion.calibrator} calibration, trained in ${champion.trainSeconds.toFixed(1)} s. ` +
      `Challenger: MLP, best epoch ${challenger.bestEpoch + 1} of ${challenger.epochs}, ${challenger.trainSeconds.toFixed(1)} s.`,
    `Blend: ${1 - BLEND_CHALLENGER_WEIGHT} x model + ${BLEND_CHALLENGER_WEIGHT} x challenger (scored here; the site serves the model). ` +
      'Baselines: levelAge = logistic regression on level and age relative to level; draftPick = on the overall pick alone.',
    ...report.skippedSeasons.map((s) => `Skipped ${s.season}: ${s.reason}.`),
    '',
  ];
  for (const s of report.perSeason) out.push(...scoreTable(`As of ${s.season}`, s.scores), '');
  out.push(...summaryLines('Overall', report.overall), '', `Scored rows: ${csvPath}`);
  return out.join('\n');
}

await runMain(async (stack) => {
  const { values } = parseArgs({
    options: {
      'train-to': { type: 'string' },
      'test-from': { type: 'string' },
      'test-to': { type: 'string' },
      json: { type: 'boolean', default: false },
      rolling: { type: 'boolean', default: false },
      split: { type: 'string', default: 'seasons' },
      out: { type: 'string' },
      reps: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const rolling = values.rolling;
  const split = values.split as BacktestSplit;
  if (!BACKTEST_SPLITS.includes(split))
    throw new ConfigError(`--split must be one of ${BACKTEST_SPLITS.join(', ')}, got "${values.split}"; ${USAGE}`);
  if (rolling && values['train-to'] !== undefined)
    throw new ConfigError(`--rolling sets the training range of each origin itself; drop --train-to. ${USAGE}`);
  const trainTo = rolling ? Number.NaN : season('train-to', values['train-to']);
  const testFrom = season('test-from', values['test-from']);
  const testTo = season('test-to', values['test-to']);
  const bootstrap = { reps: count('reps', values.reps, 1000), seed: count('seed', values.seed, 1) };
  if (bootstrap.reps < 1) throw new ConfigError(`--reps must be at least 1; ${USAGE}`);
  const config = loadConfig();
  // Stdout carries the result only (pure JSON with --json); logs and progress go to stderr.
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'backtest', toStderr: true });
  const progress = (note: string) => {
    if (!values.json) console.error(note);
  };

  progress('Loading the history from the database...');
  const database = await openDatabase(config, log);
  stack.push('database', () => database.close());
  const history = await loadHistory(database.pool);
  if (history.lines.length === 0) {
    throw new PrerequisiteError(
      'The database holds no season lines: load some first (npm run backfill -- --from 2010 --to 2025).',
    );
  }
  // A loop, not Math.min(...seasons): spreading 100,000+ lines as arguments overflows the stack.
  let [first, last] = [Infinity, -Infinity];
  for (const l of history.lines) {
    first = Math.min(first, l.season);
    last = Math.max(last, l.season);
  }
  // Labels read nothing after the last season both present and over: in July the current season is in the database
  // half played, and counting it as complete would close the T-4 cohort's window on a partial season.
  const complete = Math.min(last, lastCompleteSeason(new Date(), config.seasonCalendar));
  if (complete < first)
    throw new PrerequisiteError(`The database holds seasons ${first}-${last}, none of them over yet.`);
  const asOfSeasons = Array.from({ length: complete - first + 1 }, (_, i) => first + i);
  progress(`Building features for as-of seasons ${first}-${complete} (${history.lines.length} season lines)...`);
  const dataset = buildDataset({ asOfSeasons, ...history, lastCompleteSeason: complete });

  const onProgress = (s: string) => progress(`${s[0]!.toUpperCase()}${s.slice(1)}...`);
  const nthread = config.xgboost.nthread;
  let report: BacktestReport | RollingBacktestReport;
  try {
    report = rolling
      ? await runRollingBacktest({
          dataset,
          testSeasons: Array.from({ length: Math.max(0, testTo - testFrom + 1) }, (_, i) => testFrom + i),
          nthread,
          onProgress,
          bootstrap,
          split,
          splitSeed: bootstrap.seed,
        })
      : await runBacktest({
          dataset,
          trainTo,
          testFrom,
          testTo,
          nthread,
          onProgress,
          bootstrap,
          split,
          splitSeed: bootstrap.seed,
        });
  } catch (error) {
    if (error instanceof BacktestError) throw new PrerequisiteError(error.message);
    throw error;
  }

  const name = rolling ? `rolling-${testFrom}-${testTo}` : `${trainTo}-${testFrom}-${testTo}`;
  const csvPath = path.resolve(
    values.out ?? path.join(dataPaths(config).artifacts, 'backtests', `backtest-${name}-${Date.now()}.csv`),
  );
  await mkdir(path.dirname(csvPath), { recursive: true });
  await writeFile(csvPath, toCsv(report.rows));
  if (values.json) {
    const { rows: _rows, ...metrics } = report;
    process.stdout.write(`${JSON.stringify({ ...metrics, csv: csvPath }, null, 2)}\n`);
  } else {
    console.log('origins' in report ? humanRolling(report, csvPath) : humanReport(report, csvPath));
  }
});
