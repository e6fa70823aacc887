import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadHistory } from '../db/history.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { biosAsOf, indexBioVersions } from '../training/bios.ts';
import type { refreshBios } from './refresh-bios.ts';

// The scheduled bio refresh on the real server and database, against a source whose prospect has just been moved
// from shortstop to the mound: the change becomes a new bio version, and the 2024 feature row keeps the shortstop.
describe('refreshBios', () => {
  let db: TestDatabase;
  let server: Server;
  let baseUrl: string;
  const requested: string[] = [];
  const person = (id: number, position: string) => ({
    id,
    fullName: `Prospect ${id}`,
    birthDate: '2003-02-11',
    primaryPosition: { abbreviation: position },
    batSide: { code: 'R' },
    pitchHand: { code: 'R' },
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two minor-leaguers of 2024 (their bios first seen in March 2024); no current prospects: a 2019 minor-leaguer,
    // and a 2024 rehab assignment of an established major-leaguer.
    await db.pool.query(`INSERT INTO players (player_id, full_name, birth_date, primary_position, bat_side, pitch_hand)
      VALUES (700001, 'Prospect 700001', '2003-02-11', 'SS', 'R', 'R'), (700002, 'Prospect 700002', '2003-02-11', 'CF', 'R', 'R'),
             (700003, 'Old Timer', '1990-02-11', 'C', 'R', 'R'), (700004, 'Rehab Veteran', '1992-02-11', '3B', 'R', 'R')`);
    await db.pool
      .query(`INSERT INTO player_bio_versions (player_id, seen_on, birth_date, primary_position, bat_side, pitch_hand)
      SELECT player_id, '2024-03-01', birth_date, primary_position, bat_side, pitch_hand FROM players`);
    await db.pool
      .query(`INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, games, hits, home_runs, base_on_balls,
      hit_by_pitch, strike_outs, plate_appearances, at_bats, doubles, triples, intentional_walks, stolen_bases, caught_stealing, sac_flies, source)
      SELECT s, id, 12, 'hitting', 100, 110, 12, 40, 5, 90, 420, 370, 20, 3, 2, 10, 3, 4, 'test'
      FROM (VALUES (2024, 700001), (2024, 700002), (2019, 700003), (2024, 700004), (2023, 700004)) AS v(s, id)`);
    await db.pool.query(`UPDATE player_season_stats SET sport_id = 1 WHERE player_id = 700004 AND season = 2023`);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requested.push(url.pathname + url.search);
      if (url.pathname !== '/api/v1/people') return void res.writeHead(404).end();
      const ids = (url.searchParams.get('personIds') ?? '').split(',').map(Number);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ people: ids.map((id) => person(id, id === 700001 ? 'P' : 'CF')) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  async function run(workflowId: string) {
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    const taskQueue = `bios-${process.pid}-${workflowId}`;
    const { worker, connection: workerConnection } = await createPipelineWorker({
      address: inject('temporalAddress'),
      namespace: 'default',
      taskQueue,
      deps: { pool: db.pool, config, log: createLogger({ level: 'warn' }), mlbBaseUrl: baseUrl },
    });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      return await worker.runUntil(
        new Client({ connection }).workflow.execute<typeof refreshBios>('refreshBios', {
          taskQueue,
          workflowId: `${workflowId}-${Date.now()}`,
          args: [{}],
        }),
      );
    } finally {
      await connection.close();
      await workerConnection.close();
    }
  }

  it('refetches current prospects only, and versions the bio that changed', async () => {
    const first = await run('first');
    expect(first).toMatchObject({ season: 2024, players: 2, httpRequests: 1, responsesLost: 0, biosLoaded: 2 });
    expect(requested).toEqual(['/api/v1/people?personIds=700001,700002']);
    const today = new Date().toISOString().slice(0, 10);
    const { rows } = await db.pool.query(
      `SELECT player_id, to_char(seen_on, 'YYYY-MM-DD') AS seen_on, primary_position FROM player_bio_versions ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { player_id: 700001, seen_on: '2024-03-01', primary_position: 'SS' },
      { player_id: 700001, seen_on: today, primary_position: 'P' },
      { player_id: 700002, seen_on: '2024-03-01', primary_position: 'CF' },
      { player_id: 700003, seen_on: '2024-03-01', primary_position: 'C' },
      { player_id: 700004, seen_on: '2024-03-01', primary_position: '3B' },
    ]);
    const history = await loadHistory(db.pool);
    expect(history.players.find((p) => p.playerId === 700001)?.primaryPosition).toBe('P');
    const asOf2024 = biosAsOf(history.players, indexBioVersions(history.bioVersions), 2024);
    expect(asOf2024.find((p) => p.playerId === 700001)?.primaryPosition).toBe('SS');

    // The next week, nothing changed: a new batch, no new version.
    await run('second');
    const { rows: count } = await db.pool.query('SELECT count(*)::int AS n FROM player_bio_versions');
    expect(count[0].n).toBe(5);
  });
});
