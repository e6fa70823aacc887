import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { startSampleSource, type SampleSource } from '../infra/sample-source.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { startFaultProxy } from '../test/fault-proxy.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import type { BackfillInput, BackfillProgress, backfillHistory } from './backfill-history.ts';

// Real server, real database, the sample source over HTTP: what operators run, at a small scale.
describe('backfillHistory', () => {
  let db: TestDatabase;
  let appPool: Pool;
  let source: SampleSource;
  let config: Config;
  let connection: Connection;
  let client: Client;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
    config = loadConfig({
      DATABASE_URL: db.url,
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.02',
      SAMPLE_FROM_SEASON: '2016',
      SAMPLE_TO_SEASON: '2019',
      MLB_REQUEST_TIMEOUT_MS: '800',
      MLB_MAX_RETRIES: '2',
    });
    appPool = createPool(db.url);
    source = await startSampleSource(config.sample, log);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await connection?.close();
    await source?.close();
    await appPool?.end();
    await db?.drop();
  });

  // `during` runs beside the workflow, while the worker is up.
  const backfill = (
    input: BackfillInput,
    mlbBaseUrl = source.url,
    during?: () => Promise<void>,
  ): Promise<BackfillProgress> =>
    withPipelineWorker('backfill', { pool: appPool, config, log, mlbBaseUrl }, async (taskQueue) => {
      const [result] = await Promise.all([
        client.workflow.execute<typeof backfillHistory>('backfillHistory', {
          taskQueue,
          workflowId: taskQueue,
          args: [input],
        }),
        during?.(),
      ]);
      return result;
    });

  const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].n);

  it('loads every season once, and a re-run reads the landing zone and adds nothing', async () => {
    const first = await backfill({ fromSeason: 2016, toSeason: 2019 });
    expect(first.seasonsDone).toBe(9);
    expect(first.seasons.filter((s) => s.mlbOnly).map((s) => s.season)).toEqual([2011, 2012, 2013, 2014, 2015]);
    expect(first.rowsFetched).toBe(first.rowsLoaded + first.rowsQuarantined + first.duplicatesMerged);
    expect(first.httpRequests).toBeGreaterThan(20);
    expect(first.rowsNew).toBe(first.rowsLoaded);
    const lines = await count('SELECT count(*) AS n FROM player_season_stats');
    expect(lines).toBe(first.rowsLoaded);

    const again = await backfill({ fromSeason: 2016, toSeason: 2019 });
    expect(again.httpRequests).toBe(0);
    expect(again.responsesReused).toBeGreaterThan(0);
    expect(again.rowsNew).toBe(0);
    expect(again.rowsLoaded).toBe(first.rowsLoaded);
    expect(await count('SELECT count(*) AS n FROM player_season_stats')).toBe(lines);
  });

  it("finishes with the same rows when the database cuts the worker's connections mid-run", async () => {
    const before = await count('SELECT count(*) AS n FROM player_season_stats');
    let cuts = 0;
    const cutter = async () => {
      // Cut the application's connections (not this test's) a few times while the run is loading.
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const { rowCount } = await db.pool.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'afwd' AND pid <> pg_backend_pid()",
        );
        cuts += rowCount ?? 0;
      }
    };
    const result = await backfill({ fromSeason: 2016, toSeason: 2019 }, source.url, cutter);
    expect(cuts).toBeGreaterThan(0);
    expect(result.seasonsDone).toBe(9);
    expect(result.rowsFetched).toBe(result.rowsLoaded + result.rowsQuarantined + result.duplicatesMerged);
    expect(await count('SELECT count(*) AS n FROM player_season_stats')).toBe(before);
  });

  it('retries 500s, timeouts and garbled JSON, quarantines what stays broken, and still adds up', async () => {
    const proxy = await startFaultProxy(
      source.url,
      [
        { match: (u) => u.startsWith('/api/v1/teams') && u.includes('season=2017'), kind: '500', times: 2 },
        { match: (u) => u.startsWith('/api/v1/draft/2018'), kind: 'timeout', times: 1 },
        {
          match: (u) => u.startsWith('/api/v1/stats') && u.includes('season=2019') && u.includes('group=pitching'),
          kind: 'malformed',
          times: 1,
        },
        { match: (u) => u.startsWith('/api/v1/draft/2017'), kind: 'malformed', times: Infinity },
      ],
      2_000,
    );
    try {
      const result = await backfill({ fromSeason: 2016, toSeason: 2019, refresh: true, mlbLeadSeasons: 0 }, proxy.url);
      expect(proxy.injected.map((f) => f.kind)).toEqual(expect.arrayContaining(['500', 'timeout', 'malformed']));
      expect(result.seasonsDone).toBe(4);
      expect(result.responsesLost).toBe(1);
      expect(result.rowsFetched).toBe(result.rowsLoaded + result.rowsQuarantined + result.duplicatesMerged);
      const { rows } = await db.pool.query(
        "SELECT reason, payload->>'url' AS url FROM quarantine WHERE entity = 'response'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].url).toContain('/draft/2017');
      expect(rows[0].reason).toMatch(/not JSON/);
    } finally {
      await proxy.close();
    }
  });
});
