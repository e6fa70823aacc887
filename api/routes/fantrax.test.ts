import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditEntries } from '../../db/audit-log.ts';
import { linkOf } from '../../db/fantrax-links.ts';
import { DEMO_LEAGUE_ID, DEMO_SECRET_ID } from '../../fantrax/local-world.ts';
import { formatKeyring, generateKey } from '../../fantrax/secret-box.ts';
import { seedPublishedWorld } from '../../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';
import { startEmptyFantraxServer, syncThroughActivities } from '../../test/fantrax.ts';
import { createApp } from '../app.ts';

describe('Fantrax routes', () => {
  let api: TestApi;
  let server: Awaited<ReturnType<typeof startEmptyFantraxServer>>;
  let premium: TestUser;
  let free: TestUser;
  const logged: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    server = await startEmptyFantraxServer();
    api = await createTestApi({
      env: {
        FANTRAX_API_URL: server.url,
        FANTRAX_SECRET_KEYS: formatKeyring({ keys: [generateKey('k1')] }),
        FANTRAX_REQUEST_TIMEOUT_MS: '300',
      },
    });
    await seedPublishedWorld(api.deps.pool);
    await server.populate(api.deps.pool);
    [premium, free] = await Promise.all([createUser(api, 'premium'), createUser(api, 'free')]);
    // Every log line the API writes, to prove the Secret ID never reaches one.
    process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (originalWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  });
  afterAll(async () => {
    process.stdout.write = originalWrite;
    await api?.close();
    await server?.close();
  });

  const connect = (secretId: string, token = premium.accessToken) =>
    api.request('PUT', '/api/v1/fantrax/connection', { token, body: { secretId } });

  it('is for premium members only', async () => {
    expect((await api.request('GET', '/api/v1/fantrax/leagues', { token: free.accessToken })).status).toBe(403);
    expect((await api.request('GET', '/api/v1/fantrax/leagues')).status).toBe(401);
  });

  it('refuses a wrong Secret ID with a clear 400 and stores nothing', async () => {
    const res = await connect('not-the-right-secret');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/does not recognise this Secret ID/);
    expect(await linkOf(api.deps.pool, premium.userId)).toBeNull();
  });

  it('answers 502 when Fantrax fails and 504 when it times out', async () => {
    server.setFailure({ kind: 'error' });
    expect((await connect(DEMO_SECRET_ID)).status).toBe(502);
    server.setFailure({ kind: 'rate-limit', retryAfterSeconds: 30 });
    const limited = await connect(DEMO_SECRET_ID);
    expect(limited.status).toBe(502);
    expect(((await limited.json()) as { detail: string }).detail).toMatch(/rate limiting/);
    server.setFailure({ kind: 'slow', delayMs: 2000 });
    expect((await connect(DEMO_SECRET_ID)).status).toBe(504);
    server.setFailure(null);
  });

  it('connects: stores the Secret ID encrypted, audits without it, never returns it, and answers 503-free without Temporal', async () => {
    const res = await connect(DEMO_SECRET_ID);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(DEMO_SECRET_ID);
    expect(JSON.parse(text)).toMatchObject({
      connected: true,
      leagues: [{ leagueId: DEMO_LEAGUE_ID, teamName: 'Fine Wine Cellar' }],
      syncWorkflowId: null,
    });
    const link = await linkOf(api.deps.pool, premium.userId);
    expect(link?.sealed.keyId).toBe('k1');
    expect(link?.sealed.ciphertext.toString('utf8')).not.toContain(DEMO_SECRET_ID);
    const audit = await auditEntries(api.deps.pool, { action: 'fantrax_connected', subject: premium.userId });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(DEMO_SECRET_ID);
    expect(logged.join('')).not.toContain(DEMO_SECRET_ID);
    // Without Temporal an on-demand sync is a clear 503.
    expect((await api.request('POST', '/api/v1/fantrax/sync', { token: premium.accessToken })).status).toBe(503);
  });

  it('serves the synced leagues, the roster with matches, the recommendations, and takes a correction', async () => {
    await syncThroughActivities(api.deps.pool, api.deps.config, premium.userId);
    const leagues = (await (
      await api.request('GET', '/api/v1/fantrax/leagues', { token: premium.accessToken })
    ).json()) as { connected: boolean; leagues: { leagueId: string; status: string }[] };
    expect(leagues).toMatchObject({ connected: true, leagues: [{ leagueId: DEMO_LEAGUE_ID, status: 'synced' }] });

    const roster = (await (
      await api.request('GET', `/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/roster`, { token: premium.accessToken })
    ).json()) as {
      players: {
        fantraxId: string;
        rosterStatus: string;
        match: { playerId: number | null; confidence: number; label: string } | null;
      }[];
    };
    expect(roster.players.filter((p) => p.rosterStatus === 'MINORS')).toHaveLength(8);
    expect(roster.players.every((p) => p.match !== null && p.match.confidence >= 0)).toBe(true);

    const recs = await api.request('GET', `/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, {
      token: premium.accessToken,
    });
    expect(recs.status).toBe(200);
    const body = (await recs.json()) as { farmSystem: unknown[]; freeAgents: unknown[]; strategy: string };
    expect(body.strategy).toBe('rebuilding');
    expect(body.farmSystem.length).toBeGreaterThan(0);
    expect(body.freeAgents.length).toBeGreaterThan(0);
    expect(
      (await api.request('GET', '/api/v1/fantrax/leagues/nope/recommendations', { token: premium.accessToken })).status,
    ).toBe(404);

    const all = (await (
      await api.request('GET', '/api/v1/fantrax/matches', { token: premium.accessToken })
    ).json()) as { matches: { fantraxId: string; playerId: number | null }[] };
    const target = all.matches.find((m) => m.playerId !== null)!;
    const other = all.matches.find((m) => m.playerId !== null && m.playerId !== target.playerId)!;
    const corrected = await api.request('PUT', `/api/v1/fantrax/matches/${target.fantraxId}`, {
      token: premium.accessToken,
      body: { playerId: other.playerId },
    });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({
      fantraxId: target.fantraxId,
      playerId: other.playerId,
      corrected: true,
    });
    // The recommendations follow the correction at once: a roster player set to nobody leaves the farm system.
    const mine = (
      (await (
        await api.request('GET', `/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, {
          token: premium.accessToken,
        })
      ).json()) as { farmSystem: { fantraxId: string; playerId: number }[] }
    ).farmSystem;
    const dropped = mine.find((i) => i.fantraxId !== target.fantraxId && i.playerId !== other.playerId)!;
    expect(
      (
        await api.request('PUT', `/api/v1/fantrax/matches/${dropped.fantraxId}`, {
          token: premium.accessToken,
          body: { playerId: null },
        })
      ).status,
    ).toBe(200);
    const without = (
      (await (
        await api.request('GET', `/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, {
          token: premium.accessToken,
        })
      ).json()) as { farmSystem: { playerId: number }[] }
    ).farmSystem;
    expect(without.map((i) => i.playerId)).not.toContain(dropped.playerId);
    const listed = (await (
      await api.request('GET', '/api/v1/fantrax/matches?status=corrected', { token: premium.accessToken })
    ).json()) as { matches: { fantraxId: string }[] };
    expect(listed.matches.map((m) => m.fantraxId).sort()).toEqual([target.fantraxId, dropped.fantraxId].sort());
    // The correction survives the next sync.
    await syncThroughActivities(api.deps.pool, api.deps.config, premium.userId);
    const after = (await (
      await api.request('GET', '/api/v1/fantrax/matches?status=corrected', { token: premium.accessToken })
    ).json()) as { matches: { playerId: number }[] };
    expect(after.matches.find((m) => m.playerId !== null)?.playerId).toBe(other.playerId);
    expect(
      (
        await api.request('PUT', '/api/v1/fantrax/matches/unknownid', {
          token: premium.accessToken,
          body: { playerId: null },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.request('PUT', `/api/v1/fantrax/matches/${target.fantraxId}`, {
          token: premium.accessToken,
          body: { playerId: 123456789 },
        })
      ).status,
    ).toBe(404);
  });

  it('starts a sync on demand with Temporal (202, one workflow id per user)', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const temporalApp = createApp({
        ...api.deps,
        temporal: { client: new Client({ connection }), taskQueue: `fantrax-unpolled-${Date.now()}` },
      });
      const call = () =>
        temporalApp.request('/api/v1/fantrax/sync', {
          method: 'POST',
          headers: { authorization: `Bearer ${premium.accessToken}` },
        });
      const first = await call();
      expect(first.status).toBe(202);
      const { workflowId } = (await first.json()) as { workflowId: string };
      expect(workflowId).toBe(`fantrax-sync-${premium.userId}`);
      // A second request while it runs attaches to the same one.
      expect(await (await call()).json()).toEqual({ workflowId });
      await new Client({ connection }).workflow.getHandle(workflowId).terminate('test over');
    } finally {
      await connection.close();
    }
  });

  it('disconnects: removes the link and everything synced, audits it, and is idempotent', async () => {
    expect((await api.request('DELETE', '/api/v1/fantrax/connection', { token: premium.accessToken })).status).toBe(
      204,
    );
    expect(await linkOf(api.deps.pool, premium.userId)).toBeNull();
    const leagues = await (await api.request('GET', '/api/v1/fantrax/leagues', { token: premium.accessToken })).json();
    expect(leagues).toMatchObject({ connected: false, leagues: [] });
    expect(
      (
        await api.request('GET', `/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, {
          token: premium.accessToken,
        })
      ).status,
    ).toBe(404);
    const { rows } = await api.deps.pool.query(
      'SELECT (SELECT count(*) FROM fantrax_matches WHERE user_id = $1)::int AS m, (SELECT count(*) FROM fantrax_syncs WHERE user_id = $1)::int AS s',
      [premium.userId],
    );
    expect(rows[0]).toEqual({ m: 0, s: 0 });
    expect(await auditEntries(api.deps.pool, { action: 'fantrax_disconnected', subject: premium.userId })).toHaveLength(
      1,
    );
    expect((await api.request('DELETE', '/api/v1/fantrax/connection', { token: premium.accessToken })).status).toBe(
      204,
    );
    expect((await api.request('POST', '/api/v1/fantrax/sync', { token: premium.accessToken })).status).toBe(409);
  });
});
