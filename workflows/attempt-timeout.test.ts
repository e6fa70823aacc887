import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import type { LoadResult } from '../activities/load-season.ts';
import { loadConfig, type Config } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { startSampleSource, type SampleSource } from '../infra/sample-source.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { startFaultProxy } from '../test/fault-proxy.ts';
import type { ingestWithDeadlines } from '../test/workflows/ingest-with-deadlines.ts';

const WORKFLOW = fileURLToPath(new URL('../test/workflows/ingest-with-deadlines.ts', import.meta.url));
const SEASON = 2018;
// The first hitting page answers only after this long: well past the attempt's heartbeat timeout.
const STALL_MS = 6_000;

// The data a season load leaves behind, without the ids of the batch that wrote it.
async function contents(db: TestDatabase) {
  const q = async (sql: string) => (await db.pool.query(sql)).rows;
  return {
    lines:
      await q(`SELECT season, player_id, sport_id, stat_group, team_id, games, hits, home_runs, base_on_balls, strike_outs,
                      plate_appearances, at_bats, outs, batters_faced, earned_runs FROM player_season_stats
                    ORDER BY season, player_id, sport_id, stat_group`),
    players: await q('SELECT player_id, full_name, birth_date, primary_position FROM players ORDER BY player_id'),
    affiliates: await q('SELECT team_id, season, sport_id, org_id FROM affiliates ORDER BY team_id, season'),
    picks: await q('SELECT player_id, year, round, pick_number FROM draft_picks ORDER BY player_id, year'),
    quarantine: await q(
      "SELECT entity, reason, payload::text FROM quarantine WHERE entity <> 'response' ORDER BY 1, 2, 3",
    ),
  };
}

const accounting = (r: LoadResult) => {
  const { batchId: _batch, writeMs: _ms, ...rest } = r;
  return rest;
};

// A fetch attempt timed out mid-flight against the real Temporal server and PostgreSQL: the retry must finish with
// exactly the rows of a clean run, and the timed-out attempt, when its late answer arrives, must write nothing.
describe('attempts timed out, waiting and cancelled mid-flight', () => {
  let clean: TestDatabase;
  let faulty: TestDatabase;
  let reference: { loaded: LoadResult };
  const extra: TestDatabase[] = [];
  let source: SampleSource;
  let config: Config;
  let connection: Connection;
  let workerConnection: NativeConnection;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    [clean, faulty] = [await createTestDatabase(), await createTestDatabase()];
    config = loadConfig({
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.02',
      SAMPLE_FROM_SEASON: '2016',
      SAMPLE_TO_SEASON: '2019',
      MLB_REQUEST_TIMEOUT_MS: '20000',
    });
    source = await startSampleSource(config.sample, log);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const first = await ingest(clean, source.url);
    reference = await first.worker.runUntil(first.run);
  }, 60_000);

  afterAll(async () => {
    await workerConnection?.close();
    await connection?.close();
    await source?.close();
    await clean?.drop();
    await faulty?.drop();
    for (const db of extra) await db.drop();
  });

  async function ingest(db: TestDatabase, mlbBaseUrl: string, fetchHeartbeatTimeout = '1 second') {
    const taskQueue = `deadline-${Date.now()}-${Math.random()}`;
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowsPath: WORKFLOW,
      activities: createActivities({ pool: db.pool, config, log, mlbBaseUrl }),
    });
    const client = new Client({ connection });
    const handle = await client.workflow.start<typeof ingestWithDeadlines>('ingestWithDeadlines', {
      taskQueue,
      workflowId: taskQueue,
      args: [{ season: SEASON, fetchHeartbeatTimeout, fetchStartToCloseTimeout: '1 minute' }],
    });
    return { worker, run: handle.result(), handle };
  }

  it('retries on a fresh batch, ends with the rows of a clean run, and fences out the late attempt', async () => {
    const proxy = await startFaultProxy(
      source.url,
      [{ match: (u) => u.includes('group=hitting') && u.includes('offset=0'), kind: 'late', times: 1 }],
      STALL_MS,
    );
    try {
      const second = await ingest(faulty, proxy.url);
      const result = await second.worker.runUntil(async () => {
        const done = await second.run;
        // Keep the worker (and so the timed-out attempt) alive until the stalled request has ended one way or the other.
        for (const deadline = Date.now() + 30_000; proxy.injected[0]?.outcome === 'pending' && Date.now() < deadline;) {
          await new Promise((r) => setTimeout(r, 100));
        }
        // Give the late attempt's write, if any, time to try.
        await new Promise((r) => setTimeout(r, 500));
        return done;
      });

      // Either the timed-out attempt heard of its timeout (the SDK flushes a throttled heartbeat and gets the news) and
      // aborted its request, or it did not and got the late answer: in both cases nothing of it may land after the retry.
      expect(proxy.injected).toHaveLength(1);
      expect(['answered', 'client-closed']).toContain(proxy.injected[0]!.outcome);
      // The retry wrote a batch of its own; the timed-out attempt's batch is superseded, unfinished, and holds
      // nothing it fetched after the retry started.
      const { rows: batches } = await faulty.pool.query(
        `SELECT batch_id, attempt, superseded_at, finished_at,
                (SELECT count(*)::int FROM raw_responses r WHERE r.batch_id = b.batch_id AND r.fetched_at >= b.superseded_at) AS late_writes,
                (SELECT count(*)::int FROM raw_responses r WHERE r.batch_id = b.batch_id AND r.url LIKE '%group=hitting%offset=0%') AS stalled_page
         FROM ingest_batches b ORDER BY attempt`,
      );
      expect(batches).toHaveLength(2);
      expect(batches[0]).toMatchObject({ attempt: 1, finished_at: null, late_writes: 0, stalled_page: 0 });
      expect(batches[0].superseded_at).not.toBeNull();
      expect(batches[1]).toMatchObject({ attempt: 2, superseded_at: null, stalled_page: 1 });
      expect(batches[1].finished_at).not.toBeNull();
      expect(result.fetched.batchId).toBe(batches[1].batch_id);
      // What the retry reused from its predecessor it did not ask the source for again.
      expect(result.fetched.responsesReused).toBeGreaterThan(0);

      expect(accounting(result.loaded)).toEqual(accounting(reference.loaded));
      expect(result.loaded.rowsLoaded).toBeGreaterThan(100);
      expect(await contents(faulty)).toEqual(await contents(clean));
    } finally {
      await proxy.close();
    }
  }, 120_000);

  const hittingFirstPage = (u: string) => u.includes('group=hitting') && u.includes('offset=0');

  it('heartbeats through a Retry-After longer than the heartbeat timeout, so the attempt is not timed out', async () => {
    const db = await createTestDatabase();
    extra.push(db);
    const proxy = await startFaultProxy(source.url, [
      { match: hittingFirstPage, kind: 'busy', retryAfterSeconds: 4, times: 1 },
    ]);
    try {
      const { worker, run } = await ingest(db, proxy.url, '2 seconds');
      const result = await worker.runUntil(run);
      expect(proxy.requests.filter(hittingFirstPage)).toHaveLength(2);
      const { rows: batches } = await db.pool.query('SELECT attempt FROM ingest_batches ORDER BY attempt');
      expect(batches).toEqual([{ attempt: 1 }]);
      expect(accounting(result.loaded)).toEqual(accounting(reference.loaded));
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('stops waiting at once when the run is cancelled during a backoff, and asks the source nothing more', async () => {
    const db = await createTestDatabase();
    extra.push(db);
    const proxy = await startFaultProxy(source.url, [
      { match: hittingFirstPage, kind: 'busy', retryAfterSeconds: 6, times: 1 },
    ]);
    try {
      // The SDK sends heartbeats at most every 80% of the heartbeat timeout, and a cancellation comes back on one.
      const { worker, run, handle } = await ingest(db, proxy.url, '2 seconds');
      const outcome = await worker.runUntil(async () => {
        for (const deadline = Date.now() + 20_000; proxy.injected.length === 0 && Date.now() < deadline;)
          await new Promise((r) => setTimeout(r, 50));
        // The fetch is now in its 6-second backoff, heartbeating every second: the cancellation reaches it there.
        await new Promise((r) => setTimeout(r, 300));
        await handle.cancel();
        const settled = await run.then(
          () => 'completed',
          (error: unknown) => error,
        );
        // Past the end of the backoff: a fetch that had not been stopped would have asked again by now.
        await new Promise((r) => setTimeout(r, 7_000));
        return settled;
      });
      expect(outcome).toBeInstanceOf(WorkflowFailedError);
      expect(proxy.requests.filter(hittingFirstPage)).toHaveLength(1);
      const { rows: batches } = await db.pool.query('SELECT attempt, finished_at FROM ingest_batches');
      expect(batches).toEqual([{ attempt: 1, finished_at: null }]);
      const { rows: lines } = await db.pool.query('SELECT count(*)::int AS n FROM player_season_stats');
      expect(lines[0].n).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
