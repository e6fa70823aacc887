import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { promisify } from 'node:util';
import { REPO_ROOT, dataPaths, loadConfig } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';
import { startSampleSource, type SampleSource } from '../infra/sample-source.ts';
import { serveSite } from '../site/serve.ts';
import { launchChromium, pagefindSearch } from '../test/browser.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import type { PublishRankingsResult, publishRankings } from './publish-rankings.ts';
import type { PipelineResult, runPipeline } from './run-pipeline.ts';
import type { weeklyRetraining } from './weekly-retraining.ts';

const run = promisify(execFile);

// The whole spine with real parts: Temporal dev server, PostgreSQL, the sample source over HTTP, XGBoost, Astro, Pagefind.
describe('runPipeline on the real server and database', () => {
  let dataDir: string;
  let db: TestDatabase;
  let pool: Pool;
  let source: SampleSource;
  let result: PipelineResult;
  let retrained: PublishRankingsResult;
  let inSeason: PublishRankingsResult;
  let preseason: PublishRankingsResult;
  const workflowId = `test-pipeline-${Date.now()}`;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'afwd-pipeline-'));
    db = await createTestDatabase();
    const config = loadConfig({
      AFWD_DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.03',
      SAMPLE_FROM_SEASON: '2015',
      SAMPLE_TO_SEASON: '2022',
      XGBOOST_ROUNDS: '60',
      LOG_LEVEL: 'warn',
    });
    const log = createLogger({ level: 'warn' });
    pool = createPool(db.url);
    source = await startSampleSource(config.sample, log);
    const taskQueue = `pipeline-test-${process.pid}`;
    const { worker, connection: workerConnection } = await createPipelineWorker({
      address: inject('temporalAddress'),
      namespace: 'default',
      taskQueue,
      deps: { pool, config, log, mlbBaseUrl: source.url },
    });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({ connection });
    result = await worker.runUntil(async () => {
      const first = await client.workflow.execute<typeof runPipeline>('runPipeline', {
        taskQueue,
        workflowId,
        args: [{ fromSeason: 2015, toSeason: 2022 }],
      });
      // The same data published as if on 15 July 2022 (season in progress), then on 10 March 2023 for a 2023 with
      // no line yet: labels and rankings must come from finished seasons only.
      const publishAsOf = (id: string, toSeason: number, today: string) =>
        client.workflow.execute<typeof publishRankings>('publishRankings', {
          taskQueue,
          workflowId: `${workflowId}-${id}`,
          args: [{ fromSeason: 2015, toSeason, retrain: false, today }],
        });
      inSeason = await publishAsOf('july', 2022, '2022-07-15');
      preseason = await publishAsOf('march', 2023, '2023-03-10');
      // A week later: retrain on the same data; the candidate must beat the champion to serve.
      retrained = await client.workflow.execute<typeof weeklyRetraining>('weeklyRetraining', {
        taskQueue,
        workflowId: `${workflowId}-weekly`,
        args: [{ fromSeason: 2015, season: 2022 }],
      });
      return first;
    });
    await connection.close();
    await workerConnection.close();
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await source?.close();
    await pool?.end();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ingests every season and accounts for every row: fetched = loaded + quarantined + merged', async () => {
    const b = result.backfill;
    expect(b.seasonsDone).toBe(8 + 5);
    expect(b.rowsLoaded).toBeGreaterThan(1000);
    expect(b.rowsFetched).toBe(b.rowsLoaded + b.rowsQuarantined + b.duplicatesMerged);
    const { rows } = await pool.query(
      `SELECT sum(rows_fetched)::int AS fetched, sum(rows_loaded)::int AS loaded, sum(rows_quarantined)::int AS quarantined
       FROM ingest_batches WHERE run_key LIKE $1`,
      [`${workflowId}/%`],
    );
    expect(rows[0]).toEqual({ fetched: b.rowsFetched, loaded: b.rowsLoaded, quarantined: b.rowsQuarantined });
    const { rows: q } = await pool.query(
      `SELECT count(*)::int AS n FROM quarantine q JOIN ingest_batches b USING (batch_id)
       WHERE q.entity = 'season_line' AND b.run_key LIKE $1`,
      [`${workflowId}/%`],
    );
    expect(q[0].n).toBe(b.rowsQuarantined);
  });

  it("stores predictions whose SHAP contributions add up to the model's log-odds, calibrated monotonically", async () => {
    const { rows } = await pool.query(
      'SELECT probability, raw_probability, base_value, shap FROM predictions WHERE prediction_run_id = $1 ORDER BY raw_probability',
      [result.predictionRunId],
    );
    expect(rows).toHaveLength(result.prospects);
    let previous = -1;
    for (const r of rows) {
      const margin = r.base_value + (r.shap as number[]).reduce((a, b) => a + b, 0);
      expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(r.raw_probability, 3);
      // Calibration may flatten but never reverse the model's order.
      expect(r.probability).toBeGreaterThanOrEqual(previous - 1e-6);
      previous = r.probability;
    }
  });

  it('registers every model, and promotes a retrained one only by beating the champion on the same holdout', async () => {
    const { rows: models } = await pool.query(
      'SELECT model_version, status, artifact_path FROM models ORDER BY created_at',
    );
    expect(models).toHaveLength(2);
    // Each model's files sit in its own attempt's folder, which its row names once they are all written.
    for (const m of models) {
      expect(m.artifact_path).toBe(path.join(dataDir, 'artifacts', 'models', m.model_version, 'a1'));
      expect((await readdir(m.artifact_path)).sort()).toEqual([
        `${m.model_version}.calibration.json`,
        `${m.model_version}.ensemble.bin`,
        `${m.model_version}.eta.ubj`,
        `${m.model_version}.ubj`,
      ]);
    }
    const { rows: events } = await pool.query(
      'SELECT model_version, event, reason FROM model_events ORDER BY event_id',
    );
    expect(events[0]).toMatchObject({
      model_version: result.modelVersion,
      event: 'promoted',
      reason: 'no champion yet',
    });
    const second = events.find((e) => e.model_version !== result.modelVersion);
    expect(['promoted', 'kept-as-candidate']).toContain(second?.event);
    expect(second?.reason).toMatch(/AUC [\d.]+ vs [\d.]+, Brier [\d.]+ vs [\d.]+ on \d+ rows/);
    const champion = models.find((m) => m.status === 'champion')?.model_version;
    expect(retrained.modelVersion).toBe(champion);
    expect(champion).toBe(second?.event === 'promoted' ? second.model_version : result.modelVersion);
    const { rows: notes } = await pool.query(
      'SELECT count(*)::int AS n FROM notifications WHERE ranking_snapshot_id = $1',
      [retrained.rankingSnapshotId],
    );
    expect(notes[0].n).toBe(retrained.rankMoves);
  });

  it('monitors each published day: drift of the scored rows against the training rows; no live outcome known yet', async () => {
    const { rows: days } = await pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, prediction_run_id, drift_status, psi_max, training_rows, scoring_rows FROM monitoring_days ORDER BY day`,
    );
    // The first run and the weekly retraining share today's date: the later one replaced the day.
    expect(days.map((d) => d.day)).toEqual(['2022-07-15', '2023-03-10', new Date().toISOString().slice(0, 10)]);
    expect(days[0].prediction_run_id).toBe(inSeason.predictionRunId);
    expect(days[2].prediction_run_id).toBe(retrained.predictionRunId);
    for (const d of days) {
      expect(d).toMatchObject({ drift_status: 'measured' });
      expect(d.training_rows).toBeGreaterThan(0);
      expect(d.psi_max).toBeGreaterThanOrEqual(0);
    }
    expect(days[0].scoring_rows).toBe(inSeason.prospects);
    const { rows: drift } = await pool.query(`SELECT count(*)::int AS n FROM feature_drift WHERE day = '2022-07-15'`);
    const { rows: model } = await pool.query(
      'SELECT cardinality(feature_names) AS n FROM models WHERE model_version = $1',
      [inSeason.modelVersion],
    );
    expect(drift[0].n).toBe(model[0].n);
    // Every prediction so far is of a cohort whose four-season window is still open: recorded as not enough data.
    const { rows: calibration } = await pool.query(
      'SELECT serving, status, outcomes, reason FROM live_calibration ORDER BY day',
    );
    expect(calibration).toHaveLength(3);
    for (const c of calibration) expect(c).toMatchObject({ serving: true, status: 'not-enough-data', outcomes: 0 });
    // The served site's methodology page shows the day's drift table and says no outcome is known yet.
    const methodology = await readFile(path.join(retrained.siteDir, 'methodology', 'index.html'), 'utf8');
    expect(methodology).toContain('id="monitoring-heading"');
    expect(methodology).toContain('Feature drift on');
    expect(methodology).toContain('<strong>Not enough outcomes yet</strong>');
  });

  it('in season, labels no cohort from the season in progress and ranks the last full season; in March too', async () => {
    const labelled = async (snapshotId: string, season: number) =>
      (
        await pool.query<{ known: number; rows: number }>(
          `SELECT count(label)::int AS known, count(*)::int AS rows FROM player_features WHERE snapshot_id = $1 AND as_of_season = $2`,
          [snapshotId, season],
        )
      ).rows[0]!;
    // 15 July 2022: 2022 is half played, so the 2018 cohort (window 2019-2022) stays unlabelled, not 0...
    expect(inSeason.scoringSeason).toBe(2021);
    expect(await labelled(inSeason.featureSnapshotId, 2018)).toMatchObject({ known: 0 });
    expect((await labelled(inSeason.featureSnapshotId, 2018)).rows).toBeGreaterThan(0);
    expect((await labelled(inSeason.featureSnapshotId, 2017)).known).toBeGreaterThan(0);
    const { rows: snapshots } = await pool.query('SELECT as_of_seasons FROM feature_snapshots WHERE snapshot_id = $1', [
      inSeason.featureSnapshotId,
    ]);
    expect(snapshots[0].as_of_seasons).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021]);
    // ...while the run after the season (the test machine's clock is past October 2022) labels it.
    expect(result.scoringSeason).toBe(2022);
    const after = await labelled(result.featureSnapshotId, 2018);
    expect(after.known).toBe(after.rows);
    // In season the rankings score the last full season's rows, with the model that serves.
    const { rows: runs } = await pool.query(
      'SELECT as_of_season, count(*)::int AS n FROM predictions WHERE prediction_run_id = $1 GROUP BY 1',
      [inSeason.predictionRunId],
    );
    expect(runs).toEqual([{ as_of_season: 2021, n: inSeason.prospects }]);
    // March 2023, before any 2023 line exists: ranked from 2022 instead of failing with NoProspects.
    expect(preseason.scoringSeason).toBe(2022);
    expect(preseason.prospects).toBe(result.prospects);
  });

  it('backtests from the command line on what the database holds, beside the baselines', async () => {
    const out = path.join(dataDir, 'backtest.csv');
    const { stdout } = await run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'backtest.ts'),
        '--train-to',
        '2017',
        '--test-from',
        '2018',
        '--test-to',
        '2018',
        '--json',
        '--out',
        out,
      ],
      {
        env: { ...process.env, DATABASE_URL: db.url, AFWD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      },
    );
    const report = JSON.parse(stdout) as {
      overall: { scores: Record<string, { rocAuc: number; brier: number }> };
      testSeasons: number[];
      csv: string;
    };
    expect(report.testSeasons).toEqual([2018]);
    for (const name of ['model', 'challenger', 'levelAge', 'draftPick'])
      expect(report.overall.scores[name]?.brier).toBeGreaterThan(0);
    expect(report.csv).toBe(out);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('player_id,as_of_season,role,label,probability,challenger,blend,levelAge,draftPick');
    expect(lines.length).toBeGreaterThan(50);
  }, 300_000);

  it('publishes a site that lists the prospects and switches the served folder to it', async () => {
    const config = loadConfig({ AFWD_DATA_DIR: dataDir });
    // The latest publish (the weekly retraining's) is the one served.
    expect(await readlink(dataPaths(config).siteCurrent)).toBe(retrained.siteDir);
    const html = await readFile(path.join(retrained.siteDir, 'index.html'), 'utf8');
    const { rows } = await pool.query(
      'SELECT pl.full_name FROM predictions p JOIN players pl USING (player_id) WHERE prediction_run_id = $1 ORDER BY rank LIMIT 20',
      [retrained.predictionRunId],
    );
    for (const r of rows) expect(html).toContain(escapeHtml(r.full_name));
  });

  it('finds a prospect by part of his name through the Pagefind index', async () => {
    const { rows } = await pool.query(
      'SELECT pl.full_name FROM predictions p JOIN players pl USING (player_id) WHERE prediction_run_id = $1 ORDER BY rank LIMIT 1',
      [retrained.predictionRunId],
    );
    const name: string = rows[0].full_name;
    const lastName = name.split(' ').at(-1)!;
    const server = await serveSite({ root: retrained.siteDir });
    try {
      const hits = await pagefindSearch(browser, server.url, lastName.slice(0, Math.max(4, lastName.length - 2)));
      expect(hits.map((h) => h.title).join(' | ')).toContain(name);
    } finally {
      await server.close();
    }
  });
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&#39;')
    .replace(/"/g, '&quot;');
}
