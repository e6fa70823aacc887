// The data-quality circuit breaker end to end: a sample source whose whole pitching group lacks battersFaced, the real
// runPipeline (backfill children, then publishing) on the test Temporal server and database. The pipeline must fail
// with DataQualityBreach naming the field, load nothing of the broken batches, and never reach features, training
// or publishing; the alert must reach the log and the worker's Prometheus endpoint; a re-run after the source is
// fixed must load everything.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, REPO_ROOT, type Config } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import { startSampleServer, type SampleServer } from '../sources/sample/server.ts';
import { generateUniverse, type UniverseOptions } from '../sources/sample/universe.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { startFaultProxy } from '../test/fault-proxy.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import type { backfillHistory } from './backfill-history.ts';
import type { runPipeline } from './run-pipeline.ts';

const SEASONS = { fromSeason: 2016, toSeason: 2021 } as const;
const UNIVERSE: UniverseOptions = { seed: 11, fromSeason: 2011, toSeason: 2021, scale: 0.1 };

describe('the data-quality circuit breaker, through the real pipeline', () => {
  let db: TestDatabase;
  let pool: Pool;
  let config: Config;
  let server: SampleServer;
  let client: Client;
  let connection: Connection;
  const logLines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write: (chunk: Buffer, _e, done) => {
        for (const line of chunk.toString().split('\n'))
          if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const metricsPort = 19_500 + (process.pid % 400);
  const workflowId = `breaker-pipeline-${Date.now()}`;
  let failure: unknown;
  let metrics = '';

  const withWorker = <T>(mlbBaseUrl: string, work: (taskQueue: string) => Promise<T>): Promise<T> =>
    withPipelineWorker('breaker', { pool, config, log, mlbBaseUrl }, work);

  beforeAll(async () => {
    db = await createTestDatabase();
    config = loadConfig({ DATABASE_URL: db.url, METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, LOG_LEVEL: 'warn' });
    pool = createPool(db.url);
    server = await startSampleServer({
      universe: generateUniverse({ ...UNIVERSE, missingField: { group: 'pitching', field: 'battersFaced' } }),
    });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
    failure = await withWorker(server.url, async (taskQueue) => {
      const outcome = await client.workflow
        .execute<typeof runPipeline>('runPipeline', { taskQueue, workflowId, args: [SEASONS] })
        .then(
          () => null,
          (e: unknown) => e,
        );
      // Read while the worker (and so its Prometheus endpoint) is up.
      metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
        (r) => r.text(),
        (e: unknown) => String(e),
      );
      return outcome;
    });
  }, 300_000);

  afterAll(async () => {
    await connection?.close();
    await server?.close();
    await pool?.end();
    await db?.drop();
  });

  const count = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0]?.n);

  it('fails the pipeline non-retryably with DataQualityBreach, naming cells, counts, field and reason', () => {
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    const breach = cause as ApplicationFailure;
    expect(breach.type).toBe('DataQualityBreach');
    expect(breach.nonRetryable).toBe(true);
    // Every season breaches (its pitching half is gone), the lead seasons included.
    expect(breach.message).toMatch(/^data-quality breach in 11 of 11 seasons; nothing of those seasons was loaded\./);
    expect(breach.message).toMatch(
      /2016 MLB pitching: (\d[\d,]*) of \1 rows quarantined \(100%\), dominant reason: missing field stat\.battersFaced/,
    );
    expect(breach.message).toContain('npm run quarantine -- --batch ');
  });

  it('loads nothing of a breached batch, keeps its quarantine with cell, field and rule, and marks it breached', async () => {
    expect(await count('SELECT count(*) AS n FROM player_season_stats')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM players')).toBe(0);
    const { rows: batches } = await db.pool.query<{
      status: string;
      finished_at: Date | null;
      rows_loaded: number;
      rows_quarantined: number;
      breached: boolean;
    }>(
      "SELECT status, finished_at, rows_loaded, rows_quarantined, (quality->>'breached')::boolean AS breached FROM ingest_batches",
    );
    expect(batches).toHaveLength(11);
    for (const b of batches)
      expect(b).toMatchObject({ status: 'breached', finished_at: null, rows_loaded: 0, breached: true });
    const pitching = await count("SELECT count(*) AS n FROM quarantine WHERE stat_group = 'pitching'");
    expect(pitching).toBeGreaterThan(100);
    expect(
      await count(
        "SELECT count(*) AS n FROM quarantine WHERE stat_group = 'pitching' AND field = 'stat.battersFaced' AND rule = 'missing_field'",
      ),
    ).toBe(pitching);
    expect(await count("SELECT count(*) AS n FROM quarantine WHERE season IS NULL AND entity = 'season_line'")).toBe(0);
  });

  it('runs nothing downstream: no features, no model, no predictions, no publish child', async () => {
    for (const table of [
      'feature_snapshots',
      'player_features',
      'models',
      'prediction_runs',
      'predictions',
      'ranking_snapshots',
    ]) {
      expect(await count(`SELECT count(*) AS n FROM ${table}`), table).toBe(0);
    }
    await expect(client.workflow.getHandle(`${workflowId}/publish`).describe()).rejects.toThrow(/not found/i);
  });

  it('raises the alert: a quarantine-spike log line per breached season and the Prometheus gauge', async () => {
    const alerts = logLines.filter((l) => l.alert === 'quarantine-spike');
    expect(alerts.map((a) => a.season).sort()).toEqual([
      2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021,
    ]);
    expect(String(alerts[0]?.msg)).toContain('missing field stat.battersFaced');
    expect(metrics).toMatch(/afwd_quarantine_spike\{[^}]*season="2016"[^}]*\} 1/);
    expect(metrics).toMatch(/afwd_quarantine_share\{[^}]*group="pitching"[^}]*level="MLB"[^}]*season="2016"[^}]*\} 1/);
  });

  it('lets an operator inspect it (npm run quarantine -- --batch <id> or --season: by cell, field and reason, with samples) and mark it resolved', async () => {
    const { rows } = await db.pool.query<{ batch_id: string }>(
      'SELECT batch_id FROM ingest_batches WHERE season = 2016',
    );
    const batchId = rows[0]?.batch_id;
    const cli = async (...args: string[]) =>
      (
        await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'bin', 'quarantine.ts'), ...args], {
          env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
        })
      ).stdout;
    const stdout = await cli('--batch', String(batchId));
    expect(stdout).toContain(`batch ${batchId}  season 2016  mlb-stats-api  breached (not finished)`);
    expect(stdout).toMatch(
      /BREACH: data-quality breach: 2016 \S+ pitching: \d+ of \d+ rows quarantined \(100%\), dominant reason: missing field stat\.battersFaced/,
    );
    expect(stdout).toMatch(/\n +\d+ {2}2016 MLB pitching: missing field stat\.battersFaced\n/);
    // A sample row: its reason and its raw split, in which battersFaced is indeed absent.
    expect(stdout).toMatch(
      /shape: pitchingSplit shape: stat\.battersFaced: expected a count \(number or numeric string\), missing/,
    );
    expect(stdout).toContain('re-validates from the landing zone');

    const bySeason = await cli('--season', '2016');
    expect(bySeason).toContain(`batch ${batchId}  season 2016`);
    const resolved = await cli('--batch', String(batchId), '--resolve', 'test: source fixed');
    const open = await count(
      `SELECT count(*) AS n FROM quarantine WHERE batch_id = ${batchId} AND resolved_at IS NULL`,
    );
    expect(open).toBe(0);
    expect(resolved).toMatch(/^Marked [1-9]\d* quarantined rows of batch \d+ resolved\./);
  });

  it('trips on a stats page that stays broken after retries (its lines would be silently missing)', async () => {
    // Scale 0.5 makes two pages of 2,000 hitting lines; the second stays malformed, so fetchSeason quarantines it.
    const big = await startSampleServer({
      universe: generateUniverse({ seed: 11, fromSeason: 2017, toSeason: 2017, scale: 0.5 }),
    });
    const proxy = await startFaultProxy(
      big.url,
      [
        {
          match: (u) => u.startsWith('/api/v1/stats') && u.includes('group=hitting') && u.includes('offset=2000'),
          kind: 'malformed',
          times: Infinity,
        },
      ],
      2_000,
    );
    try {
      const outcome = await withWorker(proxy.url, (taskQueue) =>
        client.workflow
          .execute<typeof backfillHistory>('backfillHistory', {
            taskQueue,
            workflowId: `${workflowId}-lost-page`,
            args: [{ fromSeason: 2017, toSeason: 2017, mlbLeadSeasons: 0 }],
          })
          .then(
            () => null,
            (e: unknown) => e,
          ),
      );
      expect(proxy.injected.length).toBeGreaterThan(0);
      const cause = (outcome as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('DataQualityBreach');
      expect(cause.message).toMatch(
        /season 2017, batch \d+: data-quality breach: 1 stats response lost after retries, so their lines are missing \(http:\/\/[^ ]+\/api\/v1\/stats\?[^ ]*group=hitting[^ ]*offset=2000/,
      );
    } finally {
      await proxy.close();
      await big.close();
    }
  });

  it('trips on a group the source sends no line of at all (500 hitting lines and 0 pitching lines is not a clean season)', async () => {
    const silent = await startSampleServer({
      universe: generateUniverse({ seed: 11, fromSeason: 2017, toSeason: 2017, scale: 0.1, noSplitsOf: 'pitching' }),
    });
    try {
      const outcome = await withWorker(silent.url, (taskQueue) =>
        client.workflow
          .execute<typeof backfillHistory>('backfillHistory', {
            taskQueue,
            workflowId: `${workflowId}-no-pitching`,
            args: [{ fromSeason: 2017, toSeason: 2017, mlbLeadSeasons: 0 }],
          })
          .then(
            () => null,
            (e: unknown) => e,
          ),
      );
      const cause = (outcome as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('DataQualityBreach');
      expect(cause.message).toMatch(
        /season 2017, batch \d+: data-quality breach: 2017 MLB pitching: no lines at all; 2017 AAA pitching: no lines at all; /,
      );
      expect(cause.message).toMatch(/batch: \d+ of [1-9][\d,]* rows quarantined/);
      // Its hitting lines were sound, and still nothing of the batch was loaded.
      expect(await count('SELECT count(*) AS n FROM player_season_stats WHERE season = 2017')).toBe(0);
      const { rows } = await db.pool.query<{ status: string }>(
        'SELECT status FROM ingest_batches WHERE season = 2017 ORDER BY batch_id DESC LIMIT 1',
      );
      expect(rows).toEqual([{ status: 'breached' }]);
    } finally {
      await silent.close();
    }
  });

  it('after the source is fixed, a re-run with --refresh loads every season (placeholder birth dates unknown and flagged, lines kept); the breached batches stay on record', async () => {
    // The fixed source answers on the same port, so its URLs are the ones the landing zone holds.
    const port = Number(new URL(server.url).port);
    await server.close();
    // Fixed, but every 10th player's bio carries the placeholder birth date 1950-01-01, as in the real feed.
    server = await startSampleServer({
      universe: generateUniverse({ ...UNIVERSE, placeholderBirthDateEvery: 10 }),
      port,
    });
    const progress = await withWorker(server.url, (taskQueue) =>
      client.workflow.execute<typeof backfillHistory>('backfillHistory', {
        taskQueue,
        workflowId: `${workflowId}-rerun`,
        args: [{ ...SEASONS, refresh: true }],
      }),
    );
    expect(progress.breaches).toEqual([]);
    expect(progress.seasonsDone).toBe(11);
    expect(progress.rowsQuarantined / progress.rowsFetched).toBeLessThan(0.01);
    expect(await count("SELECT count(*) AS n FROM player_season_stats WHERE stat_group = 'pitching'")).toBeGreaterThan(
      100,
    );
    expect(await count("SELECT count(DISTINCT season) AS n FROM ingest_batches WHERE status = 'breached'")).toBe(11);
    expect(
      await count("SELECT count(*) AS n FROM ingest_batches WHERE status = 'loaded' AND finished_at IS NOT NULL"),
    ).toBe(11);
    // Placeholder birth dates: unknown in the bios, flagged once per player, and their lines loaded, not quarantined.
    const placeholders = await count('SELECT count(*) AS n FROM players WHERE player_id % 10 = 0');
    expect(placeholders).toBeGreaterThan(20);
    expect(await count('SELECT count(*) AS n FROM players WHERE player_id % 10 = 0 AND birth_date IS NOT NULL')).toBe(
      0,
    );
    expect(await count('SELECT count(*) AS n FROM players WHERE player_id % 10 <> 0 AND birth_date IS NULL')).toBe(0);
    expect(
      await count(
        "SELECT count(DISTINCT entity_id) AS n FROM data_flags WHERE rule = 'placeholder_birth_date' AND value->>'birthDate' = '1950-01-01'",
      ),
    ).toBe(placeholders);
    expect(await count('SELECT count(*) AS n FROM player_season_stats WHERE player_id % 10 = 0')).toBeGreaterThan(
      placeholders / 2,
    );
  }, 180_000);
});
