import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { startSampleSource, type SampleSource } from '../infra/sample-source.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import type { BackfillProgress, backfillHistory } from './backfill-history.ts';

// The worker runs as its own process (bin/worker.ts, as operators run it) so it can be killed for real.
describe('a backfill whose worker is killed', () => {
  let db: TestDatabase;
  let source: SampleSource;
  let connection: Connection;
  const workers: ChildProcess[] = [];
  const taskQueue = `kill-${Date.now()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.02',
      SAMPLE_FROM_SEASON: '2016',
      SAMPLE_TO_SEASON: '2019',
    });
    source = await startSampleSource(config.sample, createLogger({ level: 'silent' }));
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await connection?.close();
    await source?.close();
    await db?.drop();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        MLB_STATS_API_URL: source.url,
        // Slow enough that the kill lands mid-run.
        MLB_REQUESTS_PER_SECOND: '12',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  it('resumes after SIGKILL without redoing finished seasons or duplicating rows', async () => {
    const client = new Client({ connection });
    const first = startWorker();
    const handle = await client.workflow.start<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: taskQueue,
      args: [{ fromSeason: 2016, toSeason: 2019 }],
    });
    let before: BackfillProgress | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      before = await handle.query<BackfillProgress>('progress').catch(() => undefined);
      if (before && before.seasonsDone >= 2) break;
    }
    expect(before?.seasonsDone).toBeGreaterThanOrEqual(2);
    expect(before?.seasonsDone).toBeLessThan(9);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const finishedBeforeKill = before!.seasons.map((s) => s.season);

    startWorker();
    const result = await handle.result();
    expect(result.seasonsDone).toBe(9);
    expect(result.rowsFetched).toBe(result.rowsLoaded + result.rowsQuarantined + result.duplicatesMerged);
    // One finished batch per season: finished seasons were not fetched again; an interrupted fetch left its attempt's
    // batch unfinished and superseded by the retry's, which reused what it had landed.
    const { rows: batches } = await db.pool.query(
      `SELECT season, count(*) FILTER (WHERE finished_at IS NOT NULL)::int AS done,
              count(*) FILTER (WHERE finished_at IS NULL AND superseded_at IS NULL)::int AS dangling
       FROM ingest_batches GROUP BY season ORDER BY season`,
    );
    expect(batches).toHaveLength(9);
    for (const b of batches) expect(b).toMatchObject({ done: 1, dangling: 0 });
    const { rows: lines } = await db.pool.query('SELECT count(*)::int AS n FROM player_season_stats');
    expect(lines[0].n).toBe(result.rowsLoaded);
    expect(finishedBeforeKill.length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
