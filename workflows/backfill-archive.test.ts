import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { startRecordedSource, type RecordedSource } from '../infra/recorded-source.ts';
import { writeTinyArchive, type TinyArchive } from '../sources/archive/test-archive.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import {
  backfillWorkflowId,
  type BackfillInput,
  type BackfillProgress,
  type backfillHistory,
} from './backfill-history.ts';

// The real client and backfill against the recorded-archive server (what `npm run backfill -- --source DIR` runs),
// into an empty database. The worker's own source is a dead address: the run's sourceUrl must carry the archive.
describe('backfillHistory from a recorded archive (--source)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-backfill-archive-'));
  let tiny: TinyArchive;
  let db: TestDatabase;
  let appPool: Pool;
  let config: Config;
  let source: RecordedSource;
  let connection: Connection;
  let client: Client;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    tiny = writeTinyArchive(root);
    db = await createTestDatabase();
    config = loadConfig({
      DATABASE_URL: db.url,
      ARCHIVE_PORT: '0',
      MLB_REQUEST_TIMEOUT_MS: '2000',
      MLB_MAX_RETRIES: '1',
    });
    appPool = createPool(db.url);
    source = await startRecordedSource({ kind: 'directory', dir: tiny.dir }, config.mlb, log);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await connection?.close();
    await source?.close();
    await appPool?.end();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const backfill = (input: BackfillInput, pool: Pool = appPool): Promise<BackfillProgress> =>
    withPipelineWorker('backfill-archive', { pool, config, log, mlbBaseUrl: 'http://127.0.0.1:1' }, (taskQueue) =>
      client.workflow.execute<typeof backfillHistory>('backfillHistory', {
        taskQueue,
        workflowId: `${backfillWorkflowId(input)}-${taskQueue}`,
        args: [input],
      }),
    );

  const lines = async (where = 'true') =>
    (
      await db.pool.query<{ sport_id: number; n: number }>(
        `SELECT sport_id, count(*)::int AS n FROM player_season_stats WHERE ${where} GROUP BY 1 ORDER BY 1`,
      )
    ).rows.map((r) => [r.sport_id, r.n]);

  it('with --levels 12, still loads the major-league lines (the outcomes), and only Double-A of the minors', async () => {
    const r = await backfill({
      fromSeason: 2006,
      toSeason: 2006,
      mlbLeadSeasons: 1,
      sportIds: [12],
      sourceUrl: source.url,
    });
    expect(r.seasonsDone).toBe(2);
    expect(r.responsesLost).toBe(0);
    expect(await lines('season = 2005')).toEqual([[1, 2]]);
    // 1003 hits and pitches in AA; 1005's two team rows fold into his aggregate.
    expect(await lines('season = 2006')).toEqual([
      [1, 2],
      [12, 3],
    ]);
    expect(r.rowsFetched).toBe(r.rowsLoaded + r.rowsQuarantined + r.duplicatesMerged);
    expect(r.duplicatesMerged).toBe(2);
  });

  it('loads every level into an empty season, answers the draft with no rounds, and a re-run costs no request', async () => {
    const full = await backfill({ fromSeason: 2006, toSeason: 2006, mlbLeadSeasons: 1, sourceUrl: source.url });
    const fetched = Object.values(tiny.splits).reduce((a, b) => a + b, 0);
    expect(full.rowsFetched).toBe(fetched);
    expect(full.rowsQuarantined).toBe(0);
    expect(full.rowsLoaded + full.duplicatesMerged).toBe(fetched);
    expect(await lines('season = 2006')).toEqual([
      [1, 2],
      [11, 2],
      [12, 3],
      [14, 2],
      [16, 2],
    ]);
    const { rows: players } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM players');
    expect(players[0]?.n).toBe(8);
    // Every URL names the archive by content, so the landing zone keeps it apart from any other source.
    const { rows: urls } = await db.pool.query<{ url: string }>('SELECT DISTINCT url FROM raw_responses');
    expect(urls.length).toBeGreaterThan(5);
    for (const { url } of urls) expect(url.startsWith(`${source.url}/api/v1/`)).toBe(true);
    expect(urls.some(({ url }) => url.endsWith('/api/v1/draft/2006'))).toBe(true);
    const { rows: lost } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM quarantine WHERE entity = 'response'",
    );
    expect(lost[0]?.n).toBe(0);

    const again = await backfill({ fromSeason: 2006, toSeason: 2006, mlbLeadSeasons: 1, sourceUrl: source.url });
    expect(again.httpRequests).toBe(0);
    expect(again.rowsNew).toBe(0);
    expect(again.rowsLoaded).toBe(full.rowsLoaded);
  });

  it('fails a season the archive does not hold at once, naming it, instead of loading it empty or retrying', async () => {
    const started = Date.now();
    const error = await backfill({ fromSeason: 2007, toSeason: 2007, mlbLeadSeasons: 0, sourceUrl: source.url }).catch(
      (e: unknown) => e,
    );
    const chain: string[] = [];
    for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
      chain.push(String(e.message));
    expect(chain.join(' <- ')).toContain('season 2007 hitting: GET');
    expect(chain.join(' <- ')).toContain('season 2007 hitting is not recorded in the archive');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rebuilds the same rows into another empty database by replaying this landing zone (landing:<url>), without the archive', async () => {
    const rebuilt = await createTestDatabase();
    const rebuiltPool = createPool(rebuilt.url);
    // The archive server is closed first: every answer must come from the first database's landing zone.
    const archiveUrl = source.url;
    await source.close();
    const replay = await startRecordedSource(
      { kind: 'landing', databaseUrl: db.url, origin: archiveUrl },
      config.mlb,
      log,
    );
    try {
      expect(replay.url).toMatch(/\/landing\/[0-9a-f]{12}$/);
      const r = await backfill(
        { fromSeason: 2006, toSeason: 2006, mlbLeadSeasons: 1, sourceUrl: replay.url },
        rebuiltPool,
      );
      expect(r.responsesLost).toBe(0);
      expect(r.httpRequests).toBeGreaterThan(5);
      const snapshot = async (pool: Pool) =>
        (
          await pool.query(
            'SELECT player_id, season, sport_id, stat_group, team_id, hits, plate_appearances, outs FROM player_season_stats ORDER BY 1, 2, 3, 4',
          )
        ).rows;
      expect(await snapshot(rebuilt.pool)).toEqual(await snapshot(db.pool));
      const players = async (pool: Pool) =>
        (await pool.query('SELECT player_id, full_name, birth_date FROM players ORDER BY 1')).rows;
      expect(await players(rebuilt.pool)).toEqual(await players(db.pool));
    } finally {
      await replay.close();
      await rebuiltPool.end();
      await rebuilt.drop();
    }
  });

  it("names the run after the archive's content, so it never attaches to a running backfill of other data", () => {
    expect(backfillWorkflowId({ fromSeason: 2005, toSeason: 2011, sourceUrl: source.url })).toMatch(
      /^backfill-2005-2011-archive-[0-9a-f]{12}$/,
    );
    expect(backfillWorkflowId({ fromSeason: 2005, toSeason: 2011 })).toBe('backfill-2005-2011');
  });
});
