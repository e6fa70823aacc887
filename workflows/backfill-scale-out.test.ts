/**
 * Scale out: several worker processes (bin/worker.ts, as `npm run worker` runs on each machine) poll one task queue
 * and share one backfill; the result must equal a single worker's, season by season and row by row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, loadConfig, type Config } from '../lib/config.ts';
import { createPool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { startSampleSource, type SampleSource } from '../infra/sample-source.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import type { BackfillInput, backfillHistory } from './backfill-history.ts';

const WORKERS = 3;
// Two MLB-only lead seasons and three full ones: enough children (three at a time) to spread over the workers.
const INPUT: BackfillInput = { fromSeason: 2017, toSeason: 2019, mlbLeadSeasons: 2 };
const SEASONS = [2015, 2016, 2017, 2018, 2019];

/** Per season: the row count, the distinct primary keys, and a checksum of the loaded values (not batch ids or times). */
const SEASON_DIGEST = `
  SELECT season::int, count(*)::int AS rows,
         count(DISTINCT (player_id, sport_id, stat_group))::int AS keys,
         md5(string_agg(concat_ws('|', player_id, sport_id, stat_group, team_id, games, hits, home_runs, base_on_balls,
                                  hit_by_pitch, strike_outs, plate_appearances, at_bats, outs, batters_faced, earned_runs),
                        ',' ORDER BY player_id, sport_id, stat_group)) AS checksum
  FROM player_season_stats GROUP BY season ORDER BY season`;

describe('a backfill shared by several worker processes', () => {
  let shared: TestDatabase;
  let reference: TestDatabase;
  let source: SampleSource;
  let config: Config;
  let connection: Connection;
  let client: Client;
  const workers: ChildProcess[] = [];
  const taskQueue = `scale-out-${Date.now()}`;

  beforeAll(async () => {
    [shared, reference] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    config = loadConfig({
      DATABASE_URL: reference.url,
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.02',
      SAMPLE_FROM_SEASON: '2015',
      SAMPLE_TO_SEASON: '2019',
    });
    source = await startSampleSource(config.sample, createLogger({ level: 'silent' }));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await connection?.close();
    await source?.close();
    await shared?.drop();
    await reference?.drop();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: shared.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        MLB_STATS_API_URL: source.url,
        // One Prometheus port per machine in production; here the processes share a host, so none.
        METRICS_ADDRESS: '',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  /** Every distinct `identity` (`pid@host`) that started an activity of the run's season children. */
  async function activityWorkers(workflowId: string): Promise<Set<string>> {
    const parent = await client.workflow.getHandle(workflowId).fetchHistory();
    const children = (parent.events ?? []).flatMap(
      (e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? [],
    );
    expect(children).toHaveLength(SEASONS.length);
    const identities = new Set<string>();
    for (const child of children) {
      const history = await client.workflow.getHandle(child).fetchHistory();
      for (const e of history.events ?? []) {
        const identity = e.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.add(identity);
      }
    }
    return identities;
  }

  it("loads every season once, identical to a single worker's run, with activities spread over the processes", async () => {
    const children = Array.from({ length: WORKERS }, startWorker);
    // All of them polling before the run starts, so the first one up does not take every task alone.
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 250))) {
      // taskQueueType 2: the activity pollers, which are what share the seasons' work.
      const { pollers = [] } = await client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 2,
      });
      if (new Set(pollers.map((p) => p.identity)).size >= WORKERS) break;
      if (Date.now() > deadline) throw new Error(`only ${pollers.length} of ${WORKERS} workers polling after 60 s`);
    }

    const result = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: taskQueue,
      args: [INPUT],
    });
    expect(result.seasonsDone).toBe(SEASONS.length);
    expect(result.seasons.map((s) => s.season)).toEqual(SEASONS);
    for (const s of result.seasons) expect(s.rowsLoaded).toBeGreaterThan(0);
    expect(result.rowsFetched).toBe(result.rowsLoaded + result.rowsQuarantined + result.duplicatesMerged);

    const identities = await activityWorkers(taskQueue);
    const ours = new Set(children.map((c) => `${c.pid}@${hostname()}`));
    expect([...identities].every((id) => ours.has(id))).toBe(true);
    expect(identities.size).toBeGreaterThan(1);
    for (const w of workers) w.kill('SIGKILL');

    // The same run by one worker, in this process, into a database of its own.
    const referencePool = createPool(reference.url);
    const single = await withPipelineWorker(
      'scale-out-reference',
      { pool: referencePool, config, log: createLogger({ level: 'silent' }), mlbBaseUrl: source.url },
      (queue) =>
        client.workflow.execute<typeof backfillHistory>('backfillHistory', {
          taskQueue: queue,
          workflowId: queue,
          args: [INPUT],
        }),
    ).finally(() => referencePool.end());
    expect(result.rowsLoaded).toBe(single.rowsLoaded);
    expect(result.seasons).toEqual(single.seasons);

    const { rows: got } = await shared.pool.query(SEASON_DIGEST);
    const { rows: want } = await reference.pool.query(SEASON_DIGEST);
    expect(got.map((r) => r.season)).toEqual(SEASONS);
    for (const r of got) expect(r.keys).toBe(r.rows);
    expect(got).toEqual(want);
    expect(got.reduce((n, r) => n + r.rows, 0)).toBe(result.rowsLoaded);
    // One finished, unsuperseded batch per season: no season was loaded twice by two workers.
    const { rows: batches } = await shared.pool.query(
      `SELECT season, count(*) FILTER (WHERE finished_at IS NOT NULL)::int AS done,
              count(*) FILTER (WHERE finished_at IS NULL AND superseded_at IS NULL)::int AS dangling
       FROM ingest_batches GROUP BY season ORDER BY season`,
    );
    expect(batches).toHaveLength(SEASONS.length);
    for (const b of batches) expect(b).toMatchObject({ done: 1, dangling: 0 });
  }, 150_000);
});
