import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFantraxActivities } from '../activities/fantrax.ts';
import { deleteLink, linkOf, saveLink } from '../db/fantrax-links.ts';
import { fantraxWorldPlayers, matchesOf } from '../db/fantrax-matches.ts';
import { leaguesOf, rosterEntries, startSync, syncById } from '../db/fantrax-syncs.ts';
import { recommendationsOf } from '../db/recommendations.ts';
import { createUser, setPreferences } from '../db/users.ts';
import { createFantraxClient } from '../fantrax/client.ts';
import { buildLocalWorld, DEMO_LEAGUE_ID, DEMO_SECRET_ID, DEMO_TEAM_ID } from '../fantrax/local-world.ts';
import { createSecretBox, formatKeyring, generateKey, parseKeyring } from '../fantrax/secret-box.ts';
import { startFantraxServer, type FantraxServer } from '../infra/fantrax-server.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { seedPublishedWorld } from '../test/api-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import { fantraxSyncWorkflowId } from './fantrax-ids.ts';
import type { fantraxSync, fantraxSyncAll } from './fantrax-sync.ts';

// The sync end to end: a real worker, the real database seeded with a published world, and the local Fantrax-shaped
// server over a world built from those players.
describe('fantraxSync', () => {
  let db: TestDatabase;
  let server: FantraxServer;
  let connection: Connection;
  let client: Client;
  let userId: string;
  const keys = formatKeyring({ keys: [generateKey('test-key')] });

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedPublishedWorld(db.pool);
    server = await startFantraxServer({ world: buildLocalWorld(await fantraxWorldPlayers(db.pool)) });
    userId = (await createUser(db.pool, { email: 'gm@example.test', passwordHash: 'x' }))!;
    await setPreferences(db.pool, userId, {
      strategy: 'contending',
      scoringWeights: { probability: 0.5, eta: 0.2, age: 0.1, dynastyValue: 0.2 },
    });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.close();
    await db?.drop();
  });

  async function link(secretId: string) {
    await saveLink(db.pool, userId, createSecretBox(parseKeyring(keys)).seal(secretId, userId));
  }

  async function deps(fantraxUrl = server.url) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'afwd-fantrax-'));
    const level = process.env.TEST_LOG_LEVEL ?? 'silent';
    const config = loadConfig({
      DATABASE_URL: db.url,
      LOG_LEVEL: level,
      AFWD_DATA_DIR: dataDir,
      FANTRAX_API_URL: fantraxUrl,
      FANTRAX_SECRET_KEYS: keys,
      FANTRAX_REQUEST_TIMEOUT_MS: '500',
    });
    return { pool: db.pool, config, log: createLogger({ level: config.logLevel }), mlbBaseUrl: 'http://127.0.0.1:9' };
  }

  it("stores every team's roster under the sync, matches the players and computes the recommendations", async () => {
    await link(DEMO_SECRET_ID);
    server.setFailure(null);
    const result = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
      client.workflow.execute<typeof fantraxSync>('fantraxSync', {
        taskQueue,
        workflowId: fantraxSyncWorkflowId({ userId }),
        args: [{ userId }],
      }),
    );
    expect(result.leagues).toHaveLength(1);
    expect(result.leagues[0]).toMatchObject({ leagueId: DEMO_LEAGUE_ID, status: 'synced' });
    expect(result.recommendations).toBe(1);

    expect(await syncById(db.pool, result.syncId)).toMatchObject({ status: 'succeeded', error: null });
    const roster = await rosterEntries(db.pool, userId, DEMO_LEAGUE_ID, result.syncId);
    expect(new Set(roster.map((e) => e.teamId)).size).toBe(12);
    expect(roster.filter((e) => e.teamId === DEMO_TEAM_ID && e.rosterStatus === 'MINORS')).toHaveLength(8);
    expect((await leaguesOf(db.pool, userId))[0]).toMatchObject({
      leagueName: 'A Fine Wine Demo League',
      teamId: DEMO_TEAM_ID,
      status: 'synced',
    });

    const matches = await matchesOf(db.pool, userId);
    expect(matches.filter((m) => m.label === 'certain').length).toBeGreaterThan(30);
    expect(matches.filter((m) => m.label === 'none').map((m) => m.fantraxName)).toEqual(
      expect.arrayContaining(['Castellano, Bartolo']),
    );

    const stored = await recommendationsOf(db.pool, userId, DEMO_LEAGUE_ID);
    expect(stored?.body.strategy).toBe('contending');
    expect(stored?.body.snapshotId).toBe('rs-2025-06-01');
    expect(stored!.body.farmSystem.length).toBeGreaterThanOrEqual(6);
    expect(stored!.body.freeAgents.length).toBeGreaterThan(0);
    const rostered = new Set(matches.map((m) => m.playerId));
    for (const fa of stored!.body.freeAgents) expect(rostered.has(fa.playerId)).toBe(false);

    // A second sync stores its own rosters; the first one's stay.
    const again = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
      client.workflow.execute<typeof fantraxSync>('fantraxSync', {
        taskQueue,
        workflowId: fantraxSyncWorkflowId({ userId }),
        args: [{ userId }],
      }),
    );
    expect(again.syncId).not.toBe(result.syncId);
    expect(await rosterEntries(db.pool, userId, DEMO_LEAGUE_ID, result.syncId)).toHaveLength(roster.length);
    expect(await rosterEntries(db.pool, userId, DEMO_LEAGUE_ID)).toHaveLength(roster.length);
  });

  it('skips a private league without failing the sync', async () => {
    await link(DEMO_SECRET_ID);
    server.setFailure({ kind: 'private-league', leagueId: DEMO_LEAGUE_ID });
    try {
      const result = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
        client.workflow.execute<typeof fantraxSync>('fantraxSync', {
          taskQueue,
          workflowId: fantraxSyncWorkflowId({ userId }),
          args: [{ userId }],
        }),
      );
      expect(result.leagues[0]).toMatchObject({ status: 'inaccessible', rostered: 0 });
      expect((await leaguesOf(db.pool, userId))[0]?.status).toBe('inaccessible');
      // The rosters seen before still stand: the advice is not recomputed as if nobody rostered anyone.
      expect(await rosterEntries(db.pool, userId, DEMO_LEAGUE_ID)).not.toHaveLength(0);
      const stored = await recommendationsOf(db.pool, userId, DEMO_LEAGUE_ID);
      expect(stored!.body.farmSystem.length).toBeGreaterThanOrEqual(6);
      const rostered = new Set((await matchesOf(db.pool, userId)).map((m) => m.playerId));
      for (const fa of stored!.body.freeAgents) expect(rostered.has(fa.playerId)).toBe(false);
    } finally {
      server.setFailure(null);
    }
  });

  it('rides out Fantrax rate limiting: the activity retries after the Retry-After once the client gives up', async () => {
    await link(DEMO_SECRET_ID);
    // Three 429s spend the client's attempts on the first activity attempt; the retry gets through.
    server.setFailure({ kind: 'rate-limit', retryAfterSeconds: 1, times: 3 });
    const before = server.calls().filter((m) => m === 'getLeagues').length;
    try {
      const result = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
        client.workflow.execute<typeof fantraxSync>('fantraxSync', {
          taskQueue,
          workflowId: fantraxSyncWorkflowId({ userId }),
          args: [{ userId }],
        }),
      );
      expect(result.leagues[0]).toMatchObject({ status: 'synced' });
      expect(server.calls().filter((m) => m === 'getLeagues').length - before).toBe(4);
    } finally {
      server.setFailure(null);
    }
  });

  it('the daily sync starts one sync per linked user, which runs on its own', async () => {
    await link(DEMO_SECRET_ID);
    const synced = await withPipelineWorker('fantrax', await deps(), async (taskQueue) => {
      const all = await client.workflow.execute<typeof fantraxSyncAll>('fantraxSyncAll', {
        taskQueue,
        workflowId: `fantrax-sync-all-${Date.now()}`,
        args: [{}],
      });
      expect(all).toEqual({ started: 1, running: 0 });
      return client.workflow.getHandle<typeof fantraxSync>(fantraxSyncWorkflowId({ userId })).result();
    });
    expect(synced.leagues[0]).toMatchObject({ leagueId: DEMO_LEAGUE_ID, status: 'synced' });
  });

  it('fails at once on a refused Secret ID, marks the link for reconnecting, and the daily sync then skips the user', async () => {
    await link('a-secret-fantrax-does-not-know');
    const failure = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
      client.workflow.execute<typeof fantraxSync>('fantraxSync', {
        taskQueue,
        workflowId: fantraxSyncWorkflowId({ userId }),
        args: [{ userId }],
      }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('FantraxInvalidSecretId');
    expect((cause as ApplicationFailure).message).not.toContain('a-secret-fantrax-does-not-know');
    const stored = await linkOf(db.pool, userId);
    expect(stored?.needsReconnect).toBe(true);
    expect(stored?.lastError).toMatch(/FantraxInvalidSecretId/);

    const all = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
      client.workflow.execute<typeof fantraxSyncAll>('fantraxSyncAll', {
        taskQueue,
        workflowId: `fantrax-sync-all-${Date.now()}`,
        args: [{}],
      }),
    );
    expect(all).toEqual({ started: 0, running: 0 });
  });

  it('fails at once on a secret no key of the keyring opens (its key was dropped), and marks the link for reconnecting', async () => {
    await saveLink(
      db.pool,
      userId,
      createSecretBox({ keys: [generateKey('a-dropped-key')] }).seal(DEMO_SECRET_ID, userId),
    );
    const failure = await withPipelineWorker('fantrax', await deps(), (taskQueue) =>
      client.workflow.execute<typeof fantraxSync>('fantraxSync', {
        taskQueue,
        workflowId: fantraxSyncWorkflowId({ userId }),
        args: [{ userId }],
      }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect((cause as ApplicationFailure).type).toBe('FantraxInvalidSecretId');
    expect((cause as ApplicationFailure).message).toMatch(/can no longer be read.*connect Fantrax again/);
    const stored = await linkOf(db.pool, userId);
    expect(stored?.needsReconnect).toBe(true);
    expect(stored?.lastError).toMatch(/connect Fantrax again/);
  }, 20_000);

  it('asks Fantrax for the player universe once per sync, however many leagues the user has', async () => {
    await link(DEMO_SECRET_ID);
    const world = buildLocalWorld(await fantraxWorldPlayers(db.pool));
    const demo = world.leagues[0]!;
    world.leagues.push({ ...demo, id: 'second-league', name: 'A Second League' });
    world.users[DEMO_SECRET_ID]!.push({ leagueId: 'second-league', teamId: DEMO_TEAM_ID });
    const twoLeagues = await startFantraxServer({ world });
    try {
      const result = await withPipelineWorker('fantrax', await deps(twoLeagues.url), (taskQueue) =>
        client.workflow.execute<typeof fantraxSync>('fantraxSync', {
          taskQueue,
          workflowId: fantraxSyncWorkflowId({ userId }),
          args: [{ userId }],
        }),
      );
      expect(result.leagues.map((l) => l.status)).toEqual(['synced', 'synced']);
      const calls = twoLeagues.calls();
      expect(calls.filter((m) => m === 'getTeamRosters')).toHaveLength(2);
      expect(calls.filter((m) => m === 'getPlayerIds')).toHaveLength(1);
    } finally {
      await twoLeagues.close();
    }
  });

  it('writes nothing back when the user disconnects while Fantrax answers (between the fetch and the store)', async () => {
    await link(DEMO_SECRET_ID);
    server.setFailure(null);
    const real = createFantraxClient({ baseUrl: server.url, attempts: 1 });
    // The user disconnects right after Fantrax answered, before the activity stores what it read.
    const disconnectingAfter = <T>(answer: Promise<T>) =>
      answer.then(async (value) => {
        await deleteLink(db.pool, userId);
        return value;
      });
    const env = new MockActivityEnvironment();
    const nothingLeft = async () => {
      expect(await linkOf(db.pool, userId)).toBeNull();
      expect(await leaguesOf(db.pool, userId)).toEqual([]);
      expect(await matchesOf(db.pool, userId)).toEqual([]);
      expect(await rosterEntries(db.pool, userId, DEMO_LEAGUE_ID)).toEqual([]);
      const { rows } = await db.pool.query('SELECT 1 FROM fantrax_syncs WHERE user_id = $1', [userId]);
      expect(rows).toEqual([]);
    };

    // The leagues step: the leagues are not stored again.
    const leaguesStep = createFantraxActivities(await deps(), {
      client: { ...real, getLeagues: (secret) => disconnectingAfter(real.getLeagues(secret)) },
    });
    await expect(
      env.run((input: { userId: string }) => leaguesStep.fetchFantraxLeagues(input), { userId }),
    ).rejects.toMatchObject({ type: 'FantraxNotLinked' });
    await nothingLeft();

    // A league step: no matches, rosters or league status left behind.
    await link(DEMO_SECRET_ID);
    const syncId = await startSync(db.pool, userId, 'test');
    const leagueStep = createFantraxActivities(await deps(), {
      client: {
        ...real,
        getTeamRosters: (leagueId, period) => disconnectingAfter(real.getTeamRosters(leagueId, period)),
      },
    });
    await expect(
      env.run((input: { userId: string; syncId: number; leagueId: string }) => leagueStep.syncFantraxLeague(input), {
        userId,
        syncId,
        leagueId: DEMO_LEAGUE_ID,
      }),
    ).rejects.toMatchObject({ type: 'FantraxNotLinked' });
    await nothingLeft();
  });
});
